// SPDX-License-Identifier: GPL-2.0-or-later
// One netlink socket to the kernel: a request stamped with a sequence number, its answers (single or a
// multipart dump until NLMSG_DONE, errors as NLMSG_ERROR), with a receive time-out. Used by the route
// resolver (NETLINK_ROUTE) and the socket table (NETLINK_SOCK_DIAG).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

struct nlmsghdr;

namespace ghostport::netlink {

// What a dump ended with.
struct DumpStatus {
    int error = 0;             // 0, or the positive errno the kernel answered with (NLMSG_ERROR or DONE)
    bool interrupted = false;  // NLM_F_DUMP_INTR: the table changed while it was read; read it again
};

class Socket {
  public:
    // Opens socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol), binds it and sets the receive time-out.
    // `what` names the user in error messages ("route lookup", "socket table"). Throws core::RuntimeError
    // with a one-line message when that fails.
    Socket(int protocol, std::string what, std::chrono::milliseconds timeout = std::chrono::seconds(1));
    ~Socket();
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    Socket(Socket&& other) noexcept;
    Socket& operator=(Socket&& other) noexcept;

    // Stamps a fresh sequence number on `msg`, sends it to the kernel and returns the number. Throws
    // core::RuntimeError when it cannot be sent.
    unsigned send(nlmsghdr* msg);

    // Passes each message answering `sent` to on_message until it returns true. Messages of other senders
    // or of earlier requests (answered after a time-out) are skipped. Throws core::RuntimeError when the
    // kernel does not answer within the time-out, or an answer does not fit the buffer.
    void receive(unsigned sent, const std::function<bool(const nlmsghdr*)>& on_message);

    // Sends `request` (NLM_F_DUMP is added) and passes every message of the answer except NLMSG_DONE and
    // NLMSG_ERROR to on_message; returns how the dump ended. Throws core::RuntimeError as send and receive,
    // and for a truncated error message.
    DumpStatus dump(nlmsghdr* request, const std::function<void(const nlmsghdr*)>& on_message);

    // The error a one-message request was answered with: 0 for an acknowledgement, a positive errno, or -1
    // when `m` is not an NLMSG_ERROR. Throws core::RuntimeError for a truncated error message.
    int error_of(const nlmsghdr* m) const;

    bool is_open() const { return fd_ >= 0; }
    const std::string& what() const { return what_; }

  private:
    int fd_ = -1;
    unsigned port_id_ = 0;
    unsigned seq_ = 0;
    std::chrono::milliseconds timeout_{};
    std::string what_;
    std::vector<char> buffer_;
};

}  // namespace ghostport::netlink
