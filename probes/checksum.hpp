// SPDX-License-Identifier: GPL-2.0-or-later
// The Internet checksum (RFC 1071), its incremental update (RFC 1624) and the TCP pseudo-header sums.
//
// Design notes
// - Sums are one's-complement sums of big-endian 16-bit words, kept folded to 16 bits and NOT complemented,
//   so a pseudo-header sum can be fed as `initial` into the sum over the TCP segment.
// - The incremental update is RFC 1624 equation 3, HC' = ~(~HC + ~m + m'), which (unlike RFC 1141's
//   equation) never turns a checksum into the wrong zero: it equals a full recompute for every packet whose
//   checksummed words are not all zero, which no TCP segment is (the pseudo-header carries protocol 6).
// - Everything here is allocation-free and noexcept; nothing reads outside the spans it is given.
#pragma once

#include <cstdint>
#include <span>

#include "core/address.hpp"

namespace ghostport::probes {

// One's-complement sum (RFC 1071 §4.1) of `data` read as big-endian 16-bit words, an odd final byte padded
// on the right with a zero byte, plus `initial`. Returns the sum folded to 16 bits, not complemented; pass
// it as `initial` to continue over a following buffer (every buffer but the last must have even length).
std::uint16_t ones_complement_sum(std::span<const std::uint8_t> data, std::uint16_t initial = 0) noexcept;

// The Internet checksum of `data` continuing from `initial`: ~ones_complement_sum(data, initial). Store it
// big-endian in a checksum field that was zero when summed. A packet whose stored checksum is right has
// internet_checksum(whole packet, same initial) == 0.
std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint16_t initial = 0) noexcept;

// RFC 1624 eqn 3: the checksum after one 16-bit word of the covered data changes from `old_value` to
// `new_value`, given the checksum `checksum` that was right before. Equals a full recompute (see above).
std::uint16_t checksum_update16(std::uint16_t checksum, std::uint16_t old_value,
                                std::uint16_t new_value) noexcept;

// The same for a 32-bit field that starts on a 16-bit boundary of the covered data (both halves at once).
std::uint16_t checksum_update32(std::uint16_t checksum, std::uint32_t old_value,
                                std::uint32_t new_value) noexcept;

// The same for a field of any length (an IPv6 address) that starts on a 16-bit boundary of the covered data;
// `old_bytes` and `new_bytes` must have the same size.
std::uint16_t checksum_update(std::uint16_t checksum, std::span<const std::uint8_t> old_bytes,
                              std::span<const std::uint8_t> new_bytes) noexcept;

// The folded one's-complement sum of the TCP/UDP pseudo-header for `src` and `dst` (both of src's family):
// IPv4 (RFC 9293 §3.1): src(4) dst(4) zero(1) protocol(1) length(2), where `upper_length` must fit 16 bits;
// IPv6 (RFC 8200 §8.1): src(16) dst(16) length(4) zero(3) next-header(1).
// `upper_length` is the length in bytes of the TCP header plus data. Feed the result as `initial`.
std::uint16_t pseudo_header_sum(const core::Address& src, const core::Address& dst, std::uint8_t protocol,
                                std::uint32_t upper_length) noexcept;

}  // namespace ghostport::probes
