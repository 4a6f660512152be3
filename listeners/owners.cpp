// SPDX-License-Identifier: GPL-2.0-or-later
// /proc walking: fd links to socket inodes, and comm, exe, status and cgroup of each holder.
#include "listeners/owners.hpp"

#include <dirent.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <memory>

#include "listeners/cgroup.hpp"

namespace ghostport::listeners {

namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};
using Dir = std::unique_ptr<DIR, DirCloser>;

std::optional<int> pid_of(const char* name) {
    int pid = 0;
    std::string_view s(name);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
    if (ec != std::errc() || end != s.data() + s.size() || pid <= 0) return std::nullopt;
    return pid;
}

std::string read_text(const std::string& path, std::size_t limit = 64 * 1024) {
    std::ifstream in(path, std::ios::binary);
    std::string out;
    char buf[4096];
    while (in && out.size() < limit) {
        in.read(buf, sizeof buf);
        out.append(buf, static_cast<std::size_t>(in.gcount()));
    }
    return out;
}

std::optional<std::string> read_link(const std::string& path) {
    std::string buf(4096, '\0');
    ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
}

}  // namespace

namespace detail {

std::optional<std::uint64_t> socket_inode(std::string_view link) {
    constexpr std::string_view prefix = "socket:[";
    if (link.size() <= prefix.size() + 1 || link.substr(0, prefix.size()) != prefix || link.back() != ']')
        return std::nullopt;
    auto digits = link.substr(prefix.size(), link.size() - prefix.size() - 1);
    std::uint64_t inode = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return inode;
}

ExeLink parse_exe_link(std::string_view link) {
    constexpr std::string_view deleted = " (deleted)";
    ExeLink out;
    if (link.size() >= deleted.size() && link.substr(link.size() - deleted.size()) == deleted) {
        link.remove_suffix(deleted.size());
        out.deleted = true;
    }
    if (link.substr(0, 7) == "/memfd:") out.deleted = true;
    out.path = std::string(link);
    return out;
}

std::optional<std::uint32_t> real_uid(std::string_view status) {
    while (!status.empty()) {
        auto nl = status.find('\n');
        auto line = status.substr(0, nl);
        status.remove_prefix(nl == std::string_view::npos ? status.size() : nl + 1);
        if (line.substr(0, 4) != "Uid:") continue;
        line.remove_prefix(4);
        while (!line.empty() && (line[0] == '\t' || line[0] == ' ')) line.remove_prefix(1);
        std::uint32_t uid = 0;
        auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), uid);
        if (ec != std::errc() || end == line.data()) return std::nullopt;
        return uid;
    }
    return std::nullopt;
}

std::string user_name(std::uint32_t uid) {
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (::getpwuid_r(static_cast<uid_t>(uid), &pw, buf.data(), buf.size(), &found) == 0 && found &&
        pw.pw_name)
        return pw.pw_name;
    return std::to_string(uid);
}

}  // namespace detail

SocketHolders read_socket_holders(const std::string& proc_root) {
    SocketHolders out;
    Dir proc(::opendir(proc_root.c_str()));
    if (!proc) return out;
    while (dirent* e = ::readdir(proc.get())) {
        auto pid = pid_of(e->d_name);
        if (!pid) continue;
        const std::string fd_dir = proc_root + "/" + e->d_name + "/fd";
        Dir fds(::opendir(fd_dir.c_str()));
        if (!fds) {
            if (errno == EACCES || errno == EPERM) ++out.unreadable;
            continue;  // ENOENT: it exited meanwhile
        }
        while (dirent* f = ::readdir(fds.get())) {
            if (f->d_name[0] == '.') continue;
            auto link = read_link(fd_dir + "/" + f->d_name);
            if (!link) continue;
            if (auto inode = detail::socket_inode(*link)) {
                auto& pids = out.pids_by_inode[*inode];
                if (pids.empty() || pids.back() != *pid) pids.push_back(*pid);
            }
        }
    }
    for (auto& [inode, pids] : out.pids_by_inode) {
        std::sort(pids.begin(), pids.end());
        pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
    }
    return out;
}

core::ListenerOwner read_owner(const std::string& proc_root, int pid) {
    const std::string dir = proc_root + "/" + std::to_string(pid);
    core::ListenerOwner out;
    out.pid = pid;
    out.process = read_text(dir + "/comm", 256);
    while (!out.process.empty() && out.process.back() == '\n') out.process.pop_back();
    if (auto link = read_link(dir + "/exe")) {
        auto exe = detail::parse_exe_link(*link);
        out.exe = std::move(exe.path);
        out.exe_deleted = exe.deleted;
    }
    if (auto uid = detail::real_uid(read_text(dir + "/status"))) out.user = detail::user_name(*uid);
    auto facts = parse_cgroup(read_text(dir + "/cgroup"));
    out.unit = std::move(facts.unit);
    out.container = std::move(facts.container);
    return out;
}

}  // namespace ghostport::listeners
