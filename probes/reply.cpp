// SPDX-License-Identifier: GPL-2.0-or-later
// Parses a captured frame into the TCP header fields of a possible reply to a probe, or rejects it.
#include "probes/reply.hpp"

#include <algorithm>

#include "probes/byte_order.hpp"

namespace ghostport::probes {
namespace {

using Bytes = std::span<const std::uint8_t>;
using detail::ipv4_min_header;
using detail::ipv6_header;
using detail::load_be16;
using detail::load_be32;
using detail::protocol_icmp;
using detail::protocol_icmpv6;
using detail::protocol_tcp;
using detail::tcp_min_header;

constexpr std::size_t icmp_header = 8;
constexpr std::size_t quoted_tcp = 8;  // ports and sequence number
constexpr std::uint8_t icmp_unreachable = 3;
constexpr std::uint8_t icmpv6_unreachable = 1;

// An unreachable reply from the packet quoted in an ICMP error: `quoted` starts at the quoted IP header.
std::optional<Reply> parse_quoted(std::span<const std::uint8_t> quoted, core::Family family,
                                  std::uint8_t ttl) {
    const std::uint8_t* p = quoted.data();
    std::size_t header = 0;
    Reply out;
    out.kind = ReplyKind::unreachable;
    out.src.family = out.dst.family = family;
    if (family == core::Family::v4) {
        if (quoted.size() < ipv4_min_header || (p[0] >> 4) != 4) return std::nullopt;
        header = std::size_t{p[0] & 0x0Fu} * 4;
        if (header < ipv4_min_header || p[9] != protocol_tcp || (load_be16(p + 6) & 0x1FFFu))
            return std::nullopt;
        std::copy_n(p + 16, 4, out.src.bytes.begin());  // the quoted destination: the scanned host
        std::copy_n(p + 12, 4, out.dst.bytes.begin());
    } else {
        if (quoted.size() < ipv6_header || (p[0] >> 4) != 6 || p[6] != protocol_tcp) return std::nullopt;
        header = ipv6_header;
        std::copy_n(p + 24, 16, out.src.bytes.begin());
        std::copy_n(p + 8, 16, out.dst.bytes.begin());
    }
    if (quoted.size() < header + quoted_tcp) return std::nullopt;
    const std::uint8_t* t = p + header;
    out.dport = load_be16(t);  // the quoted source port: ours
    out.sport = load_be16(t + 2);
    out.seq = load_be32(t + 4);
    out.ttl = ttl;
    return out;
}

// Fills the TCP fields of `out` from `segment`, the IP payload (exactly as long as the IP header says).
std::optional<Reply> parse_tcp(Bytes segment, Reply& out) {
    if (segment.size() < tcp_min_header) return std::nullopt;
    const std::size_t data_offset = static_cast<std::size_t>(segment[12] >> 4) * 4;
    if (data_offset < tcp_min_header || data_offset > segment.size()) return std::nullopt;
    const std::uint8_t* p = segment.data();
    out.sport = load_be16(p);
    out.dport = load_be16(p + 2);
    out.seq = load_be32(p + 4);
    out.ack = load_be32(p + 8);
    out.flags = p[13];
    out.window = load_be16(p + 14);
    return out;
}

}  // namespace

std::optional<Reply> parse_reply(std::span<const std::uint8_t> frame, LinkType link) noexcept {
    const std::optional<IpPacket> ip = locate_ip_packet(frame, link);
    if (!ip) return std::nullopt;
    const bool v4 = ip->src.is_v4();
    if (ip->protocol == (v4 ? protocol_icmp : protocol_icmpv6)) {
        const Bytes icmp = ip->payload;
        if (icmp.size() < icmp_header || icmp[0] != (v4 ? icmp_unreachable : icmpv6_unreachable))
            return std::nullopt;
        return parse_quoted(icmp.subspan(icmp_header), ip->src.family, ip->ttl);
    }
    if (ip->protocol != protocol_tcp) return std::nullopt;
    Reply out;
    out.src = ip->src;
    out.dst = ip->dst;
    out.ttl = ip->ttl;
    return parse_tcp(ip->payload, out);
}

}  // namespace ghostport::probes
