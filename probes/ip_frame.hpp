// SPDX-License-Identifier: GPL-2.0-or-later
// Locates the IP packet in a captured frame: the link layer, the IPv4 or IPv6 header and the IPv6
// extension-header chain, checked once for every parser of captured answers (probes/reply.hpp,
// probes/discovery_packets.hpp), which then judge the upper-layer message themselves.
//
// Design notes
// - Pure parsing: it takes the bytes and the link type libpcap reports, and never includes pcap.h (the
//   parsing library never depends on the capture library). No allocation, no exceptions, and every read is
//   bounds-checked against the span, so any byte string is safe to pass.
// - Link layers: Ethernet II with at most one 802.1Q tag (0x8100; 802.1ad 0x88A8 and stacked tags are
//   rejected), Linux cooked SLL (16-byte header) and SLL2 (20-byte header), whose protocol field may also
//   be 0x8100 followed by one tag, raw IP (the version nibble picks IPv4 or IPv6), and BSD loopback
//   (DLT_NULL/DLT_LOOP: a 4-byte address family in either byte order; AF_INET is 2 everywhere, AF_INET6 is
//   10 on Linux, 24 on Net/OpenBSD, 28 on FreeBSD and 30 on macOS). The EtherType or family must agree
//   with the IP version nibble.
// - IPv4 (RFC 791): IHL >= 5 and within the packet; total length >= IHL*4 and within the capture (bytes past
//   it, such as Ethernet padding, are ignored); any fragment (MF set or offset != 0) is rejected, since
//   an answer to a probe fits in one datagram and a fragment's upper-layer header cannot be trusted. DF and
//   the reserved bit pass. Capture with a snap length that covers whole answers: a truncated capture is
//   rejected, not guessed at. Options are skipped, not parsed.
// - IPv6 (RFC 8200): payload length within the capture, 0 (jumbogram) rejected; bytes past the payload are
//   ignored. The extension-header chain is walked through hop-by-hop options (0, only first, §4.1),
//   routing (43), fragment (44) and destination options (60), at most `max_extension_headers` of them
//   (a longer chain is rejected), each within the payload; a fragment header is accepted only as an atomic
//   fragment (offset 0 and M clear, RFC 6946; the reserved bits are ignored), which carries a whole
//   packet. The walk ends at the first other Next Header value; AH (51), ESP (50), no next header (59) and
//   the other extension headers IANA lists (mobility 135, HIP 139, shim6 140, experimental 253 and 254)
//   are rejected there, since no upper-layer message can be located behind them. Any other value is
//   returned as the upper-layer protocol, for the caller to accept or not.
// - Nothing above the IP layer is looked at: the caller checks the protocol and the message.
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

// Extension headers an IPv6 packet may carry before its upper-layer message; a longer chain is rejected.
inline constexpr std::size_t max_extension_headers = 8;

// The LinkType for `dlt`, a data-link type as pcap_datalink() returns it (DLT_NULL 0, DLT_EN10MB 1,
// DLT_RAW 12 (14 on OpenBSD), DLT_LOOP 108 (12 on OpenBSD), DLT_LINUX_SLL 113, DLT_IPV4 228, DLT_IPV6 229,
// DLT_LINUX_SLL2 276); nullopt for every other value.
std::optional<LinkType> link_type_from_dlt(int dlt) noexcept;

// An IP packet located in a captured frame. The IP version is the addresses' family.
struct IpPacket {
    core::Address src;
    core::Address dst;
    std::uint8_t ttl = 0;       // IPv4 TTL or IPv6 hop limit, as received
    std::uint8_t protocol = 0;  // IPv4 protocol, or the IPv6 Next Header that ends the extension-header chain
    // The upper-layer message: after the IPv4 header (options included) or the IPv6 extension headers, and
    // exactly as long as the IP header says. A view into the frame passed to locate_ip_packet.
    std::span<const std::uint8_t> payload;
};

// The IP packet carried by `frame`, a captured frame starting at the link header described by `link`;
// nullopt when the frame is not one complete, unfragmented IPv4 or IPv6 packet that passes the checks in
// the notes above. Never reads outside `frame`.
std::optional<IpPacket> locate_ip_packet(std::span<const std::uint8_t> frame, LinkType link) noexcept;

namespace detail {

// Protocol numbers and header sizes that the parsers of IP payloads share.
inline constexpr std::uint8_t protocol_icmp = 1;
inline constexpr std::uint8_t protocol_tcp = 6;
inline constexpr std::uint8_t protocol_icmpv6 = 58;
inline constexpr std::size_t ipv4_min_header = 20;
inline constexpr std::size_t ipv6_header = 40;
inline constexpr std::size_t tcp_min_header = 20;

}  // namespace detail
}  // namespace ghostport::probes
