// SPDX-License-Identifier: GPL-2.0-or-later
// Locates the IP packet in a captured frame (see the header).
#include "probes/ip_frame.hpp"

#include <algorithm>

#include "probes/byte_order.hpp"

namespace ghostport::probes {
namespace {

using Bytes = std::span<const std::uint8_t>;
using detail::ipv4_min_header;
using detail::ipv6_header;
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

constexpr std::uint8_t next_hop_by_hop = 0;
constexpr std::uint8_t next_routing = 43;
constexpr std::uint8_t next_fragment = 44;
constexpr std::uint8_t next_destination_options = 60;

enum class IpVersion { none, v4, v6 };

std::optional<IpPacket> locate_ipv4(Bytes packet) {
    if (packet.size() < ipv4_min_header) return std::nullopt;
    const std::uint8_t* p = packet.data();
    if ((p[0] >> 4) != 4) return std::nullopt;
    const std::size_t header = std::size_t{p[0] & 0x0Fu} * 4;
    const std::size_t total = load_be16(p + 2);
    if (header < ipv4_min_header || total < header || total > packet.size()) return std::nullopt;
    // Flags and fragment offset: MF is 0x2000, the offset is the low 13 bits; DF and the reserved bit pass.
    if (load_be16(p + 6) & 0x3FFFu) return std::nullopt;

    IpPacket out;
    out.src.family = out.dst.family = core::Family::v4;
    std::copy_n(p + 12, 4, out.src.bytes.begin());
    std::copy_n(p + 16, 4, out.dst.bytes.begin());
    out.ttl = p[8];
    out.protocol = p[9];
    out.payload = packet.subspan(header, total - header);
    return out;
}

// Extension headers that the walk cannot step over, or that leave no upper-layer message behind them.
bool unwalkable_extension_header(std::uint8_t next) {
    switch (next) {
        case 50:   // ESP
        case 51:   // AH
        case 59:   // no next header
        case 135:  // mobility
        case 139:  // HIP
        case 140:  // shim6
        case 253:  // experimentation and testing
        case 254:
            return true;
        default:
            return false;
    }
}

std::optional<IpPacket> locate_ipv6(Bytes packet) {
    if (packet.size() < ipv6_header) return std::nullopt;
    const std::uint8_t* p = packet.data();
    if ((p[0] >> 4) != 6) return std::nullopt;
    const std::size_t payload_length = load_be16(p + 4);
    if (payload_length == 0 || payload_length > packet.size() - ipv6_header) return std::nullopt;
    const Bytes payload = packet.subspan(ipv6_header, payload_length);

    std::uint8_t next = p[6];
    std::size_t offset = 0;  // of the current header within `payload`; always <= payload.size()
    for (std::size_t count = 0;; ++count) {
        const std::size_t left = payload.size() - offset;
        const std::uint8_t* h = payload.data() + offset;
        std::size_t length = 0;
        switch (next) {
            case next_hop_by_hop:  // only directly after the IPv6 header
                if (count != 0) return std::nullopt;
                [[fallthrough]];
            case next_routing:
            case next_destination_options:
                if (count == max_extension_headers || left < 2) return std::nullopt;
                length = (std::size_t{h[1]} + 1) * 8;  // Hdr Ext Len counts 8-octet units beyond the first
                break;
            case next_fragment: {  // fixed 8 bytes; offset in the top 13 bits of bytes 2..3, M in the lowest
                if (count == max_extension_headers || left < 8) return std::nullopt;
                const std::uint16_t offset_and_m = load_be16(h + 2);
                if ((offset_and_m >> 3) != 0 || (offset_and_m & 1u) != 0) return std::nullopt;
                length = 8;
                break;
            }
            default: {  // the end of the chain
                if (unwalkable_extension_header(next)) return std::nullopt;
                IpPacket out;
                out.src.family = out.dst.family = core::Family::v6;
                std::copy_n(p + 8, 16, out.src.bytes.begin());
                std::copy_n(p + 24, 16, out.dst.bytes.begin());
                out.ttl = p[7];
                out.protocol = next;
                out.payload = payload.subspan(offset);
                return out;
            }
        }
        if (length > left) return std::nullopt;
        next = h[0];
        offset += length;
    }
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

std::optional<IpPacket> locate_ip(Bytes packet, IpVersion version) {
    switch (version) {
        case IpVersion::v4:
            return locate_ipv4(packet);
        case IpVersion::v6:
            return locate_ipv6(packet);
        case IpVersion::none:
            break;
    }
    return std::nullopt;
}

// Dispatches on an EtherType (Ethernet, SLL, SLL2), stepping over one 802.1Q tag if there is one.
std::optional<IpPacket> locate_by_ethertype(std::uint16_t type, Bytes rest) {
    if (type == ethertype_vlan) {
        if (rest.size() < vlan_tag) return std::nullopt;
        type = load_be16(rest.data() + 2);  // after the 16-bit tag control information
        rest = rest.subspan(vlan_tag);
    }
    switch (type) {
        case ethertype_ipv4:
            return locate_ipv4(rest);
        case ethertype_ipv6:
            return locate_ipv6(rest);
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

std::optional<IpPacket> locate_ip_packet(std::span<const std::uint8_t> frame, LinkType link) noexcept {
    switch (link) {
        case LinkType::ethernet:
            if (frame.size() < ethernet_header) return std::nullopt;
            return locate_by_ethertype(load_be16(frame.data() + 12), frame.subspan(ethernet_header));
        case LinkType::linux_sll:
            if (frame.size() < sll_header) return std::nullopt;
            return locate_by_ethertype(load_be16(frame.data() + 14), frame.subspan(sll_header));
        case LinkType::linux_sll2:
            if (frame.size() < sll2_header) return std::nullopt;
            return locate_by_ethertype(load_be16(frame.data()), frame.subspan(sll2_header));
        case LinkType::raw_ip:
            return locate_ip(frame, version_of(frame));
        case LinkType::null_loop: {
            if (frame.size() < null_header) return std::nullopt;
            IpVersion family = loopback_family(load_le32(frame.data()));
            if (family == IpVersion::none) family = loopback_family(load_be32(frame.data()));
            const Bytes packet = frame.subspan(null_header);
            if (family == IpVersion::none || family != version_of(packet)) return std::nullopt;
            return locate_ip(packet, family);
        }
    }
    return std::nullopt;
}

}  // namespace ghostport::probes
