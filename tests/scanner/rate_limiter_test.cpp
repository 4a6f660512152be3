// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/rate_limiter.hpp"

#include <gtest/gtest.h>

using ghostport::scanner::RateLimiter;
using namespace std::chrono;

TEST(RateLimiter, UnlimitedNeverWaits) {
    RateLimiter r(0);
    EXPECT_TRUE(r.unlimited());
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(r.reserve(steady_clock::now()), steady_clock::duration::zero());
}

TEST(RateLimiter, HoldsTheRateOverAVirtualSecond) {
    RateLimiter r(1000, 16);  // one probe per millisecond
    auto t = steady_clock::time_point{} + seconds(100);
    int sent = 0;
    // Simulate senders that sleep exactly as told, for one second of virtual time.
    for (auto end = t + seconds(1); t < end;) {
        auto wait = r.reserve(t);
        t += wait;
        if (t < end) ++sent;
    }
    EXPECT_GE(sent, 1000);
    EXPECT_LE(sent, 1016);  // at most the burst ahead of schedule
}

TEST(RateLimiter, DoesNotBurstToCatchUpAfterAStall) {
    RateLimiter r(1000, 4);
    auto t = steady_clock::time_point{} + seconds(100);
    for (int i = 0; i < 10; ++i) t += r.reserve(t);
    t += seconds(5);  // a long stall: 5000 slots were "missed"
    int immediate = 0;
    for (int i = 0; i < 100; ++i)
        if (r.reserve(t) == steady_clock::duration::zero()) ++immediate;
    EXPECT_LE(immediate, 4);
}
