// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/socket_address.hpp"

#include <netinet/in.h>

#include <cstring>

namespace ghostport::scanner {

SocketAddress socket_address(const core::Address& address, std::uint16_t port) {
    SocketAddress out;
    if (address.is_v4()) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(port);
        std::memcpy(&sin.sin_addr, address.bytes.data(), 4);
        std::memcpy(&out.storage, &sin, sizeof sin);
        out.length = sizeof sin;
    } else {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(port);
        std::memcpy(&sin6.sin6_addr, address.bytes.data(), 16);
        std::memcpy(&out.storage, &sin6, sizeof sin6);
        out.length = sizeof sin6;
    }
    return out;
}

SocketAddress any_address(core::Family family, std::uint16_t port) {
    core::Address any;
    any.family = family;
    return socket_address(any, port);
}

std::optional<std::pair<core::Address, std::uint16_t>> from_socket_address(const sockaddr* address) {
    core::Address a;
    if (address->sa_family == AF_INET) {
        sockaddr_in sin;
        std::memcpy(&sin, address, sizeof sin);
        a.family = core::Family::v4;
        std::memcpy(a.bytes.data(), &sin.sin_addr, 4);
        return std::pair{a, ntohs(sin.sin_port)};
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 sin6;
        std::memcpy(&sin6, address, sizeof sin6);
        a.family = core::Family::v6;
        std::memcpy(a.bytes.data(), &sin6.sin6_addr, 16);
        return std::pair{a, ntohs(sin6.sin6_port)};
    }
    return std::nullopt;
}

}  // namespace ghostport::scanner
