// SPDX-License-Identifier: GPL-2.0-or-later
// A keyed bijection of [0, n): the scan order, so that consecutive probes land on different hosts and ports.
#pragma once

#include <array>
#include <cstdint>

namespace ghostport::scanner {

// A balanced Feistel network over the smallest even-bit domain 2^(2k) >= n, with cycle-walking back into
// [0, n). Every i in [0, n) maps to a distinct value in [0, n); the same (n, seed) gives the same order.
// Cost: a few multiply-xor rounds per call, and fewer than 4 walks on average (the domain is < 4n).
class Permutation {
  public:
    Permutation(std::uint64_t n, std::uint64_t seed);
    std::uint64_t operator()(std::uint64_t i) const;
    // The inverse: inverse((*this)(i)) == i for every i in [0, n) (the Feistel rounds run backwards, and the
    // cycle walk too).
    std::uint64_t inverse(std::uint64_t x) const;
    std::uint64_t size() const { return n_; }

  private:
    std::uint64_t encrypt(std::uint64_t x) const;
    std::uint64_t decrypt(std::uint64_t x) const;
    static constexpr int rounds = 6;
    std::uint64_t n_;
    unsigned half_bits_;
    std::uint64_t half_mask_;
    std::array<std::uint64_t, rounds> keys_{};
};

// splitmix64: the key schedule and the Feistel round mixer.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace ghostport::scanner
