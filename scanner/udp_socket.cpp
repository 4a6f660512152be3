// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/udp_socket.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

#include "core/errors.hpp"
#include "scanner/socket_address.hpp"

namespace ghostport::scanner {

namespace {

constexpr std::size_t kept_bytes = 16 * 1024;
constexpr int receive_buffer = 8 << 20;

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

}  // namespace

UdpSocketTransport::UdpSocketTransport() : buffer_(64 * 1024) {}

UdpSocketTransport::~UdpSocketTransport() {
    if (v4_ >= 0) ::close(v4_);
    if (v6_ >= 0) ::close(v6_);
}

int UdpSocketTransport::socket_for(core::Family family) {
    int& fd = family == core::Family::v4 ? v4_ : v6_;
    if (fd >= 0) return fd;
    const int domain = family == core::Family::v4 ? AF_INET : AF_INET6;
    fd = ::socket(domain, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
    if (fd < 0)
        throw core::RuntimeError(fmt::format("cannot open a UDP socket ({}): {}",
                                             family == core::Family::v4 ? "IPv4" : "IPv6",
                                             std::strerror(errno)));
    const int one = 1;
    if (family == core::Family::v4) {
        ::setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
    } else {
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        ::setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
    }
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    return fd;
}

int UdpSocketTransport::send(const core::Address& host, std::uint16_t port, std::string_view bytes) {
    const int fd = socket_for(host.family);
    const auto dst = socket_address(host, port);
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (::sendto(fd, bytes.data(), bytes.size(), 0, dst.get(), dst.length) >= 0) return 0;
        // A pending ICMP error is reported once by the next call on the socket; the datagram was not sent.
        if (errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ENETUNREACH) break;
    }
    return errno;
}

std::size_t UdpSocketTransport::drain_socket(int fd, bool v6,
                                             const std::function<void(const UdpEvent&)>& on_event,
                                             std::size_t max) {
    std::size_t n = 0;
    // Errors first: an error queued for a port must be seen before a later answer could be.
    while (n < max) {
        sockaddr_storage name{};
        alignas(cmsghdr) char control[512];
        iovec iov{buffer_.data(), buffer_.size()};
        msghdr msg{};
        msg.msg_name = &name;
        msg.msg_namelen = sizeof name;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        if (::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) break;
        ++n;
        auto dst = from_socket_address(reinterpret_cast<sockaddr*>(&name));
        if (!dst) continue;
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            const bool ours = (c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                              (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR);
            if (!ours) continue;
            sock_extended_err ee;
            std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
            if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6) continue;
            UdpEvent e;
            e.kind = UdpEvent::Kind::icmp;
            e.host = dst->first;
            e.port = dst->second;
            e.at_ns = now_ns();
            e.v6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
            e.icmp_type = ee.ee_type;
            e.icmp_code = ee.ee_code;
            const auto* offender = reinterpret_cast<const sockaddr*>(CMSG_DATA(c) + sizeof ee);
            if (c->cmsg_len >= CMSG_LEN(sizeof ee + sizeof(sa_family_t)))
                if (auto off = from_socket_address(offender)) e.offender = off->first;
            on_event(e);
        }
    }
    while (n < max) {
        sockaddr_storage from{};
        socklen_t from_len = sizeof from;
        const ssize_t got = ::recvfrom(fd, buffer_.data(), buffer_.size(), MSG_DONTWAIT | MSG_TRUNC,
                                       reinterpret_cast<sockaddr*>(&from), &from_len);
        if (got < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            ++n;  // a pending ICMP error reported as the call's error; it is in the error queue too
            continue;
        }
        ++n;
        auto src = from_socket_address(reinterpret_cast<sockaddr*>(&from));
        if (!src) continue;
        UdpEvent e;
        e.kind = UdpEvent::Kind::answer;
        e.host = src->first;
        e.port = src->second;
        e.at_ns = now_ns();
        e.v6 = v6;
        const auto size = std::min<std::size_t>({static_cast<std::size_t>(got), buffer_.size(), kept_bytes});
        e.bytes = std::string_view(reinterpret_cast<const char*>(buffer_.data()), size);
        on_event(e);
    }
    return n;
}

std::size_t UdpSocketTransport::drain(const std::function<void(const UdpEvent&)>& on_event, std::size_t max) {
    std::size_t n = 0;
    if (v4_ >= 0) n += drain_socket(v4_, false, on_event, max);
    if (v6_ >= 0 && n < max) n += drain_socket(v6_, true, on_event, max - n);
    return n;
}

void UdpSocketTransport::wait(int timeout_ms) {
    pollfd fds[2];
    nfds_t count = 0;
    if (v4_ >= 0) fds[count++] = {v4_, POLLIN, 0};
    if (v6_ >= 0) fds[count++] = {v6_, POLLIN, 0};
    if (count == 0) {
        if (timeout_ms > 0) ::poll(nullptr, 0, timeout_ms);
        return;
    }
    ::poll(fds, count, timeout_ms);  // POLLERR is always reported: the error queue wakes it too
}

}  // namespace ghostport::scanner
