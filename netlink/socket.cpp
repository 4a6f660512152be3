// SPDX-License-Identifier: GPL-2.0-or-later
// The netlink socket: open, send, receive one answer or a whole dump.
#include "netlink/socket.hpp"

#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::netlink {

namespace {

// The kernel's dump messages fill at most 32 KiB (sock_diag up to a page size of 64 KiB): room for both.
constexpr std::size_t receive_buffer = 64 * 1024;

}  // namespace

Socket::Socket(int protocol, std::string what, std::chrono::milliseconds timeout)
    : timeout_(timeout), what_(std::move(what)), buffer_(receive_buffer) {
    fd_ = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd_ < 0)
        throw core::RuntimeError(
            fmt::format("{}: cannot open a netlink socket: {}", what_, std::strerror(errno)));
    sockaddr_nl self{};
    self.nl_family = AF_NETLINK;
    socklen_t len = sizeof self;
    auto ms = timeout.count() > 0 ? timeout.count() : 1;
    timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&self), sizeof self) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&self), &len) != 0 ||
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
        int err = errno;
        ::close(fd_);
        fd_ = -1;
        throw core::RuntimeError(
            fmt::format("{}: cannot set up a netlink socket: {}", what_, std::strerror(err)));
    }
    port_id_ = self.nl_pid;
}

Socket::~Socket() {
    if (fd_ >= 0) ::close(fd_);
}

Socket::Socket(Socket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      port_id_(other.port_id_),
      seq_(other.seq_),
      timeout_(other.timeout_),
      what_(std::move(other.what_)),
      buffer_(std::move(other.buffer_)) {}

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this == &other) return *this;
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    port_id_ = other.port_id_;
    seq_ = other.seq_;
    timeout_ = other.timeout_;
    what_ = std::move(other.what_);
    buffer_ = std::move(other.buffer_);
    return *this;
}

unsigned Socket::send(nlmsghdr* msg) {
    if (fd_ < 0) throw core::RuntimeError(fmt::format("{}: the netlink socket was moved from", what_));
    msg->nlmsg_seq = ++seq_;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    for (;;) {
        auto* to = reinterpret_cast<sockaddr*>(&kernel);
        if (::sendto(fd_, msg, msg->nlmsg_len, 0, to, sizeof kernel) >= 0) return msg->nlmsg_seq;
        if (errno != EINTR)
            throw core::RuntimeError(
                fmt::format("{}: cannot send to the kernel (netlink): {}", what_, std::strerror(errno)));
    }
}

void Socket::receive(unsigned sent, const std::function<bool(const nlmsghdr*)>& on_message) {
    if (fd_ < 0) throw core::RuntimeError(fmt::format("{}: the netlink socket was moved from", what_));
    for (;;) {
        sockaddr_nl from{};
        socklen_t from_len = sizeof from;
        ssize_t n = ::recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_TRUNC,
                               reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                throw core::RuntimeError(fmt::format("{}: the kernel did not answer within {} ms (netlink)",
                                                     what_, timeout_.count()));
            throw core::RuntimeError(
                fmt::format("{}: cannot receive from the kernel (netlink): {}", what_, std::strerror(errno)));
        }
        if (static_cast<std::size_t>(n) > buffer_.size())
            throw core::RuntimeError(
                fmt::format("{}: a netlink answer did not fit the receive buffer", what_));
        if (from.nl_pid != 0) continue;  // only the kernel answers
        int len = static_cast<int>(n);
        for (auto* nh = reinterpret_cast<const nlmsghdr*>(buffer_.data()); NLMSG_OK(nh, len);
             nh = NLMSG_NEXT(nh, len)) {
            if (nh->nlmsg_seq != sent || nh->nlmsg_pid != port_id_) continue;
            if (on_message(nh)) return;
        }
    }
}

int Socket::error_of(const nlmsghdr* m) const {
    if (m->nlmsg_type != NLMSG_ERROR) return -1;
    if (m->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr)))
        throw core::RuntimeError(fmt::format("{}: truncated netlink error message", what_));
    return -static_cast<const nlmsgerr*>(NLMSG_DATA(m))->error;
}

DumpStatus Socket::dump(nlmsghdr* request, const std::function<void(const nlmsghdr*)>& on_message) {
    request->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
    DumpStatus status;
    receive(send(request), [&](const nlmsghdr* m) {
        if (m->nlmsg_flags & NLM_F_DUMP_INTR) status.interrupted = true;
        if (m->nlmsg_type == NLMSG_DONE) {
            if (m->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
                int code = 0;
                std::memcpy(&code, NLMSG_DATA(m), sizeof code);
                status.error = code < 0 ? -code : 0;
            }
            return true;
        }
        if (m->nlmsg_type == NLMSG_ERROR) {
            status.error = error_of(m);
            return true;
        }
        on_message(m);
        return false;
    });
    return status;
}

}  // namespace ghostport::netlink
