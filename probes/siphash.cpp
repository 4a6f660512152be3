// SPDX-License-Identifier: GPL-2.0-or-later
// SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed 64-bit hash.
#include "probes/siphash.hpp"

#include <bit>
#include <cstddef>

namespace ghostport::probes {
namespace {

// Reads up to 8 bytes from p as a little-endian word (missing high bytes are zero).
std::uint64_t load_le(const std::uint8_t* p, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

struct State {
    std::uint64_t v0, v1, v2, v3;

    // One SipRound: the add-rotate-xor network of the paper's Figure 2.
    void round() {
        v0 += v1;
        v2 += v3;
        v1 = std::rotl(v1, 13);
        v3 = std::rotl(v3, 16);
        v1 ^= v0;
        v3 ^= v2;
        v0 = std::rotl(v0, 32);
        v2 += v1;
        v0 += v3;
        v1 = std::rotl(v1, 17);
        v3 = std::rotl(v3, 21);
        v1 ^= v2;
        v3 ^= v0;
        v2 = std::rotl(v2, 32);
    }

    // Compression of one message word m with c = 2 rounds.
    void absorb(std::uint64_t m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
};

}  // namespace

SipKey SipKey::from_bytes(std::span<const std::uint8_t, 16> bytes) noexcept {
    return SipKey{load_le(bytes.data(), 8), load_le(bytes.data() + 8, 8)};
}

std::uint64_t siphash24(const SipKey& key, std::span<const std::uint8_t> message) noexcept {
    // Initialisation: the key xored with the ASCII of "somepseudorandomlygeneratedbytes".
    State s{key.k0 ^ 0x736f6d6570736575ULL, key.k1 ^ 0x646f72616e646f6dULL, key.k0 ^ 0x6c7967656e657261ULL,
            key.k1 ^ 0x7465646279746573ULL};

    const std::size_t n = message.size();
    const std::size_t whole = n & ~std::size_t{7};
    for (std::size_t i = 0; i < whole; i += 8) s.absorb(load_le(message.data() + i, 8));

    // The last word: the 0..7 remaining bytes, and the message length mod 256 in the most significant byte.
    s.absorb(load_le(message.data() + whole, n - whole) | (std::uint64_t{n & 0xFFu} << 56));

    // Finalisation with d = 4 rounds.
    s.v2 ^= 0xFFu;
    for (int i = 0; i < 4; ++i) s.round();
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

}  // namespace ghostport::probes
