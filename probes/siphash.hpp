// SPDX-License-Identifier: GPL-2.0-or-later
// SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed 64-bit hash.
//
// Design notes
// - Written from the paper's description: four 64-bit state words initialised from the key and the
//   constants "somepseudorandomlygeneratedbytes", two SipRounds per 8-byte little-endian message word,
//   a final word carrying the length mod 256 in its top byte, then 0xff into v2 and four SipRounds.
// - The key is two 64-bit words: k0 is key bytes 0..7 and k1 key bytes 8..15, each read little-endian,
//   as in the paper. The output is the 64-bit value v0^v1^v2^v3 (the paper's byte string is its
//   little-endian encoding).
// - No allocation, no exceptions; the message is read once, in place.
#pragma once

#include <cstdint>
#include <span>

namespace ghostport::probes {

struct SipKey {
    std::uint64_t k0 = 0;
    std::uint64_t k1 = 0;

    // The key whose 16 bytes, in the paper's order, are `bytes` (k0 = bytes 0..7 little-endian, k1 = 8..15).
    static SipKey from_bytes(std::span<const std::uint8_t, 16> bytes) noexcept;

    bool operator==(const SipKey&) const = default;
};

// SipHash-2-4 of `message` under `key`, as defined in the paper.
std::uint64_t siphash24(const SipKey& key, std::span<const std::uint8_t> message) noexcept;

}  // namespace ghostport::probes
