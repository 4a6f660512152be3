// SPDX-License-Identifier: GPL-2.0-or-later
// The processes that hold sockets: socket inodes from /proc/PID/fd, and who each process is (comm, exe,
// user, systemd unit, container) from /proc/PID.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/listener.hpp"

namespace ghostport::listeners {

// Which pids hold which socket inodes.
struct SocketHolders {
    std::map<std::uint64_t, std::vector<int>> pids_by_inode;  // pids sorted, each once
    int unreadable = 0;  // processes whose fd folder could not be read (another user's, without root)
};

// Scans <proc_root>/<pid>/fd/* for "socket:[INODE]" links. Processes that vanish meanwhile are skipped.
SocketHolders read_socket_holders(const std::string& proc_root);

// Who process `pid` is; fields it cannot read stay empty (the user then is the uid of the status file, or
// "" when that is gone too).
core::ListenerOwner read_owner(const std::string& proc_root, int pid);

namespace detail {

// The inode of a "socket:[12345]" fd link; nullopt for anything else.
std::optional<std::uint64_t> socket_inode(std::string_view link);

// The executable path of an exe link without its " (deleted)" suffix, and whether it was deleted or is a
// memfd ("/memfd:name (deleted)").
struct ExeLink {
    std::string path;
    bool deleted = false;
};
ExeLink parse_exe_link(std::string_view link);

// The real uid of a /proc/PID/status text ("Uid:\t1000\t1000\t1000\t1000"); nullopt when absent.
std::optional<std::uint32_t> real_uid(std::string_view status);

// The user name of uid, or its number when it has none.
std::string user_name(std::uint32_t uid);

}  // namespace detail

}  // namespace ghostport::listeners
