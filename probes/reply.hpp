// Parses a captured frame into the TCP header fields of a possible reply to a probe, or rejects it.
//
// Design notes
// - Pure parsing: it takes the bytes and the link type libpcap reports, and never includes pcap.h (the
//   parsing library never depends on the capture library). No allocation, no exceptions, and every read is
//   bounds-checked against the span, so any byte string is safe to pass.
// - Link layers: Ethernet II with at most one 802.1Q tag (0x8100; 802.1ad 0x88A8 and stacked tags are
//   rejected), Linux cooked SLL (16-byte header) and SLL2 (20-byte header), whose protocol field may also
//   be 0x8100 followed by one tag, raw IP (the version nibble picks IPv4 or IPv6), and BSD loopback
//   (DLT_NULL/DLT_LOOP: a 4-byte address family in either byte order; AF_INET is 2 everywhere, AF_INET6 is
//   10 on Linux, 24 on Net/OpenBSD, 28 on FreeBSD and 30 on macOS). The family must agree with the IP
//   version nibble.
// - IPv4 (RFC 791): IHL >= 5 and within the packet; total length >= IHL*4 and within the capture (bytes past
//   it, such as Ethernet padding, are ignored); any fragment (MF set or offset != 0) is rejected, since
//   a probe reply fits in one datagram and a fragment's TCP header cannot be trusted; protocol must be 6.
//   Capture with a snap length that covers whole replies: a truncated capture is rejected, not guessed at.
// - IPv6 (RFC 8200): payload length within the capture, 0 (jumbogram) rejected. The extension-header chain
//   is walked through hop-by-hop options (0, only first, §4.1), routing (43), fragment (44) and destination
//   options (60), at most `max_extension_headers` of them; a fragment header is accepted only as an atomic
//   fragment (offset 0 and M clear, RFC 6946), which carries a whole packet. AH (51), ESP (50),
//   no-next-header (59) and anything unknown are rejected.
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

namespace ghostport::probes {

// The link-layer framing in front of the IP header, as libpcap's data-link types name it.
enum class LinkType : std::uint8_t {
    ethernet,    // DLT_EN10MB
    linux_sll,   // DLT_LINUX_SLL
    linux_sll2,  // DLT_LINUX_SLL2
    raw_ip,      // DLT_RAW, DLT_IPV4, DLT_IPV6
    null_loop,   // DLT_NULL, DLT_LOOP
};

// Extension headers an IPv6 reply may carry before TCP; a longer chain is rejected.
inline constexpr std::size_t max_extension_headers = 8;

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

// The LinkType for `dlt`, a data-link type as pcap_datalink() returns it (DLT_NULL 0, DLT_EN10MB 1,
// DLT_RAW 12 (14 on OpenBSD), DLT_LOOP 108 (12 on OpenBSD), DLT_LINUX_SLL 113, DLT_IPV4 228, DLT_IPV6 229,
// DLT_LINUX_SLL2 276); nullopt for every other value.
std::optional<LinkType> link_type_from_dlt(int dlt) noexcept;

// The TCP reply carried by `frame`, a captured frame starting at the link header described by `link`;
// nullopt when the frame is not one complete, unfragmented TCP/IPv4 or TCP/IPv6 packet that passes the
// checks in the notes above. Never reads outside `frame`.
std::optional<Reply> parse_reply(std::span<const std::uint8_t> frame, LinkType link) noexcept;

}  // namespace ghostport::probes
