// SPDX-License-Identifier: GPL-2.0-or-later
// How the UDP engine's datagrams leave and its answers and ICMP errors come back: through the kernel's UDP
// sockets (udp_socket.hpp, no privilege needed) or raw sockets and libpcap (udp_raw.hpp, the raw path the
// SYN engine uses, through the same RawAccess seam). The scheduler above never knows which.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/address.hpp"
#include "scanner/udp_scheduler.hpp"

namespace ghostport::scanner {

class UdpTransport {
  public:
    virtual ~UdpTransport() = default;
    // Sends `bytes` to host:port; returns 0 or the errno it was refused with. Throws core::RuntimeError when
    // the path cannot be opened at all.
    virtual int send(const core::Address& host, std::uint16_t port, std::string_view bytes) = 0;
    // Reads at most `max` queued answers and errors, handing each to `on_event`; returns how many it read.
    virtual std::size_t drain(const std::function<void(const UdpEvent&)>& on_event, std::size_t max) = 0;
    // Waits until something is queued or `timeout_ms` passed.
    virtual void wait(int timeout_ms) = 0;
};

}  // namespace ghostport::scanner
