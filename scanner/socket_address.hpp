// SPDX-License-Identifier: GPL-2.0-or-later
// core::Address and a port as the socket API takes them (sockaddr_in or sockaddr_in6), and back: the one
// conversion every socket call of the scanner uses.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <utility>

#include "core/address.hpp"

namespace ghostport::scanner {

struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// `address`:`port` as a sockaddr_in (IPv4) or sockaddr_in6 (IPv6).
SocketAddress socket_address(const core::Address& address, std::uint16_t port = 0);
// The unspecified address of `family` (0.0.0.0 or ::) with `port`: every address, for bind().
SocketAddress any_address(core::Family family, std::uint16_t port);
// The address and port of a sockaddr_in or sockaddr_in6; nullopt for any other family.
std::optional<std::pair<core::Address, std::uint16_t>> from_socket_address(const sockaddr* address);

}  // namespace ghostport::scanner
