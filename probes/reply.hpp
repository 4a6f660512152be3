// SPDX-License-Identifier: GPL-2.0-or-later
// Parses a captured frame into the TCP header fields of a possible reply to a probe, or rejects it.
//
// Design notes
// - Pure parsing: no pcap.h, no allocation, no exceptions, and every read is bounds-checked against the
//   span, so any byte string is safe to pass.
// - Link layer, IPv4 and IPv6 (with its extension-header chain): located by locate_ip_packet, with the
//   checks listed in probes/ip_frame.hpp (link types, IHL, total length, no fragments, IPv6 payload length
//   and no jumbograms, at most `max_extension_headers` extension headers, atomic fragments only). Capture
//   with a snap length that covers whole replies: a truncated capture is rejected, not guessed at.
// - Upper layer: IPv4 protocol 6 (TCP) or 1 (ICMP), or an IPv6 chain ending in TCP or ICMPv6 (58);
//   anything else is rejected.
// - ICMP errors: an IPv4 ICMP type 3 or ICMPv6 type 1 message whose quoted packet (RFC 792, RFC 4443 §3.1)
//   is IPv4 or IPv6 carrying TCP directly (IPv4 unfragmented), with at least the first 8 bytes of the TCP
//   header quoted (ports and sequence number); the quoted packet's lengths are not checked against the quote,
//   which routers truncate.
// - TCP (RFC 9293 §3.1): data offset >= 5 and within the segment. Checksums are not verified: replies that
//   a host sends to itself are captured before checksum offload fills them in, and the SYN cookie is what
//   authenticates a reply (see syn_cookie.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/address.hpp"
#include "probes/ip_frame.hpp"

namespace ghostport::probes {

// What kind of packet answered: a TCP segment, or an ICMP/ICMPv6 destination-unreachable error that quotes a
// TCP segment (ICMP type 3, any code, RFC 792; ICMPv6 type 1, any code, RFC 4443 §3.1).
enum class ReplyKind : std::uint8_t { tcp, unreachable };

// The fields of a TCP segment that matter to a scanner. Addresses and ports are the reply's own: `src` is
// the scanned host and `dst` is us. For an unreachable error they are those of the quoted segment, swapped
// so that they read as a reply would (src = the quoted destination, sport = its destination port), `seq`
// is the quoted segment's sequence number, `flags`, `ack` and `window` are 0 and `ttl` is the error's own.
struct Reply {
    ReplyKind kind = ReplyKind::tcp;
    core::Address src;
    core::Address dst;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::uint8_t flags = 0;  // tcp_flag bits
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t window = 0;
    std::uint8_t ttl = 0;  // IPv4 TTL or IPv6 hop limit, as received

    bool operator==(const Reply&) const = default;
};

// The TCP reply carried by `frame`, a captured frame starting at the link header described by `link`;
// nullopt when the frame is not one complete, unfragmented TCP/IPv4 or TCP/IPv6 packet that passes the
// checks in the notes above and in probes/ip_frame.hpp. Never reads outside `frame`.
std::optional<Reply> parse_reply(std::span<const std::uint8_t> frame, LinkType link) noexcept;

}  // namespace ghostport::probes
