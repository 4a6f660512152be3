// SPDX-License-Identifier: GPL-2.0-or-later
// The raw UDP engine's packets: a datagram laid out for a raw socket, and a captured frame parsed into an
// answer or an ICMP error that quotes one of our datagrams.
//
// Design notes
// - Out: IPv4 probes are a 20-byte header (RFC 791; DF clear, TTL 64, protocol 17, the IP ID the caller
//   gives: the scan's cookie) then the UDP header (RFC 768) and payload, for an AF_INET/IPPROTO_RAW socket.
//   IPv6 probes are the UDP header and payload alone, for an AF_INET6/IPPROTO_UDP raw socket bound to the
//   source, whose kernel writes the IPv6 header; the UDP checksum covers the pseudo-header (RFC 8200 §8.1)
//   and is never 0 (0xFFFF stands for it, RFC 768).
// - In: pure parsing on top of locate_ip_packet (probes/ip_frame.hpp): no allocation, no exceptions, every
//   read bounds-checked. An answer is a UDP datagram whose length field fits the IP payload. An error is an
//   ICMP type 3 or ICMPv6 type 1 message whose quote is IPv4 (unfragmented) or IPv6 (no extension headers)
//   carrying UDP, with at least the 8-byte UDP header quoted. The UDP checksum is not verified (answers a
//   host sends itself are captured before offload fills it in); the engine matches answers by address and
//   port and errors by the IP ID cookie they quote (IPv4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "probes/ip_frame.hpp"

namespace ghostport::probes {

// The probe from src:sport to dst:dport carrying `payload`, as the raw socket of src's family takes it
// (see the notes). `ip_id` is used for IPv4 only. Empty when dst is not of src's family or the datagram
// would exceed 65,507 bytes of payload.
std::vector<std::uint8_t> udp_probe(const core::Address& src, const core::Address& dst, std::uint16_t sport,
                                    std::uint16_t dport, std::string_view payload, std::uint16_t ip_id);

struct UdpReply {
    enum class Kind : std::uint8_t { datagram, icmp };
    Kind kind = Kind::datagram;
    // As a reply reads: `host` is the scanned host (the sender, or the quoted destination), `host_port` its
    // port, `our_port` our source port.
    core::Address host;
    std::uint16_t host_port = 0;
    std::uint16_t our_port = 0;
    // icmp only: the error's type and code, its sender, and the quoted IPv4 ID (0 for IPv6)
    std::uint8_t icmp_type = 0, icmp_code = 0;
    core::Address offender;
    std::uint16_t quoted_ip_id = 0;
    // datagram only: the payload (a view into the frame)
    std::span<const std::uint8_t> payload;
};

// The answer or error carried by `frame`; nullopt for anything else (see the notes). Never reads outside it.
std::optional<UdpReply> parse_udp_reply(std::span<const std::uint8_t> frame, LinkType link) noexcept;

}  // namespace ghostport::probes
