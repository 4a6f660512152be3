// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP scan's datagram path through the kernel's own UDP sockets, which needs no privilege: one
// unconnected socket per address family with IP_RECVERR / IPV6_RECVERR, so answers arrive as datagrams and
// ICMP errors as error-queue messages naming the destination they quote and the host that sent them.
//
// Design notes
// - Unconnected, not one connected socket per probe: with IP_RECVERR Linux queues every ICMP error for an
//   unconnected UDP socket too (with the quoted destination in msg_name and the sender as SO_EE_OFFENDER),
//   so one descriptor serves every host and port, and nothing grows with the scan.
// - The kernel also matches answers to the socket, so our side never sends port unreachables back for them.
// - An answer is kept up to 16 KiB (the identifier never needs more); a longer one is truncated, not refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "scanner/udp_transport.hpp"

namespace ghostport::scanner {

class UdpSocketTransport final : public UdpTransport {
  public:
    UdpSocketTransport();
    ~UdpSocketTransport();
    UdpSocketTransport(const UdpSocketTransport&) = delete;
    UdpSocketTransport& operator=(const UdpSocketTransport&) = delete;

    int send(const core::Address& host, std::uint16_t port, std::string_view bytes) override;
    std::size_t drain(const std::function<void(const UdpEvent&)>& on_event, std::size_t max) override;
    void wait(int timeout_ms) override;

  private:
    int socket_for(core::Family family);
    std::size_t drain_socket(int fd, bool v6, const std::function<void(const UdpEvent&)>& on_event,
                             std::size_t max);
    int v4_ = -1, v6_ = -1;
    std::vector<std::uint8_t> buffer_;
};

}  // namespace ghostport::scanner
