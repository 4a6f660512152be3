// SPDX-License-Identifier: GPL-2.0-or-later
// A SYN probe laid out once per scan and patched per target, with both checksums updated incrementally.
//
// Design notes
// - IPv4 probes are 44 bytes for a raw socket with IP_HDRINCL: a 20-byte IPv4 header (RFC 791) then a
//   24-byte TCP header (RFC 9293 §3.1). IPv6 probes are the 24-byte TCP header alone, for a raw
//   AF_INET6/IPPROTO_TCP socket whose kernel writes the IPv6 header; their TCP checksum still covers the
//   IPv6 pseudo-header (RFC 8200 §8.1), so the engine must bind that socket to `source()` (the kernel must
//   not pick another source address) and leave IPV6_CHECKSUM off. The IPv6 hop limit is the socket's
//   IPV6_UNICAST_HOPS.
// - IPv4 header: version 4, IHL 5, DSCP/ECN 0, total length 44, IP ID per probe, DF set, TTL 64, protocol 6.
//   DF is set because the probe is then an atomic datagram (RFC 6864 §4.1): 44 bytes never need
//   fragmenting, the IP ID need not be unique (any per-probe value is valid), and it is what every common
//   TCP stack sends on a SYN (path MTU discovery, RFC 1191), so a DF-clear SYN would only be a fingerprint.
//   On Linux raw sockets the kernel always rewrites the total length and header checksum and fills in an
//   IP ID of 0; we still write both correctly so the bytes are right on any transport (and in dry runs).
// - TCP header: data offset 6, flags SYN only, ack 0, urgent 0, window 64240, one option: MSS (kind 2,
//   length 4). The window does not change the target's answer; 64240 (44 segments of 1460) is what Linux
//   and Windows announce on Ethernet, whereas a fixed 1024 is a well-known scanner fingerprint. The MSS is
//   the one a 1500-byte Ethernet MTU implies (RFC 9293 §3.7.1): 1500 - 20 - 20 = 1460 over IPv4 and
//   1500 - 40 - 20 = 1440 over IPv6. A SYN with no options at all is another scanner fingerprint, and
//   without an MSS option the peer must assume 536 (RFC 9293 §3.7.1).
// - Patching: the template is built for the unspecified destination (0.0.0.0 or ::) with ports, sequence
//   number and IP ID zero. patch() copies the template into a caller-owned buffer, writes the per-target
//   fields and updates the IPv4 header checksum and the TCP checksum with RFC 1624 from the template's
//   values; the destination address is both in the IPv4 header and in the TCP pseudo-header. Each probe
//   depends only on the template and its arguments, never on what the buffer held before, so a sendmmsg
//   batch is an array of SynBuffer patched in any order, one iovec per returned span. No allocation, no
//   exceptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/address.hpp"

namespace ghostport::probes {

inline constexpr std::size_t ipv4_header_size = 20;
inline constexpr std::size_t syn_tcp_header_size = 24;
// The largest probe: IPv4 header plus TCP header with the MSS option.
inline constexpr std::size_t max_syn_size = ipv4_header_size + syn_tcp_header_size;

// One probe's storage, owned by the caller (one per sendmmsg message).
using SynBuffer = std::array<std::uint8_t, max_syn_size>;

struct SynOptions {
    std::uint8_t ttl = 64;         // IPv4 only
    std::uint16_t window = 64240;  // TCP window field
    std::uint16_t mss = 0;         // MSS option value; 0 picks 1460 for IPv4 and 1440 for IPv6
    bool dont_fragment = true;     // IPv4 DF bit
};

class SynTemplate {
  public:
    // Lays out the probe for `source` (its family picks the IPv4 or IPv6 layout) with `options`.
    explicit SynTemplate(const core::Address& source, const SynOptions& options = {}) noexcept;

    const core::Address& source() const noexcept { return source_; }
    core::Family family() const noexcept { return source_.family; }
    // Bytes in one probe: 44 for IPv4, 24 for IPv6.
    std::size_t size() const noexcept { return size_; }
    // The template: the probe for destination 0.0.0.0 or ::, ports 0, sequence 0 and IP ID 0.
    std::span<const std::uint8_t> bytes() const noexcept { return std::span(bytes_).first(size_); }

    // Writes into `buffer` the probe from source():`sport` to `dst`:`dport` with sequence number `seq` and,
    // for IPv4, IP ID `ip_id` (ignored for IPv6; 0 lets a Linux raw socket pick one), both checksums correct.
    // Returns the first size() bytes of `buffer`, which hold the probe; returns an empty span and leaves
    // `buffer` untouched when `dst` is not of family(). The previous contents of `buffer` do not matter.
    std::span<const std::uint8_t> patch(std::span<std::uint8_t, max_syn_size> buffer,
                                        const core::Address& dst, std::uint16_t sport, std::uint16_t dport,
                                        std::uint32_t seq, std::uint16_t ip_id = 0) const noexcept;

  private:
    core::Address source_;
    SynBuffer bytes_{};
    std::size_t size_ = 0;
    std::size_t tcp_offset_ = 0;  // where the TCP header starts in a probe
};

}  // namespace ghostport::probes
