// SPDX-License-Identifier: GPL-2.0-or-later
// The machine's listening sockets, read from the kernel (NETLINK_SOCK_DIAG) with their owning processes
// (/proc), in this network namespace or in every one: the entry point of the listeners library.
#pragma once

#include <string>
#include <vector>

#include "core/listener.hpp"

namespace ghostport::listeners {

struct ReadOptions {
    bool all_namespaces = false;           // also every named (netns_dir) and process namespace
    std::string proc_root = "/proc";       // where the processes are (tests point it elsewhere)
    std::string netns_dir = "/run/netns";  // named namespaces, as `ip netns add` makes them
};

struct ReadResult {
    // Every listening TCP socket and bound, unconnected UDP socket, IPv4 and IPv6; one row per socket,
    // sorted by (netns, proto, port, address, inode). Owners are sorted by pid.
    std::vector<core::Listener> listeners;
    // One sentence per thing that could not be seen (a namespace that could not be entered, processes
    // whose fds could not be read without root, ...); empty when everything was seen.
    std::vector<std::string> unseen;
};

// Reads the listeners of the caller's network namespace (netns ""), and with all_namespaces those of every
// other namespace too, each named by its /run/netns name or "pid N (comm)" of its lowest pid. The calling
// thread never changes namespace (other namespaces are read from a helper thread). Throws
// core::RuntimeError only when the caller's own namespace cannot be read at all (no sock_diag).
ReadResult read_listeners(const ReadOptions& options);

// The order of ReadResult::listeners: netns, proto, port, address, inode.
bool listener_less(const core::Listener& a, const core::Listener& b);

}  // namespace ghostport::listeners
