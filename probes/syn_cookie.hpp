// SPDX-License-Identifier: GPL-2.0-or-later
// Stateless probe matching: a SYN's sequence number is a keyed hash of its 4-tuple, and a reply is matched
// by re-deriving that hash from the reply's own addresses and ports.
//
// Design notes
// - cookie = low 32 bits of SipHash-2-4(key, family || src || dst || sport || dport), with the family as one
//   byte (4 or 6), each address in network order at its family's length (4 or 16 bytes) and each port
//   big-endian. A fresh random key per scan makes cookies unpredictable to anyone who did not see the probe.
// - Open port (RFC 9293 §3.10.7.2, LISTEN): the SYN-ACK acknowledges our SYN, ack == cookie + 1 (mod 2^32).
// - Closed port (RFC 9293 §3.10.7.1, no TCB; RFC 793 "If the state is CLOSED"): a segment with ACK off is
//   answered <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; our SYN has ACK off and SEG.LEN = 1 (the SYN takes
//   one sequence number), so the RST has the ACK bit set, seq 0 and ack == cookie + 1.
// - We match as a SYN-SENT endpoint does (RFC 9293 §3.10.7.3): a RST is acceptable only if its ACK bit is set
//   and the ACK acknowledges our SYN. A RST with ACK clear is never the answer to a SYN (a closed port sends
//   one only in reply to a segment that had ACK set) and its seq carries nothing of ours, so it is rejected
//   as unrelated rather than guessed at: this also keeps blind spoofed RSTs out of the results.
#pragma once

#include <cstdint>

#include "core/address.hpp"
#include "probes/reply.hpp"
#include "probes/siphash.hpp"
#include "probes/tcp_flags.hpp"

namespace ghostport::probes {

// A key from the kernel's random source (getrandom(2)), for one scan. Set-up only: throws
// core::RuntimeError if the kernel cannot provide random bytes.
SipKey random_key();

// The sequence number for a SYN from `src`:`sport` to `dst`:`dport` (both addresses of one family): the low
// 32 bits of SipHash-2-4 under `key` over the encoding in the notes above.
std::uint32_t syn_cookie(const SipKey& key, const core::Address& src, const core::Address& dst,
                         std::uint16_t sport, std::uint16_t dport) noexcept;

// The cookie of the probe that `reply` would answer: syn_cookie with the reply's addresses and ports swapped.
std::uint32_t reply_cookie(const SipKey& key, const Reply& reply) noexcept;

// True when `ack` acknowledges a SYN whose sequence number was `cookie`: ack == cookie + 1 (mod 2^32).
constexpr bool matches_syn_ack(std::uint32_t ack, std::uint32_t cookie) noexcept {
    return ack == static_cast<std::uint32_t>(cookie + 1u);
}

// True when a RST with control bits `flags` and acknowledgment `ack` answers a SYN whose sequence number was
// `cookie`: the ACK bit is set and ack == cookie + 1 (mod 2^32). The caller has checked that RST is set.
constexpr bool matches_rst(std::uint8_t flags, std::uint32_t ack, std::uint32_t cookie) noexcept {
    return (flags & tcp_flag::ack) != 0 && matches_syn_ack(ack, cookie);
}

// What a parsed reply says about the probe it answers.
enum class ReplyMatch : std::uint8_t {
    unrelated,  // not an answer to any probe of this scan (wrong ack, wrong flags, or someone else's traffic)
    syn_ack,    // SYN and ACK set, RST clear, ack == cookie + 1: the port is open
    rst,        // RST and ACK set, SYN clear, ack == cookie + 1: the port is closed
    unreachable,  // an ICMP unreachable error quoting our probe (quoted seq == cookie): the port is filtered
};

// Classifies `reply` against the probe it would answer under `key`, by the rules in the notes above.
ReplyMatch match_reply(const SipKey& key, const Reply& reply) noexcept;

}  // namespace ghostport::probes
