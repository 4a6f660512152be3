// Parses a captured frame into the TCP header fields of a possible reply to a probe, or rejects it.
#include "probes/reply.hpp"

#include <algorithm>

#include "probes/byte_order.hpp"

namespace ghostport::probes {
namespace {

using Bytes = std::span<const std::uint8_t>;
using detail::load_be16;
using detail::load_be32;
using detail::load_le32;

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86DD;
constexpr std::uint16_t ethertype_vlan = 0x8100;

constexpr std::size_t ethernet_header = 14;
constexpr std::size_t vlan_tag = 4;
constexpr std::size_t sll_header = 16;
constexpr std::size_t sll2_header = 20;
constexpr std::size_t null_header = 4;
constexpr std::size_t ipv4_min_header = 20;
constexpr std::size_t ipv6_header = 40;
constexpr std::size_t tcp_min_header = 20;
constexpr std::uint8_t protocol_tcp = 6;
constexpr std::uint8_t protocol_icmp = 1;
constexpr std::uint8_t protocol_icmpv6 = 58;
constexpr std::size_t icmp_header = 8;
constexpr std::size_t quoted_tcp = 8;  // ports and sequence number

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

enum class IpVersion { none, v4, v6 };

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

std::optional<Reply> parse_ipv4(Bytes packet) {
    if (packet.size() < ipv4_min_header) return std::nullopt;
    const std::uint8_t* p = packet.data();
    if ((p[0] >> 4) != 4) return std::nullopt;
    const std::size_t header = std::size_t{p[0] & 0x0Fu} * 4;
    const std::size_t total = load_be16(p + 2);
    if (header < ipv4_min_header || total < header || total > packet.size()) return std::nullopt;
    // Flags and fragment offset: MF is 0x2000, the offset is the low 13 bits; DF and the reserved bit pass.
    if (load_be16(p + 6) & 0x3FFFu) return std::nullopt;
    if (p[9] == protocol_icmp) {
        const Bytes icmp = packet.subspan(header, total - header);
        if (icmp.size() < icmp_header || icmp[0] != 3) return std::nullopt;  // destination unreachable
        return parse_quoted(icmp.subspan(icmp_header), core::Family::v4, p[8]);
    }
    if (p[9] != protocol_tcp) return std::nullopt;

    Reply out;
    out.src.family = core::Family::v4;
    out.dst.family = core::Family::v4;
    std::copy_n(p + 12, 4, out.src.bytes.begin());
    std::copy_n(p + 16, 4, out.dst.bytes.begin());
    out.ttl = p[8];
    return parse_tcp(packet.subspan(header, total - header), out);
}

std::optional<Reply> parse_ipv6(Bytes packet) {
    if (packet.size() < ipv6_header) return std::nullopt;
    const std::uint8_t* p = packet.data();
    if ((p[0] >> 4) != 6) return std::nullopt;
    const std::size_t payload_length = load_be16(p + 4);
    if (payload_length == 0 || payload_length > packet.size() - ipv6_header) return std::nullopt;
    const Bytes payload = packet.subspan(ipv6_header, payload_length);

    std::uint8_t next = p[6];
    std::size_t offset = 0;  // of the current header within `payload`; always <= payload.size()
    for (std::size_t count = 0; next != protocol_tcp && next != protocol_icmpv6; ++count) {
        if (count == max_extension_headers) return std::nullopt;
        const std::size_t left = payload.size() - offset;
        const std::uint8_t* h = payload.data() + offset;
        std::size_t length = 0;
        switch (next) {
            case 0:  // hop-by-hop options: only directly after the IPv6 header
                if (count != 0) return std::nullopt;
                [[fallthrough]];
            case 43:  // routing
            case 60:  // destination options
                if (left < 2) return std::nullopt;
                length = (std::size_t{h[1]} + 1) * 8;  // Hdr Ext Len counts 8-octet units beyond the first
                break;
            case 44: {  // fragment: fixed 8 bytes; offset in the top 13 bits of bytes 2..3, M in the lowest
                        // bit
                if (left < 8) return std::nullopt;
                const std::uint16_t offset_and_m = load_be16(h + 2);
                if ((offset_and_m >> 3) != 0 || (offset_and_m & 1u) != 0) return std::nullopt;
                length = 8;
                break;
            }
            default:  // AH, ESP, no next header, UDP, ICMPv6, unknown
                return std::nullopt;
        }
        if (length > left) return std::nullopt;
        next = h[0];
        offset += length;
    }

    if (next == protocol_icmpv6) {
        const Bytes icmp = payload.subspan(offset);
        if (icmp.size() < icmp_header || icmp[0] != 1) return std::nullopt;  // destination unreachable
        return parse_quoted(icmp.subspan(icmp_header), core::Family::v6, p[7]);
    }
    Reply out;
    out.src.family = core::Family::v6;
    out.dst.family = core::Family::v6;
    std::copy_n(p + 8, 16, out.src.bytes.begin());
    std::copy_n(p + 24, 16, out.dst.bytes.begin());
    out.ttl = p[7];
    return parse_tcp(payload.subspan(offset), out);
}

// The IP version announced by the first nibble of `packet`.
IpVersion version_of(Bytes packet) {
    if (packet.empty()) return IpVersion::none;
    switch (packet[0] >> 4) {
        case 4:
            return IpVersion::v4;
        case 6:
            return IpVersion::v6;
        default:
            return IpVersion::none;
    }
}

std::optional<Reply> parse_ip(Bytes packet, IpVersion version) {
    switch (version) {
        case IpVersion::v4:
            return parse_ipv4(packet);
        case IpVersion::v6:
            return parse_ipv6(packet);
        case IpVersion::none:
            break;
    }
    return std::nullopt;
}

// Dispatches on an EtherType (Ethernet, SLL, SLL2), stepping over one 802.1Q tag if there is one.
std::optional<Reply> parse_ethertype(std::uint16_t type, Bytes rest) {
    if (type == ethertype_vlan) {
        if (rest.size() < vlan_tag) return std::nullopt;
        type = load_be16(rest.data() + 2);  // after the 16-bit tag control information
        rest = rest.subspan(vlan_tag);
    }
    switch (type) {
        case ethertype_ipv4:
            return parse_ipv4(rest);
        case ethertype_ipv6:
            return parse_ipv6(rest);
        default:
            return std::nullopt;
    }
}

// The IP version named by a BSD loopback address family value, in the capturing host's byte order.
IpVersion loopback_family(std::uint32_t family) {
    switch (family) {
        case 2:
            return IpVersion::v4;
        case 10:
        case 24:
        case 28:
        case 30:
            return IpVersion::v6;
        default:
            return IpVersion::none;
    }
}

}  // namespace

std::optional<LinkType> link_type_from_dlt(int dlt) noexcept {
    switch (dlt) {
        case 0:
            return LinkType::null_loop;  // DLT_NULL
        case 1:
            return LinkType::ethernet;  // DLT_EN10MB
#ifdef __OpenBSD__
        case 12:
            return LinkType::null_loop;  // DLT_LOOP
        case 14:
            return LinkType::raw_ip;  // DLT_RAW
#else
        case 12:
            return LinkType::raw_ip;  // DLT_RAW
        case 108:
            return LinkType::null_loop;  // DLT_LOOP
#endif
        case 113:
            return LinkType::linux_sll;  // DLT_LINUX_SLL
        case 228:
            return LinkType::raw_ip;  // DLT_IPV4
        case 229:
            return LinkType::raw_ip;  // DLT_IPV6
        case 276:
            return LinkType::linux_sll2;  // DLT_LINUX_SLL2
        default:
            return std::nullopt;
    }
}

std::optional<Reply> parse_reply(std::span<const std::uint8_t> frame, LinkType link) noexcept {
    switch (link) {
        case LinkType::ethernet:
            if (frame.size() < ethernet_header) return std::nullopt;
            return parse_ethertype(load_be16(frame.data() + 12), frame.subspan(ethernet_header));
        case LinkType::linux_sll:
            if (frame.size() < sll_header) return std::nullopt;
            return parse_ethertype(load_be16(frame.data() + 14), frame.subspan(sll_header));
        case LinkType::linux_sll2:
            if (frame.size() < sll2_header) return std::nullopt;
            return parse_ethertype(load_be16(frame.data()), frame.subspan(sll2_header));
        case LinkType::raw_ip:
            return parse_ip(frame, version_of(frame));
        case LinkType::null_loop: {
            if (frame.size() < null_header) return std::nullopt;
            const std::uint32_t raw = load_le32(frame.data());
            IpVersion family = loopback_family(raw);
            if (family == IpVersion::none) family = loopback_family(load_be32(frame.data()));
            const Bytes packet = frame.subspan(null_header);
            if (family == IpVersion::none || family != version_of(packet)) return std::nullopt;
            return parse_ip(packet, family);
        }
    }
    return std::nullopt;
}

}  // namespace ghostport::probes
