// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/host_rtt.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

using ghostport::scanner::HostRtt;
using ghostport::scanner::RttEstimator;
using us = std::chrono::microseconds;

namespace {
const RttEstimator fresh(us{1'000'000}, us{10'000}, us{1'000'000});
}

// Up to the slot count every host keeps its own estimator.
TEST(HostRtt, EveryHostHasItsOwnUpToTheSlotCount) {
    HostRtt table(70'000, fresh, 70'000);
    for (std::uint64_t h = 0; h < 70'000; ++h) table.sample(h, us{h % 2 ? 200'000 : 1'000});
    for (std::uint64_t h = 0; h < 70'000; ++h) {
        ASSERT_TRUE(table.of(h).has_sample()) << h;
        ASSERT_EQ(table.of(h).srtt(), us(h % 2 ? 200'000 : 1'000)) << h;
    }
}

// Beyond the slot count a far host never inherits a near host's short timeout: the host that shares a
// slot without owning it gets the fresh, longest timeout; a sample takes the slot over.
TEST(HostRtt, BeyondTheSlotsAHostNeverInheritsAnotherHostsTimeout) {
    HostRtt table(70'000, fresh, 65'536);
    const std::uint64_t near = 5, far = 5 + 65'536;  // same slot
    ASSERT_EQ(table.slot(near), table.slot(far));
    table.sample(near, us{1'000});
    EXPECT_EQ(table.of(near).srtt(), us{1'000});
    EXPECT_FALSE(table.of(far).has_sample());
    EXPECT_EQ(table.of(far).rto(), us{1'000'000}) << "the initial timeout, not the near host's";
    table.sample(far, us{300'000});
    EXPECT_EQ(table.of(far).srtt(), us{300'000}) << "its own sample, not mixed with the near host's";
    EXPECT_FALSE(table.of(near).has_sample()) << "evicted: back to the fresh timeout";
}

TEST(HostRtt, ZeroHostsStillHasOneSlot) {
    HostRtt table(0, fresh);
    table.sample(0, us{5'000});
    EXPECT_EQ(table.of(0).srtt(), us{5'000});
    EXPECT_FALSE(table.of(1).has_sample());
}
