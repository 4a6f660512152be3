// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/walk_mark.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

using ghostport::core::WalkMark;
using Runs = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

TEST(WalkMark, LowRisesOverEveryPositionDecidedInAnyOrder) {
    std::vector<std::uint64_t> order(10000);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 rng(3);
    std::shuffle(order.begin(), order.end(), rng);
    WalkMark mark;
    std::vector<bool> seen(order.size(), false);
    for (auto p : order) {
        mark.mark(p);
        seen[p] = true;
        std::uint64_t expected = 0;
        while (expected < seen.size() && seen[expected]) ++expected;
        ASSERT_EQ(mark.low(), expected);
    }
    EXPECT_EQ(mark.low(), 10000u);
    EXPECT_TRUE(mark.above().empty());
}

TEST(WalkMark, AboveIsRunsAndRestoresTheSameMark) {
    WalkMark mark;
    for (std::uint64_t p : {0, 1, 3, 4, 5, 9, 12, 13}) mark.mark(p);
    EXPECT_EQ(mark.low(), 2u);
    EXPECT_EQ(mark.above(), (Runs{{3, 6}, {9, 10}, {12, 14}}));
    EXPECT_TRUE(mark.decided(1));
    EXPECT_FALSE(mark.decided(2));
    EXPECT_TRUE(mark.decided(4));
    EXPECT_FALSE(mark.decided(11));

    WalkMark restored(mark.low(), mark.above());
    EXPECT_EQ(restored.low(), 2u);
    EXPECT_EQ(restored.above(), mark.above());
    restored.mark(2);
    EXPECT_EQ(restored.low(), 6u);
    restored.mark(2);  // again: nothing changes
    EXPECT_EQ(restored.low(), 6u);
}

TEST(WalkMark, PositionsBeyondTheWindowAreForgotten) {
    WalkMark mark(100);
    mark.mark(100 + WalkMark::window);
    EXPECT_FALSE(mark.decided(100 + WalkMark::window));
    mark.mark(99);  // below low: already decided
    EXPECT_EQ(mark.low(), 100u);
    mark.mark(100 + WalkMark::window - 1);
    EXPECT_TRUE(mark.decided(100 + WalkMark::window - 1));
}
