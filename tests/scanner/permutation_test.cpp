// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/permutation.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

using ghostport::scanner::Permutation;

TEST(Permutation, IsABijectionForEverySmallSize) {
    for (std::uint64_t n = 0; n <= 300; ++n) {
        Permutation p(n, 42 + n);
        std::vector<bool> seen(n, false);
        for (std::uint64_t i = 0; i < n; ++i) {
            auto x = p(i);
            ASSERT_LT(x, n);
            ASSERT_FALSE(seen[x]) << "n=" << n << " i=" << i;
            seen[x] = true;
        }
    }
}

TEST(Permutation, IsABijectionForAFullPortSweep) {
    const std::uint64_t n = 65535ull * 3;
    Permutation p(n, 7);
    std::vector<bool> seen(n, false);
    for (std::uint64_t i = 0; i < n; ++i) {
        auto x = p(i);
        ASSERT_LT(x, n);
        ASSERT_FALSE(seen[x]);
        seen[x] = true;
    }
}

TEST(Permutation, SampledInjectivityForHugeDomains) {
    const std::uint64_t n = (1ull << 40) + 12345;  // a /8 times 65535 ports is about this size
    Permutation p(n, 99);
    std::set<std::uint64_t> images;
    for (std::uint64_t i = 0; i < 20000; ++i) {
        auto x = p(i * 7919 % n);
        ASSERT_LT(x, n);
        images.insert(x);
    }
    EXPECT_EQ(images.size(), 20000u);
}

TEST(Permutation, DeterministicPerSeedAndDifferentAcrossSeeds) {
    Permutation a(100000, 1), b(100000, 1), c(100000, 2);
    int same = 0;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        EXPECT_EQ(a(i), b(i));
        same += a(i) == c(i);
    }
    EXPECT_LT(same, 10);
}

TEST(Permutation, ShufflesRatherThanWalkingInOrder) {
    Permutation p(65535, 5);
    int ascending = 0;
    for (std::uint64_t i = 1; i < 1000; ++i) ascending += p(i) == p(i - 1) + 1;
    EXPECT_LT(ascending, 5);
}

TEST(Permutation, InverseUndoesEveryPosition) {
    for (std::uint64_t n : {1ull, 2ull, 3ull, 17ull, 1000ull, 65535ull * 3}) {
        Permutation p(n, 99 + n);
        for (std::uint64_t i = 0; i < n; i += 1 + n / 5000) EXPECT_EQ(p.inverse(p(i)), i) << n << " " << i;
    }
    Permutation huge((1ull << 40) + 12345, 5);
    for (std::uint64_t i = 0; i < 1000; ++i) {
        const std::uint64_t x = i * 1'099'511'627ull;
        EXPECT_EQ(huge.inverse(huge(x)), x);
    }
}
