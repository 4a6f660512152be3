// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's table of listening TCP and bound, unconnected UDP sockets of one network namespace, read
// through NETLINK_SOCK_DIAG (inet_diag) as `ss -ltnu` reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/listener.hpp"

namespace ghostport::listeners {

// Reads every listening TCP socket and every bound UDP socket without a peer, IPv4 and IPv6, of the
// calling thread's network namespace. Owners and netns are left empty. A kind the kernel cannot dump (no
// udp_diag module) adds a sentence to `unseen` when given; a family the kernel lacks (IPv6 off) has nothing
// to list. Throws core::RuntimeError when the kernel cannot be asked (no sock_diag, no answer within a
// second).
std::vector<core::Listener> read_socket_table(std::vector<std::string>* unseen = nullptr);

namespace detail {

// One inet_diag answer message (from its nlmsghdr to nlmsg_len) as a Listener of `proto`; nullopt when it is
// not a SOCK_DIAG_BY_FAMILY message, is truncated or malformed, is not an IPv4/IPv6 socket, or is a UDP
// socket with a peer (connected) or no port. An INET_DIAG_SKV6ONLY of 0 on an IPv6 :: socket sets
// dual_stack. Never reads outside `message`.
std::optional<core::Listener> parse_diag_message(std::span<const std::uint8_t> message, core::Proto proto);

}  // namespace detail

}  // namespace ghostport::listeners
