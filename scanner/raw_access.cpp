// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/raw_access.hpp"

#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "core/errors.hpp"
#include "scanner/capture.hpp"

#ifndef SO_LOCK_FILTER
#define SO_LOCK_FILTER 44
#endif

namespace ghostport::scanner {

namespace {

constexpr int send_buffer = 4 << 20;

class LocalRawAccess final : public RawAccess {
  public:
    int raw_socket(const core::Address& source, int protocol) override {
        const int fd = detail::open_raw_socket(source, protocol);
        if (fd >= 0) return fd;
        const int err = -fd;
        const std::string what = source.is_v4()               ? "IPv4"
                                 : protocol == IPPROTO_ICMPV6 ? "ICMPv6"
                                 : protocol == IPPROTO_UDP    ? "IPv6 UDP"
                                                              : "IPv6 TCP";
        if (err == EPERM || err == EACCES)
            throw core::RuntimeError(fmt::format(
                "cannot open a raw socket ({}): raw packets need root or CAP_NET_RAW; use --engine connect",
                what));
        if (err == EADDRNOTAVAIL || err == EINVAL)
            throw core::RuntimeError(
                fmt::format("cannot send from {}: bind: {}", source.to_string(), std::strerror(err)));
        throw core::RuntimeError(fmt::format("cannot open a raw socket ({}): {}", what, std::strerror(err)));
    }

    std::unique_ptr<Capture> capture(const CaptureRequest& request) override {
        return std::make_unique<Capture>(request.ifname, capture_filter(request), request.buffer_bytes,
                                         capture_snap_length(request));
    }
};

}  // namespace

std::string capture_filter(const CaptureRequest& request) {
    switch (request.kind) {
        case CaptureKind::discovery:
            return discovery_filter(request.a, request.b);
        case CaptureKind::udp_replies:
            return udp_reply_filter(request.a);
        case CaptureKind::syn_replies:
            break;
    }
    return reply_filter(request.a, request.b);
}

int capture_snap_length(const CaptureRequest& request) {
    return request.kind == CaptureKind::udp_replies ? 2048 : Capture::header_snap_length;
}

RawAccess& local_raw_access() {
    static LocalRawAccess access;
    return access;
}

namespace detail {

int open_raw_socket(const core::Address& source, int protocol) {
    if (source.is_v4()) {
        const int fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);  // send-only by design
        if (fd < 0) return -errno;
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
        return fd;
    }
    if (protocol != IPPROTO_TCP && protocol != IPPROTO_ICMPV6 && protocol != IPPROTO_UDP)
        return -EPROTONOSUPPORT;
    const int fd = ::socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd < 0) return -errno;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    // Never receive: the capture does that. Drop every inbound copy in the kernel, for good.
    sock_filter drop_all{BPF_RET | BPF_K, 0, 0, 0};
    sock_fprog program{1, &drop_all};
    const int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &one, sizeof one) != 0) {
        const int err = errno;
        ::close(fd);
        return -err;
    }
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof one);
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    std::memcpy(&sa.sin6_addr, source.bytes.data(), 16);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        const int err = errno;
        ::close(fd);
        return -err;
    }
    return fd;
}

}  // namespace detail

}  // namespace ghostport::scanner
