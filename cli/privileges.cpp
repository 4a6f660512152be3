#include "cli/privileges.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/errors.hpp"

namespace ghostport::cli {

namespace {

core::RuntimeError failure(const char* step) {
    return core::RuntimeError(fmt::format("cannot drop privileges: {}: {}", step, std::strerror(errno)));
}

std::optional<unsigned long> number(const char* text) {
    if (text == nullptr || *text == '\0') return std::nullopt;
    unsigned long value = 0;
    const char* end = text + std::strlen(text);
    auto [p, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || p != end) return std::nullopt;
    return value;
}

int threads_running() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
    return 1;
}

struct Caps {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
};

// Sets the permitted and effective sets to CAP_NET_RAW alone (when it is permitted now) and the
// inheritable set to nothing.
void keep_only_net_raw() {
    Caps caps;
    if (syscall(SYS_capget, &caps.header, caps.data) != 0) throw failure("capget");
    const unsigned word = CAP_NET_RAW / 32, bit = 1u << (CAP_NET_RAW % 32);
    const bool had = (caps.data[word].permitted & bit) != 0;
    Caps next;
    if (had) {
        next.data[word].permitted = bit;
        next.data[word].effective = bit;
    }
    if (syscall(SYS_capset, &next.header, next.data) != 0) throw failure("capset");
}

}  // namespace

DropTarget drop_target(const std::optional<std::string>& user) {
    DropTarget target;
    if (!user) {
        const auto uid = number(std::getenv("SUDO_UID")), gid = number(std::getenv("SUDO_GID"));
        if (uid && gid && *uid != 0) {
            target.uid = static_cast<uid_t>(*uid);
            target.gid = static_cast<gid_t>(*gid);
            const passwd* pw = getpwuid(target.uid);
            target.user = pw ? pw->pw_name : fmt::format("uid {}", target.uid);
            return target;
        }
    }
    const std::string name = user.value_or("nobody");
    const passwd* pw = getpwnam(name.c_str());
    if (pw == nullptr) {
        if (auto uid = number(name.c_str())) pw = getpwuid(static_cast<uid_t>(*uid));
    }
    if (pw == nullptr) throw core::InputError(fmt::format("--drop-user {}: no such user", name));
    if (pw->pw_uid == 0) throw core::InputError(fmt::format("--drop-user {}: that is root", name));
    target.user = pw->pw_name;
    target.uid = pw->pw_uid;
    target.gid = pw->pw_gid;
    return target;
}

bool drop_privileges(const DropTarget& target) {
    if (threads_running() != 1)
        throw core::RuntimeError(
            "cannot drop privileges: other threads already run (a bug: drop them first)");
    const bool root = geteuid() == 0;
    if (root) {
        // Keep the permitted set across the user switch, then shrink it to CAP_NET_RAW.
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) throw failure("PR_SET_KEEPCAPS");
        for (int cap = 0; cap <= 63; ++cap)
            if (cap != CAP_NET_RAW && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
                throw failure("PR_CAPBSET_DROP");
        if (setgroups(0, nullptr) != 0) throw failure("setgroups");
        if (setresgid(target.gid, target.gid, target.gid) != 0) throw failure("setresgid");
        if (setresuid(target.uid, target.uid, target.uid) != 0) throw failure("setresuid");
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) throw failure("PR_SET_KEEPCAPS");
        keep_only_net_raw();
        // Proof, not hope: there is no way back.
        if (setuid(0) == 0 || setgid(0) == 0)
            throw core::RuntimeError("cannot drop privileges: root came back");
    } else {
        keep_only_net_raw();
    }
#if defined(__SANITIZE_ADDRESS__)
    // Sanitizer builds only: LeakSanitizer ptraces the process at exit, which the kernel refuses once a user
    // switch has made it undumpable. A release build stays undumpable, as the kernel leaves it.
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);  // EINVAL before Linux 4.3: nothing to clear
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) throw failure("PR_SET_NO_NEW_PRIVS");
    return root;
}

bool folder_writable(const std::string& path) {
    if (path.empty()) return true;
    std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (folder.empty()) folder = ".";
    return access(folder.c_str(), W_OK | X_OK) == 0;
}

}  // namespace ghostport::cli
