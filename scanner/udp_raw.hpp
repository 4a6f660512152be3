// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP engine's raw path: datagrams written whole (probes/udp_packet) and sent through raw sockets, and
// answers and ICMP errors read from libpcap captures, both handed out by RawAccess exactly as the SYN
// engine's are (so a worker that separated privileges uses its broker's handles).
//
// Design notes
// - One source port for the whole scan, above the kernel's ephemeral range (source_ports), held by an
//   ordinary UDP socket that never reads: the kernel then has a socket for the answers and sends no port
//   unreachable back to the hosts that answered.
// - Matching needs no state per datagram: an answer is ours when it comes to our port; an IPv4 ICMP error
//   when the IP ID it quotes is the cookie of the (host, port) it quotes (a keyed hash, probes/syn_cookie),
//   which a host that never saw the datagram cannot forge; an IPv6 error when it quotes our port.
// - Captures are opened on each interface a route uses, the first time one does, with a snap length that
//   keeps 2 KiB of an answer (enough for identification).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "probes/siphash.hpp"
#include "scanner/route.hpp"
#include "scanner/udp_transport.hpp"

namespace ghostport::scanner {

class Capture;
class RawAccess;

class UdpRawTransport final : public UdpTransport {
  public:
    explicit UdpRawTransport(RawAccess& raw);
    ~UdpRawTransport() override;
    UdpRawTransport(const UdpRawTransport&) = delete;
    UdpRawTransport& operator=(const UdpRawTransport&) = delete;

    int send(const core::Address& host, std::uint16_t port, std::string_view bytes) override;
    std::size_t drain(const std::function<void(const UdpEvent&)>& on_event, std::size_t max) override;
    void wait(int timeout_ms) override;

  private:
    struct Source {
        core::Address address;
        int fd = -1;
    };
    const Source* source_for(const core::Address& host);
    std::uint16_t cookie(const core::Address& src, const core::Address& host, std::uint16_t port) const;

    RawAccess& raw_;
    RouteResolver routes_;
    probes::SipKey key_;
    std::uint16_t sport_ = 0;
    int hold_v4_ = -1, hold_v6_ = -1;  // the UDP sockets that hold sport_
    int raw_v4_ = -1;                  // IPv4: one IPPROTO_RAW socket for every source
    std::map<core::Address, Source> sources_;
    std::map<core::Address, const Source*> host_sources_;  // routed hosts (bounded by the scan's window)
    std::vector<std::unique_ptr<Capture>> captures_;
};

}  // namespace ghostport::scanner
