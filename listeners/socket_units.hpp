// SPDX-License-Identifier: GPL-2.0-or-later
// systemd's socket units and the addresses they listen on, so that a socket only pid 1 holds (socket
// activation) is named by its unit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"

namespace ghostport::listeners {

// One inet listening entry of a socket unit ("[::]:22 ssh.socket ssh.service").
struct SocketUnit {
    core::Address address;
    std::uint16_t port = 0;
    std::string unit;       // "ssh.socket"
    std::string activates;  // "ssh.service", "" when none
    bool operator==(const SocketUnit&) const = default;
};

// Parses the output of `systemctl list-sockets --all --full --no-legend --plain` (LISTEN UNIT ACTIVATES per
// line; LISTEN may hold spaces, as "kobject-uevent 1"). Lines whose LISTEN is not an IP address and port
// (unix paths, netlink, FIFOs) and malformed lines are skipped.
std::vector<SocketUnit> parse_list_sockets(std::string_view text);

// Runs that systemctl command (at most two seconds) and parses it; empty when pid 1 under proc_root is not
// systemd, systemctl is not installed, or it fails.
std::vector<SocketUnit> read_socket_units(const std::string& proc_root);

// The socket unit listening on (address, port): an exact match, else one on the wildcard of the family
// (a `[::]` entry covers 0.0.0.0 too); nullopt when none.
std::optional<std::string> socket_unit_for(const std::vector<SocketUnit>& units, const core::Address& address,
                                           std::uint16_t port);

}  // namespace ghostport::listeners
