// SPDX-License-Identifier: GPL-2.0-or-later
// The lab programs' one way to open a listener: "ADDR:PORT" or "[V6]:PORT" -> a non-blocking listening TCP
// socket (gp_listen, gp_service). Header-only: the lab programs are single files.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace gp_lab {

// Binds and listens on `spec` with `backlog`; -1 (with "PROGRAM: SPEC: error" on stderr when the bind or
// listen failed) for a malformed spec or a socket that cannot be had.
inline int listen_on(const std::string& spec, const char* program, int backlog) {
    auto colon = spec.rfind(':');
    if (colon == std::string::npos) return -1;
    std::string host = spec.substr(0, colon);
    int port = std::atoi(spec.c_str() + colon + 1);
    if (port <= 0 || port > 65535) return -1;
    sockaddr_storage ss{};
    socklen_t len = 0;
    int family = AF_INET;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        family = AF_INET6;
        auto* sa = reinterpret_cast<sockaddr_in6*>(&ss);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(static_cast<std::uint16_t>(port));
        if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &sa->sin6_addr) != 1) return -1;
        len = sizeof *sa;
    } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&ss);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(static_cast<std::uint16_t>(port));
        if (inet_pton(AF_INET, host.c_str(), &sa->sin_addr) != 1) return -1;
        len = sizeof *sa;
    }
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || listen(fd, backlog) != 0) {
        std::fprintf(stderr, "%s: %s: %s\n", program, spec.c_str(), std::strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

}  // namespace gp_lab
