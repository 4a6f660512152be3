// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/permutation.hpp"

#include <bit>

namespace ghostport::scanner {

Permutation::Permutation(std::uint64_t n, std::uint64_t seed) : n_(n) {
    unsigned bits = n <= 1 ? 2 : static_cast<unsigned>(std::bit_width(n - 1));
    half_bits_ = (bits + 1) / 2;
    if (half_bits_ == 0) half_bits_ = 1;
    half_mask_ = half_bits_ >= 64 ? ~0ull : (1ull << half_bits_) - 1;
    std::uint64_t k = seed;
    for (auto& key : keys_) key = k = mix64(k);
}

std::uint64_t Permutation::encrypt(std::uint64_t x) const {
    std::uint64_t left = x >> half_bits_, right = x & half_mask_;
    for (auto key : keys_) {
        std::uint64_t next = left ^ (mix64(right ^ key) & half_mask_);
        left = right;
        right = next;
    }
    return (left << half_bits_) | right;
}

std::uint64_t Permutation::decrypt(std::uint64_t x) const {
    std::uint64_t left = x >> half_bits_, right = x & half_mask_;
    for (auto key = keys_.rbegin(); key != keys_.rend(); ++key) {
        // Undo one round: (left, right) = (r, l ^ F(r)) came from (l, r).
        std::uint64_t previous_right = left;
        std::uint64_t previous_left = right ^ (mix64(previous_right ^ *key) & half_mask_);
        left = previous_left;
        right = previous_right;
    }
    return (left << half_bits_) | right;
}

std::uint64_t Permutation::inverse(std::uint64_t x) const {
    std::uint64_t i = decrypt(x);
    while (i >= n_) i = decrypt(i);
    return i;
}

std::uint64_t Permutation::operator()(std::uint64_t i) const {
    std::uint64_t x = encrypt(i);
    while (x >= n_) x = encrypt(x);
    return x;
}

}  // namespace ghostport::scanner
