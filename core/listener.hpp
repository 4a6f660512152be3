// SPDX-License-Identifier: GPL-2.0-or-later
// One listening socket of this machine and the processes that own it: the record that flows from the
// listeners library (the kernel's socket table and /proc) to the labeler and the listener sinks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/result.hpp"

namespace ghostport::core {

// A process that holds the socket (it has the socket's inode among /proc/PID/fd).
struct ListenerOwner {
    int pid = 0;
    std::string process;       // /proc/PID/comm, raw (sinks escape it)
    std::string user;          // the process's real uid as a user name, or the number when it has none
    std::string exe;           // readlink /proc/PID/exe without " (deleted)", "" when it could not be read
    bool exe_deleted = false;  // the executable was deleted, or is a memfd: label deleted-exe
    std::string unit;          // systemd unit from /proc/PID/cgroup (or the socket unit for pid 1), ""
    std::string container;     // container id from the cgroup path, ""
};

// Where the socket can be reached from: 127.0.0.0/8 and ::1 are loopback, 0.0.0.0 and :: are all, any
// other bound address is that address.
enum class Exposure : std::uint8_t { loopback, all, address };

struct Listener {
    Proto proto = Proto::tcp;  // tcp: a socket in LISTEN; udp: a bound, unconnected socket
    Address address;           // the bound address (0.0.0.0 or :: when bound to all)
    std::uint16_t port = 0;
    bool dual_stack = false;            // an IPv6 socket on :: without IPV6_V6ONLY: it also takes IPv4
    std::uint64_t inode = 0;            // the socket's inode (0 for a socket being torn down)
    std::uint32_t uid = 0;              // the socket's owning uid as the kernel reports it
    std::string netns;                  // the network namespace's name; "" for the caller's own
    std::vector<ListenerOwner> owners;  // sorted by pid; empty when no visible process holds it
};

Exposure exposure_of(const Listener& l);
std::string_view to_string(Exposure e);  // "loopback", "all", "address"

}  // namespace ghostport::core
