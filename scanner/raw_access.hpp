// SPDX-License-Identifier: GPL-2.0-or-later
// Where the raw engines get their privileged handles: raw sockets to send from and packet captures to read
// answers from. Either this process opens them (it holds CAP_NET_RAW), or the privileged part of a scan that
// separated privileges opens them for its unprivileged worker and hands them over (cli/privsep.hpp).
//
// Design notes
// - The engines never call socket(SOCK_RAW) or pcap themselves: every handle comes through this seam, so a
//   capture opened late in a scan (a route through a new interface, UDP, discovery) works the same in a
//   worker that holds no capability at all.
// - A capture is asked for by kind and parameters, never by filter text: the privileged part builds the BPF
//   filter itself, so a compromised worker cannot turn a capture into a sniffer of other traffic.
// - Raw sockets that could receive (IPv6 raw sockets of a protocol) get a drop-everything socket filter,
//   locked (SO_LOCK_FILTER), and a minimal receive buffer: they send, they never read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/address.hpp"

namespace ghostport::scanner {

class Capture;

// Which answers a capture lets through (the filter is built from these by capture_filter()).
enum class CaptureKind : std::uint8_t {
    syn_replies,  // the SYN engine: TCP to source ports [a, b], ICMP errors (reply_filter)
    discovery,    // raw host discovery: TCP to port a, echo/timestamp replies with identifier b
    udp_replies,  // the UDP engine: UDP to source port a, ICMP errors (udp_reply_filter); 2 KiB of each
};

struct CaptureRequest {
    std::string ifname;
    CaptureKind kind = CaptureKind::syn_replies;
    std::uint16_t a = 0, b = 0;
    int buffer_bytes = 16 << 20;
};

// The BPF filter of a request (reply_filter, discovery_filter or udp_reply_filter).
std::string capture_filter(const CaptureRequest& request);
// The snap length of a request's capture: headers only, but for UDP answers the first 2 KiB.
int capture_snap_length(const CaptureRequest& request);

class RawAccess {
  public:
    virtual ~RawAccess() = default;

    // A raw socket to send from `source`'s family: IPv4 is one AF_INET/IPPROTO_RAW socket (our own IP
    // header; `protocol` is ignored); IPv6 is an AF_INET6 socket of `protocol` (IPPROTO_TCP, IPPROTO_ICMPV6
    // or IPPROTO_UDP) bound to `source`, which never queues what it would receive. The caller owns the
    // descriptor. Throws core::RuntimeError naming the family and the reason.
    virtual int raw_socket(const core::Address& source, int protocol) = 0;

    // A capture of inbound packets as `request` says. Throws core::RuntimeError naming the interface.
    virtual std::unique_ptr<Capture> capture(const CaptureRequest& request) = 0;
};

// Opens everything in this process (which must hold CAP_NET_RAW). Stateless; one instance for all.
RawAccess& local_raw_access();

namespace detail {
// The descriptor local_raw_access() would return, or -errno (for the privileged part's own use).
int open_raw_socket(const core::Address& source, int protocol);
}  // namespace detail

}  // namespace ghostport::scanner
