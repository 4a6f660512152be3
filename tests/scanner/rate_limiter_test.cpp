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

TEST(RateLimiter, LateWakeUpsAreSpreadAgainWhenTheyGo) {
    RateLimiter r(1000, 4);  // one probe per millisecond, four ahead at most
    const auto t0 = steady_clock::time_point{} + seconds(100);
    // 100 senders reserve their slots over the next 100 ms, then all wake up 50 ms late at once.
    for (int i = 0; i < 100; ++i) r.reserve(t0);
    auto now = t0 + milliseconds(50);
    int at_once = 0;
    for (int i = 0; i < 100; ++i)
        if (r.admit(now) == steady_clock::duration::zero()) ++at_once;
    EXPECT_LE(at_once, 4) << "late senders went out together";
    // Senders that wait as told go at the rate: 100 more in 100 ms, give or take the burst.
    int sent = at_once;
    for (const auto end = now + milliseconds(100); now < end && sent < 1000;) {
        const auto wait = r.admit(now);
        if (wait == steady_clock::duration::zero())
            ++sent;
        else
            now += wait;
    }
    EXPECT_GE(sent, 100);
    EXPECT_LE(sent, 104);
}
