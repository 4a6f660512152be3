// SPDX-License-Identifier: GPL-2.0-or-later
// Host-discovery probes and their answers, as pure byte work: building the probe packets (ICMP echo, TCP SYN
// to 443, TCP ACK to 80, ICMP timestamp) and parsing and authenticating what comes back. No sockets, no pcap.
//
// Design notes
// - Stateless matching, as for the SYN engine (syn_cookie.hpp): every probe field that an answer echoes is a
//   keyed SipHash of (our address, the host, ...) under a per-run key, so an answer is authenticated by
//   re-deriving the value from the answer's own addresses, with no table of probes:
//   - TCP SYN (to 443): seq = syn_cookie(key, us, host, sport, 443). A SYN-ACK (SYN and ACK set, RST clear)
//     or a RST with ACK set counts when ack == seq + 1 (RFC 9293 §3.10.7, CLOSED and LISTEN states;
//     SYN-SENT acceptance in the same section).
//   - TCP ACK (to 80): ack = syn_cookie(key, us, host, sport, 80), seq = the low bits of the same cookie
//     rotated. A segment with ACK set and no connection is answered <SEQ=SEG.ACK><CTL=RST> (RFC 9293
//     §3.10.7, CLOSED state), so a RST counts when its seq == our ack.
//   - ICMP echo (RFC 792 type 8; ICMPv6 type 128, RFC 4443 §4.1) and timestamp (type 13): identifier = the
//     run's random identifier, sequence = the low 16 bits of syn_cookie(key, us, host, identifier, 0). An
//     echo reply (0; ICMPv6 129) or timestamp reply (14) counts when both come back unchanged.
//   The caller must still check that the answer's source is a host it probed: the cookie binds the answer's
//   addresses, so an answer from anyone else (a router's ICMP error, another host) never matches.
// - Layout: IPv4 probes carry our 20-byte IPv4 header (for an AF_INET/IPPROTO_RAW socket): version 4, IHL 5,
//   TTL 64, DF set, IP ID from the probe's cookie, header checksum right. IPv6 probes are the upper-layer
//   message alone (for AF_INET6 raw sockets, whose kernel writes the IPv6 header); their TCP or ICMPv6
//   checksum covers the IPv6 pseudo-header (RFC 8200 §8.1), so the socket must be bound to `src`. The SYN
//   is SynTemplate's (window 64240, one MSS option: 1460 on IPv4, 1440 on IPv6); the ACK has no options.
//   Echo requests carry no data; the timestamp request carries the originate time, receive and transmit 0.
// - Parsing: the link layer, IPv4 and IPv6 (with its extension-header chain) are located by
//   locate_ip_packet, with the checks listed in probes/ip_frame.hpp (Ethernet with at most one 802.1Q tag,
//   Linux SLL and SLL2, raw IP, BSD loopback; IPv4 unfragmented with IHL and total length checked against
//   the capture; IPv6 payload length, at most max_extension_headers, atomic fragments only); then an ICMP
//   echo reply (>= 8 bytes), timestamp reply (>= 20 bytes), ICMPv6 echo reply (>= 8 bytes) or TCP segment
//   (data offset >= 5 and within it). Everything else, ICMP errors included, is rejected. Checksums are not
//   verified (the cookie authenticates; a host's answers to itself are captured before checksum offload
//   fills them in). Every read is bounds-checked against the span; no allocation, no exceptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/address.hpp"
#include "probes/ip_frame.hpp"
#include "probes/siphash.hpp"

namespace ghostport::probes {

inline constexpr std::uint16_t discovery_syn_port = 443;
inline constexpr std::uint16_t discovery_ack_port = 80;
// The largest probe: IPv4 header plus the SYN's 24-byte TCP header.
inline constexpr std::size_t max_discovery_probe_size = 44;
using DiscoveryBuffer = std::array<std::uint8_t, max_discovery_probe_size>;

enum class DiscoveryProbe : std::uint8_t { icmp_echo, tcp_syn, tcp_ack, icmp_timestamp };

// What every probe of one run shares: the key, the TCP source port and the ICMP identifier.
struct DiscoveryIdentity {
    SipKey key;
    std::uint16_t sport = 0;
    std::uint16_t icmp_id = 0;
};

// The SYN's sequence number, the ACK probe's acknowledgment number and the ICMP sequence number of the
// probes from `src` to `dst` (see the notes).
std::uint32_t discovery_syn_seq(const DiscoveryIdentity& id, const core::Address& src,
                                const core::Address& dst) noexcept;
std::uint32_t discovery_ack_ack(const DiscoveryIdentity& id, const core::Address& src,
                                const core::Address& dst) noexcept;
std::uint16_t discovery_icmp_seq(const DiscoveryIdentity& id, const core::Address& src,
                                 const core::Address& dst) noexcept;

// Writes `probe` from `src` to `dst` (one family) into `buffer` and returns the bytes written (a prefix of
// buffer). `timestamp_ms` is the timestamp request's originate time (ms since midnight UT, RFC 792). Returns
// an empty span when the families differ or the probe does not exist for the family (timestamp on IPv6).
std::span<const std::uint8_t> build_discovery_probe(std::span<std::uint8_t, max_discovery_probe_size> buffer,
                                                    DiscoveryProbe probe, const DiscoveryIdentity& id,
                                                    const core::Address& src, const core::Address& dst,
                                                    std::uint32_t timestamp_ms = 0) noexcept;

enum class AnswerKind : std::uint8_t { echo_reply, timestamp_reply, tcp };

// A parsed possible answer. `src` is the answering host, `dst` is us.
struct DiscoveryAnswer {
    AnswerKind kind = AnswerKind::echo_reply;
    core::Address src;
    core::Address dst;
    std::uint16_t icmp_id = 0;  // echo and timestamp replies
    std::uint16_t icmp_seq = 0;
    std::uint16_t sport = 0;  // TCP
    std::uint16_t dport = 0;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;

    bool operator==(const DiscoveryAnswer&) const = default;
};

// The echo reply, timestamp reply, ICMPv6 echo reply or TCP segment carried by `frame` (starting at the
// link header `link`), or nullopt when the frame is anything else or fails a check in the notes. Never
// reads outside `frame`.
std::optional<DiscoveryAnswer> parse_discovery_answer(std::span<const std::uint8_t> frame,
                                                      LinkType link) noexcept;

enum class DiscoveryMatch : std::uint8_t { unrelated, echo_reply, timestamp_reply, syn_ack, rst };

// Whether `answer` answers one of this run's probes to answer.src sent from answer.dst (rules in the notes).
DiscoveryMatch match_discovery_answer(const DiscoveryIdentity& id, const DiscoveryAnswer& answer) noexcept;

}  // namespace ghostport::probes
