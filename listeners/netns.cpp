// SPDX-License-Identifier: GPL-2.0-or-later
// Namespace enumeration (nsfs identities) and setns on a dedicated thread.
#include "listeners/netns.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <thread>
#include <utility>

#include <fmt/format.h>

namespace ghostport::listeners {

namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};
using Dir = std::unique_ptr<DIR, DirCloser>;

using Identity = std::pair<std::uint64_t, std::uint64_t>;

std::optional<Identity> identity_of(const std::string& path, int& err) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        err = errno;
        return std::nullopt;
    }
    return Identity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

std::string comm_of(const std::string& proc_root, int pid) {
    std::ifstream in(proc_root + "/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

}  // namespace

NamespaceList list_namespaces(const std::string& proc_root, const std::string& netns_dir) {
    NamespaceList out;
    std::map<Identity, std::size_t> seen;  // identity -> index in out.namespaces
    int err = 0;
    // thread-self, not self: a helper thread that entered another namespace lists from there.
    const std::string own_path = proc_root + "/thread-self/ns/net";
    if (auto own = identity_of(own_path, err)) {
        out.namespaces.push_back(NetNamespace{"", own_path, own->first, own->second, true});
        seen[*own] = 0;
    }

    std::vector<std::string> names;
    if (Dir dir{::opendir(netns_dir.c_str())}) {
        while (dirent* e = ::readdir(dir.get()))
            if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    } else if (errno != ENOENT) {
        out.unseen.push_back(fmt::format("the named network namespaces in {} could not be listed: {}",
                                         netns_dir, std::strerror(errno)));
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        const std::string path = netns_dir + "/" + name;
        auto id = identity_of(path, err);
        if (!id) {
            out.unseen.push_back(
                fmt::format("network namespace {} could not be looked at: {}", name, std::strerror(err)));
            continue;
        }
        if (seen.count(*id)) continue;
        seen[*id] = out.namespaces.size();
        out.namespaces.push_back(NetNamespace{name, path, id->first, id->second, false});
    }

    std::map<Identity, int> lowest_pid;
    int hidden = 0;
    if (Dir proc{::opendir(proc_root.c_str())}) {
        while (dirent* e = ::readdir(proc.get())) {
            int pid = 0;
            std::string_view s(e->d_name);
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
            if (ec != std::errc() || end != s.data() + s.size() || pid <= 0) continue;
            auto id = identity_of(proc_root + "/" + std::string(s) + "/ns/net", err);
            if (!id) {
                if (err == EACCES || err == EPERM) ++hidden;
                continue;
            }
            auto [it, fresh] = lowest_pid.emplace(*id, pid);
            if (!fresh) it->second = std::min(it->second, pid);
        }
    }
    std::vector<std::pair<int, Identity>> unnamed;
    for (const auto& [id, pid] : lowest_pid)
        if (!seen.count(id)) unnamed.emplace_back(pid, id);
    std::sort(unnamed.begin(), unnamed.end());
    for (const auto& [pid, id] : unnamed) {
        seen[id] = out.namespaces.size();
        out.namespaces.push_back(NetNamespace{fmt::format("pid {} ({})", pid, comm_of(proc_root, pid)),
                                              proc_root + "/" + std::to_string(pid) + "/ns/net", id.first,
                                              id.second, false});
    }
    if (hidden > 0)
        out.unseen.push_back(fmt::format(
            "the network namespaces of {} could not be looked at (permission denied: that needs root, or "
            "CAP_SYS_PTRACE over them)",
            hidden == 1 ? std::string("1 process") : fmt::format("{} processes", hidden)));
    return out;
}

std::optional<std::string> run_in_namespace(const std::string& path, const std::function<void()>& fn) {
    std::optional<std::string> failure;
    std::thread worker([&] {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            failure = fmt::format("cannot open {}: {}", path, std::strerror(errno));
            return;
        }
        int rc = ::setns(fd, CLONE_NEWNET);
        int e = errno;
        ::close(fd);
        if (rc != 0) {
            failure = e == EPERM ? std::string("entering it needs root (CAP_SYS_ADMIN)")
                                 : fmt::format("cannot enter it: {}", std::strerror(e));
            return;
        }
        try {
            fn();
        } catch (const std::exception& ex) {
            failure = ex.what();
        }
    });
    worker.join();
    return failure;
}

}  // namespace ghostport::listeners
