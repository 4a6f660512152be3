// SPDX-License-Identifier: GPL-2.0-or-later
// Host discovery with raw packets (the "syn" method): ICMP echo, TCP SYN to 443, TCP ACK to 80 and, on IPv4,
// ICMP timestamp, sent from raw sockets; answers read with libpcap and authenticated with no per-probe state.
//
// Design notes
// - One thread. Rounds: every host that has not answered gets its probes, paced by a RateLimiter (20000
//   packets a second by default, or options.max_rate), then the round waits options.timeout after
//   its last probe, reading answers meanwhile; 1 + options.retries rounds, then it returns (at once when
//   every host has answered). Between sends and while waiting it sleeps in ppoll() on the capture fds, in
//   slices of at most 20 ms, so `stop` is seen within that.
// - Sending: IPv4 probes carry our own IPv4 header on one AF_INET/IPPROTO_RAW socket. IPv6 probes go through
//   two raw sockets per source address, bound to it (the checksums cover it): IPPROTO_ICMPV6 for the echo
//   request and IPPROTO_TCP for the TCP probes, each with a drop-everything socket filter and a minimal
//   receive buffer, since the capture reads the answers. The source address and interface are the kernel's
//   (RouteResolver); a host with no route, or whose send is refused (EHOSTUNREACH, ENETUNREACH, EPERM...),
//   simply gets no answer.
// - Matching (probes/discovery_packets.hpp): a per-run SipHash key, one random TCP source port in
//   [20000, 32767] (below Linux's ephemeral range; the SYN engine's ports lie above it) and a random ICMP
//   identifier; the SYN's seq, the ACK's ack and the ICMP sequence are cookies of (us, host), so an answer is
//   matched without a table. It counts only when its source is a host of the set.
// - Receiving: one Capture (inbound, immediate mode) per interface the routes use, opened before the first
//   probe through it, with a BPF filter for echo and timestamp replies carrying our identifier, ICMPv6 echo
//   replies carrying it (libpcap's icmp6[] sees only those without extension headers), and TCP to our port.
// - Per host: the send time of its latest round (32-bit microseconds, wrapping; RTTs are far shorter) and
//   whether it answered; a host is reported once, with the RTT from its latest round's probes.
#pragma once

#include "scanner/discovery.hpp"

namespace ghostport::scanner {

class RawDiscovery final : public Discovery {
  public:
    explicit RawDiscovery(const DiscoveryOptions& options) : options_(options) {}

    // See Discovery::run. Throws core::RuntimeError when a raw socket or a capture cannot be opened, or the
    // set holds more hosts than the per-host arrays allow (2^26).
    void run(const TargetSet& hosts, const std::function<void(const HostUp&)>& on_up,
             const std::atomic<bool>* stop) override;

  private:
    DiscoveryOptions options_;
};

}  // namespace ghostport::scanner
