// SPDX-License-Identifier: GPL-2.0-or-later
#include "probes/udp_packet.hpp"

#include <algorithm>

#include "probes/byte_order.hpp"
#include "probes/checksum.hpp"

namespace ghostport::probes {

namespace {

using Bytes = std::span<const std::uint8_t>;
using detail::ipv4_min_header;
using detail::ipv6_header;
using detail::load_be16;
using detail::store_be16;

constexpr std::uint8_t protocol_udp = 17;
constexpr std::size_t udp_header = 8;
constexpr std::size_t icmp_header = 8;
constexpr std::size_t max_payload = 65507;

}  // namespace

std::vector<std::uint8_t> udp_probe(const core::Address& src, const core::Address& dst, std::uint16_t sport,
                                    std::uint16_t dport, std::string_view payload, std::uint16_t ip_id) {
    if (src.family != dst.family || payload.size() > max_payload) return {};
    const bool v4 = src.is_v4();
    const std::size_t ip = v4 ? ipv4_min_header : 0;
    const std::size_t udp_length = udp_header + payload.size();
    std::vector<std::uint8_t> out(ip + udp_length, 0);
    if (v4) {
        std::uint8_t* h = out.data();
        h[0] = 0x45;
        store_be16(h + 2, static_cast<std::uint16_t>(out.size()));
        store_be16(h + 4, ip_id);
        h[8] = 64;
        h[9] = protocol_udp;
        std::copy_n(src.bytes.begin(), 4, h + 12);
        std::copy_n(dst.bytes.begin(), 4, h + 16);
        store_be16(h + 10, internet_checksum(Bytes(h, ipv4_min_header)));
    }
    std::uint8_t* u = out.data() + ip;
    store_be16(u, sport);
    store_be16(u + 2, dport);
    store_be16(u + 4, static_cast<std::uint16_t>(udp_length));
    std::copy(payload.begin(), payload.end(), u + udp_header);
    const std::uint16_t pseudo =
        pseudo_header_sum(src, dst, protocol_udp, static_cast<std::uint32_t>(udp_length));
    std::uint16_t sum = internet_checksum(Bytes(u, udp_length), pseudo);
    if (sum == 0) sum = 0xFFFF;
    store_be16(u + 6, sum);
    return out;
}

std::optional<UdpReply> parse_udp_reply(std::span<const std::uint8_t> frame, LinkType link) noexcept {
    const std::optional<IpPacket> ip = locate_ip_packet(frame, link);
    if (!ip) return std::nullopt;
    const bool v4 = ip->src.is_v4();
    UdpReply out;
    if (ip->protocol == protocol_udp) {
        const Bytes d = ip->payload;
        if (d.size() < udp_header) return std::nullopt;
        const std::size_t length = load_be16(d.data() + 4);
        if (length < udp_header || length > d.size()) return std::nullopt;
        out.kind = UdpReply::Kind::datagram;
        out.host = ip->src;
        out.host_port = load_be16(d.data());
        out.our_port = load_be16(d.data() + 2);
        out.payload = d.subspan(udp_header, length - udp_header);
        return out;
    }
    if (ip->protocol != (v4 ? detail::protocol_icmp : detail::protocol_icmpv6)) return std::nullopt;
    const Bytes icmp = ip->payload;
    if (icmp.size() < icmp_header || icmp[0] != (v4 ? 3 : 1)) return std::nullopt;
    const Bytes q = icmp.subspan(icmp_header);
    std::size_t header = 0;
    out.kind = UdpReply::Kind::icmp;
    out.icmp_type = icmp[0];
    out.icmp_code = icmp[1];
    out.offender = ip->src;
    out.host.family = ip->src.family;
    if (v4) {
        if (q.size() < ipv4_min_header || (q[0] >> 4) != 4) return std::nullopt;
        header = std::size_t{q[0] & 0x0Fu} * 4;
        if (header < ipv4_min_header || q[9] != protocol_udp || (load_be16(q.data() + 6) & 0x1FFFu))
            return std::nullopt;
        out.quoted_ip_id = load_be16(q.data() + 4);
        std::copy_n(q.data() + 16, 4, out.host.bytes.begin());
    } else {
        if (q.size() < ipv6_header || (q[0] >> 4) != 6 || q[6] != protocol_udp) return std::nullopt;
        header = ipv6_header;
        std::copy_n(q.data() + 24, 16, out.host.bytes.begin());
    }
    if (q.size() < header + udp_header) return std::nullopt;
    out.our_port = load_be16(q.data() + header);
    out.host_port = load_be16(q.data() + header + 2);
    return out;
}

}  // namespace ghostport::probes
