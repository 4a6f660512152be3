// SPDX-License-Identifier: GPL-2.0-or-later
// A SYN probe laid out once per scan and patched per target, with both checksums updated incrementally.
#include "probes/syn_template.hpp"

#include <cstring>

#include "probes/byte_order.hpp"
#include "probes/checksum.hpp"
#include "probes/tcp_flags.hpp"

namespace ghostport::probes {
namespace {

using detail::load_be16;
using detail::load_be32;
using detail::store_be16;
using detail::store_be32;

constexpr std::uint8_t protocol_tcp = 6;
constexpr std::array<std::uint8_t, 16> unspecified{};  // the template's destination, 0.0.0.0 or ::

// Offsets inside the IPv4 header.
constexpr std::size_t ip_id_at = 4, ip_checksum_at = 10, ip_dst_at = 16;
// Offsets inside the TCP header.
constexpr std::size_t tcp_sport_at = 0, tcp_dport_at = 2, tcp_seq_at = 4, tcp_checksum_at = 16;

}  // namespace

SynTemplate::SynTemplate(const core::Address& source, const SynOptions& options) noexcept : source_(source) {
    const bool v4 = source.is_v4();
    tcp_offset_ = v4 ? ipv4_header_size : 0;
    size_ = tcp_offset_ + syn_tcp_header_size;

    if (v4) {
        std::uint8_t* ip = bytes_.data();
        ip[0] = 0x45;  // version 4, IHL 5 (20 bytes, no options)
        ip[1] = 0;     // DSCP 0, ECN not-ECT
        store_be16(ip + 2, static_cast<std::uint16_t>(size_));
        // ip + 4: IP ID, per probe
        store_be16(ip + 6, options.dont_fragment ? 0x4000 : 0);  // flags (DF) and fragment offset 0
        ip[8] = options.ttl;
        ip[9] = protocol_tcp;
        std::memcpy(ip + 12, source.bytes.data(), 4);
        // ip + 16: destination, per probe
        store_be16(ip + ip_checksum_at, internet_checksum(std::span(bytes_).first(ipv4_header_size)));
    }

    std::uint8_t* tcp = bytes_.data() + tcp_offset_;
    // tcp + 0, 2, 4: source port, destination port, sequence number, per probe; tcp + 8: ack 0
    tcp[12] = (syn_tcp_header_size / 4) << 4;  // data offset 6 (24 bytes), reserved bits 0
    tcp[13] = tcp_flag::syn;
    store_be16(tcp + 14, options.window);
    // tcp + 16: checksum, below; tcp + 18: urgent pointer 0
    tcp[20] = 2;  // option kind: maximum segment size
    tcp[21] = 4;  // option length
    store_be16(tcp + 22, options.mss != 0 ? options.mss : (v4 ? 1460 : 1440));

    core::Address unspecified_dst;
    unspecified_dst.family = source.family;
    const std::uint16_t pseudo =
        pseudo_header_sum(source, unspecified_dst, protocol_tcp, syn_tcp_header_size);
    store_be16(tcp + tcp_checksum_at, internet_checksum(std::span(tcp, syn_tcp_header_size), pseudo));
}

std::span<const std::uint8_t> SynTemplate::patch(std::span<std::uint8_t, max_syn_size> buffer,
                                                 const core::Address& dst, std::uint16_t sport,
                                                 std::uint16_t dport, std::uint32_t seq,
                                                 std::uint16_t ip_id) const noexcept {
    if (dst.family != source_.family) return {};
    const std::size_t n = source_.is_v4() ? 4 : 16;
    const auto old_dst = std::span(unspecified).first(n);
    const auto new_dst = std::span(dst.bytes).first(n);

    std::uint8_t* out = buffer.data();
    std::memcpy(out, bytes_.data(), size_);

    if (source_.is_v4()) {
        std::uint16_t sum = load_be16(out + ip_checksum_at);
        sum = checksum_update(sum, old_dst, new_dst);
        sum = checksum_update16(sum, load_be16(out + ip_id_at), ip_id);
        std::memcpy(out + ip_dst_at, dst.bytes.data(), 4);
        store_be16(out + ip_id_at, ip_id);
        store_be16(out + ip_checksum_at, sum);
    }

    std::uint8_t* tcp = out + tcp_offset_;
    std::uint16_t sum = load_be16(tcp + tcp_checksum_at);
    sum = checksum_update(sum, old_dst, new_dst);  // the destination in the pseudo-header
    sum = checksum_update16(sum, load_be16(tcp + tcp_sport_at), sport);
    sum = checksum_update16(sum, load_be16(tcp + tcp_dport_at), dport);
    sum = checksum_update32(sum, load_be32(tcp + tcp_seq_at), seq);
    store_be16(tcp + tcp_sport_at, sport);
    store_be16(tcp + tcp_dport_at, dport);
    store_be32(tcp + tcp_seq_at, seq);
    store_be16(tcp + tcp_checksum_at, sum);

    return std::span<const std::uint8_t>(out, size_);
}

}  // namespace ghostport::probes
