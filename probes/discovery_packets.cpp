// SPDX-License-Identifier: GPL-2.0-or-later
// Host-discovery probes and their answers: building, parsing and authenticating (see the header).
#include "probes/discovery_packets.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "probes/byte_order.hpp"
#include "probes/checksum.hpp"
#include "probes/syn_cookie.hpp"
#include "probes/tcp_flags.hpp"

namespace ghostport::probes {
namespace {

using Bytes = std::span<const std::uint8_t>;
using detail::load_be16;
using detail::load_be32;
using detail::protocol_icmp;
using detail::protocol_icmpv6;
using detail::protocol_tcp;
using detail::store_be16;
using detail::store_be32;
using detail::tcp_min_header;

constexpr std::size_t ipv4_header = detail::ipv4_min_header;  // the probes carry no IPv4 options
constexpr std::size_t ack_header = tcp_min_header;            // the ACK probe's: no options
constexpr std::size_t syn_header = 24;                        // with the MSS option
constexpr std::size_t echo_size = 8;
constexpr std::size_t timestamp_size = 20;

constexpr std::uint8_t icmp_echo_reply = 0, icmp_echo_request = 8;
constexpr std::uint8_t icmp_timestamp_request = 13, icmp_timestamp_reply = 14;
constexpr std::uint8_t icmpv6_echo_request = 128, icmpv6_echo_reply = 129;

// Writes the IPv4 header for a `payload`-byte message of `protocol` into out[0..19].
void write_ipv4(std::uint8_t* out, const core::Address& src, const core::Address& dst, std::uint8_t protocol,
                std::size_t payload, std::uint16_t ip_id) {
    std::memset(out, 0, ipv4_header);
    out[0] = 0x45;  // version 4, IHL 5
    store_be16(out + 2, static_cast<std::uint16_t>(ipv4_header + payload));
    store_be16(out + 4, ip_id);
    store_be16(out + 6, 0x4000);  // DF, offset 0
    out[8] = 64;
    out[9] = protocol;
    std::memcpy(out + 12, src.bytes.data(), 4);
    std::memcpy(out + 16, dst.bytes.data(), 4);
    store_be16(out + 10, internet_checksum(Bytes(out, ipv4_header)));
}

// An ICMP echo or timestamp request (or ICMPv6 echo request) at `out`; returns its size.
std::size_t write_icmp(std::uint8_t* out, std::uint8_t type, std::uint16_t ident, std::uint16_t seq,
                       std::uint32_t originate, std::uint16_t initial_sum) {
    const std::size_t size = type == icmp_timestamp_request ? timestamp_size : echo_size;
    std::memset(out, 0, size);
    out[0] = type;
    store_be16(out + 4, ident);
    store_be16(out + 6, seq);
    if (type == icmp_timestamp_request) store_be32(out + 8, originate);
    store_be16(out + 2, internet_checksum(Bytes(out, size), initial_sum));
    return size;
}

// A TCP SYN (with the MSS option) or bare ACK at `out`; returns its size.
std::size_t write_tcp(std::uint8_t* out, const core::Address& src, const core::Address& dst, bool syn,
                      std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, std::uint32_t ack) {
    const std::size_t size = syn ? syn_header : ack_header;
    std::memset(out, 0, size);
    store_be16(out, sport);
    store_be16(out + 2, dport);
    store_be32(out + 4, seq);
    store_be32(out + 8, ack);
    out[12] = static_cast<std::uint8_t>((size / 4) << 4);
    out[13] = syn ? tcp_flag::syn : tcp_flag::ack;
    store_be16(out + 14, 64240);
    if (syn) {
        out[20] = 2;  // MSS
        out[21] = 4;
        store_be16(out + 22, src.is_v4() ? 1460 : 1440);
    }
    const std::uint16_t pseudo = pseudo_header_sum(src, dst, protocol_tcp, static_cast<std::uint32_t>(size));
    store_be16(out + 16, internet_checksum(Bytes(out, size), pseudo));
    return size;
}

// Fills the ICMP or TCP fields of `out` from `message`, the IP payload (exactly as long as the IP header
// says) of protocol `next`.
std::optional<DiscoveryAnswer> parse_upper(Bytes message, std::uint8_t next, DiscoveryAnswer& out) {
    const std::uint8_t* p = message.data();
    if (next == protocol_tcp) {
        if (message.size() < tcp_min_header) return std::nullopt;
        const std::size_t data_offset = static_cast<std::size_t>(p[12] >> 4) * 4;
        if (data_offset < tcp_min_header || data_offset > message.size()) return std::nullopt;
        out.kind = AnswerKind::tcp;
        out.sport = load_be16(p);
        out.dport = load_be16(p + 2);
        out.seq = load_be32(p + 4);
        out.ack = load_be32(p + 8);
        out.flags = p[13];
        return out;
    }
    if (message.size() < echo_size || p[1] != 0) return std::nullopt;  // code 0 for every answer we take
    if (next == protocol_icmp && p[0] == icmp_echo_reply) {
        out.kind = AnswerKind::echo_reply;
    } else if (next == protocol_icmp && p[0] == icmp_timestamp_reply && message.size() >= timestamp_size) {
        out.kind = AnswerKind::timestamp_reply;
    } else if (next == protocol_icmpv6 && p[0] == icmpv6_echo_reply) {
        out.kind = AnswerKind::echo_reply;
    } else {
        return std::nullopt;
    }
    out.icmp_id = load_be16(p + 4);
    out.icmp_seq = load_be16(p + 6);
    return out;
}

}  // namespace

std::uint32_t discovery_syn_seq(const DiscoveryIdentity& id, const core::Address& src,
                                const core::Address& dst) noexcept {
    return syn_cookie(id.key, src, dst, id.sport, discovery_syn_port);
}

std::uint32_t discovery_ack_ack(const DiscoveryIdentity& id, const core::Address& src,
                                const core::Address& dst) noexcept {
    return syn_cookie(id.key, src, dst, id.sport, discovery_ack_port);
}

std::uint16_t discovery_icmp_seq(const DiscoveryIdentity& id, const core::Address& src,
                                 const core::Address& dst) noexcept {
    return static_cast<std::uint16_t>(syn_cookie(id.key, src, dst, id.icmp_id, 0));
}

std::span<const std::uint8_t> build_discovery_probe(std::span<std::uint8_t, max_discovery_probe_size> buffer,
                                                    DiscoveryProbe probe, const DiscoveryIdentity& id,
                                                    const core::Address& src, const core::Address& dst,
                                                    std::uint32_t timestamp_ms) noexcept {
    if (src.family != dst.family) return {};
    const bool v4 = src.is_v4();
    if (!v4 && probe == DiscoveryProbe::icmp_timestamp) return {};
    std::uint8_t* out = buffer.data();
    std::uint8_t* upper = v4 ? out + ipv4_header : out;
    std::size_t size = 0;
    std::uint16_t ip_id = 0;
    switch (probe) {
        case DiscoveryProbe::icmp_echo:
        case DiscoveryProbe::icmp_timestamp: {
            const std::uint16_t seq = discovery_icmp_seq(id, src, dst);
            const std::uint8_t type = !v4                                  ? icmpv6_echo_request
                                      : probe == DiscoveryProbe::icmp_echo ? icmp_echo_request
                                                                           : icmp_timestamp_request;
            const std::uint16_t pseudo =
                v4 ? 0 : pseudo_header_sum(src, dst, protocol_icmpv6, static_cast<std::uint32_t>(echo_size));
            size = write_icmp(upper, type, id.icmp_id, seq, timestamp_ms, pseudo);
            ip_id = static_cast<std::uint16_t>(seq ^ type);
            break;
        }
        case DiscoveryProbe::tcp_syn: {
            const std::uint32_t seq = discovery_syn_seq(id, src, dst);
            size = write_tcp(upper, src, dst, true, id.sport, discovery_syn_port, seq, 0);
            ip_id = static_cast<std::uint16_t>(seq >> 16);
            break;
        }
        case DiscoveryProbe::tcp_ack: {
            const std::uint32_t ack = discovery_ack_ack(id, src, dst);
            size = write_tcp(upper, src, dst, false, id.sport, discovery_ack_port, std::rotl(ack, 16), ack);
            ip_id = static_cast<std::uint16_t>(ack >> 16);
            break;
        }
    }
    if (!v4) return std::span<const std::uint8_t>(out, size);
    write_ipv4(
        out, src, dst,
        probe == DiscoveryProbe::tcp_syn || probe == DiscoveryProbe::tcp_ack ? protocol_tcp : protocol_icmp,
        size, ip_id);
    return std::span<const std::uint8_t>(out, ipv4_header + size);
}

std::optional<DiscoveryAnswer> parse_discovery_answer(std::span<const std::uint8_t> frame,
                                                      LinkType link) noexcept {
    const std::optional<IpPacket> ip = locate_ip_packet(frame, link);
    if (!ip) return std::nullopt;
    const bool v4 = ip->src.is_v4();
    if (ip->protocol != protocol_tcp && ip->protocol != (v4 ? protocol_icmp : protocol_icmpv6))
        return std::nullopt;
    DiscoveryAnswer out;
    out.src = ip->src;
    out.dst = ip->dst;
    return parse_upper(ip->payload, ip->protocol, out);
}

DiscoveryMatch match_discovery_answer(const DiscoveryIdentity& id, const DiscoveryAnswer& a) noexcept {
    if (a.src.family != a.dst.family) return DiscoveryMatch::unrelated;
    if (a.kind != AnswerKind::tcp) {
        if (a.icmp_id != id.icmp_id || a.icmp_seq != discovery_icmp_seq(id, a.dst, a.src))
            return DiscoveryMatch::unrelated;
        if (a.kind == AnswerKind::timestamp_reply)
            return a.src.is_v4() ? DiscoveryMatch::timestamp_reply : DiscoveryMatch::unrelated;
        return DiscoveryMatch::echo_reply;
    }
    if (a.dport != id.sport) return DiscoveryMatch::unrelated;
    const bool syn = a.flags & tcp_flag::syn, ack = a.flags & tcp_flag::ack, rst = a.flags & tcp_flag::rst;
    if (a.sport == discovery_syn_port) {
        if (!ack || syn == rst) return DiscoveryMatch::unrelated;  // a bare ACK, or SYN+RST
        if (!matches_syn_ack(a.ack, discovery_syn_seq(id, a.dst, a.src))) return DiscoveryMatch::unrelated;
        return syn ? DiscoveryMatch::syn_ack : DiscoveryMatch::rst;
    }
    if (a.sport == discovery_ack_port) {
        if (!rst || syn) return DiscoveryMatch::unrelated;
        return a.seq == discovery_ack_ack(id, a.dst, a.src) ? DiscoveryMatch::rst : DiscoveryMatch::unrelated;
    }
    return DiscoveryMatch::unrelated;
}

}  // namespace ghostport::probes
