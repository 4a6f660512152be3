// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/retry_budget.hpp"

#include <gtest/gtest.h>

#include <cmath>

using ghostport::scanner::retries_for_loss;
using ghostport::scanner::RetryBudget;

TEST(RetryBudget, TriesAreTheFewestThatMakeAMissOneInAMillion) {
    EXPECT_EQ(retries_for_loss(0.0, 2, 6), 2u);
    EXPECT_EQ(retries_for_loss(0.01, 2, 6), 2u);   // 1e-6 exactly: 3 tries
    EXPECT_EQ(retries_for_loss(0.02, 2, 6), 3u);   // 0.02^3 = 8e-6: 4 tries
    EXPECT_EQ(retries_for_loss(0.059, 2, 6), 4u);  // 3% each way: 5 tries
    EXPECT_EQ(retries_for_loss(0.13, 2, 6), 6u);   // 0.13^7 = 6e-7
    EXPECT_EQ(retries_for_loss(0.5, 2, 6), 6u);    // capped
    EXPECT_EQ(retries_for_loss(1.0, 2, 6), 6u);
    EXPECT_EQ(retries_for_loss(std::nan(""), 2, 6), 2u);
    EXPECT_EQ(retries_for_loss(0.2, 4, 4), 4u);  // no room to adapt: what was asked
    for (double loss = 0.001; loss < 0.3; loss += 0.001) {
        const unsigned r = retries_for_loss(loss, 0, 20);
        EXPECT_LE(std::pow(loss, r + 1), 1e-6 * (1 + 1e-9)) << loss;
        if (r > 0) {
            EXPECT_GT(std::pow(loss, r), 1e-6) << loss;  // and no more than that
        }
    }
}

TEST(RetryBudget, FollowsTheMeasuredShareOfLateAnswersOnceThereAreEnough) {
    RetryBudget b(2, 6);
    b.mature(RetryBudget::bucket_ns, 0);  // probes first sent at 0 have matured: their answers count at once
    for (int i = 0; i < 400; ++i) b.on_answer(i % 25 < 2, 0);  // 8% late, but too few answers yet
    EXPECT_EQ(b.retries(), 2u);
    EXPECT_FALSE(b.measured());
    for (int i = 0; i < 4000; ++i) b.on_answer(i % 25 < 2, 0);
    EXPECT_TRUE(b.measured());
    EXPECT_EQ(b.retries(), 5u);  // 0.08^6 = 2.6e-7, 0.08^5 = 3.3e-6
    for (int i = 0; i < 100000; ++i) b.on_answer(false, 0);
    EXPECT_EQ(b.retries(), 2u);  // the loss went away: back to the minimum
    EXPECT_EQ(b.max_retries(), 6u);
}

// Probes go out for 600 ms, 100 a millisecond, and 4% of them are answered only on a retry: the prompt
// answers come 100 ms after the first try, the late ones 400 ms after. At 700 ms every prompt answer is in
// but only the late answers of the first 300 ms: counted together they say 2% (4 tries), while the probes
// whose fate is known say 4% (5 tries). Only those count.
TEST(RetryBudget, TheLateAnswersOfRecentProbesAreWaitedFor) {
    constexpr std::uint64_t ms = 1'000'000, wait = 400 * ms;
    RetryBudget b(2, 6);
    auto late = [](std::uint64_t sent_ms, int i) { return (sent_ms * 100 + i) % 25 == 0; };
    for (std::uint64_t t = 0; t <= 700; ++t) {
        if (t >= 100 && t - 100 <= 600)
            for (int i = 0; i < 100; ++i)
                if (!late(t - 100, i)) b.on_answer(false, (t - 100) * ms);
        if (t >= 400 && t - 400 <= 600)
            for (int i = 0; i < 100; ++i)
                if (late(t - 400, i)) b.on_answer(true, (t - 400) * ms);
        b.mature(t * ms, wait);
        if (t == 350) {
            EXPECT_FALSE(b.measured());  // nothing sent before -50 ms
            EXPECT_EQ(b.retries(), 2u);
        }
    }
    EXPECT_TRUE(b.measured());
    EXPECT_EQ(b.retries(), 4u);  // 0.04^5 = 1e-7; 0.04^4 = 2.6e-6

    RetryBudget unwaited(2, 6);  // the same answers counted as they come: the loss reads low
    for (std::uint64_t t = 0; t <= 700; ++t) {
        if (t >= 100 && t - 100 <= 600)
            for (int i = 0; i < 100; ++i)
                if (!late(t - 100, i)) unwaited.on_answer(false, 0);
        if (t >= 400 && t - 400 <= 600)
            for (int i = 0; i < 100; ++i)
                if (late(t - 400, i)) unwaited.on_answer(true, 0);
        unwaited.mature(t * ms + RetryBudget::bucket_ns, 0);
    }
    EXPECT_EQ(unwaited.retries(), 3u);
}

// Answers whose first try is older than the ring holds are counted rather than lost.
TEST(RetryBudget, AnswersBeyondTheRingStillCount) {
    RetryBudget b(2, 6);
    const std::uint64_t span = RetryBudget::bucket_ns * RetryBudget::buckets;
    for (int i = 0; i < 1000; ++i) b.on_answer(i % 10 == 0, 0);  // 10% late, not matured
    EXPECT_FALSE(b.measured());
    b.on_answer(false, 2 * span);  // a first try far later: the oldest buckets count now
    EXPECT_TRUE(b.measured());
    EXPECT_EQ(b.retries(), 5u);  // 0.1^6 = 1e-6
}

TEST(RetryBudget, AFixedNumberStaysFixed) {
    RetryBudget b(3, 0);
    b.mature(RetryBudget::bucket_ns, 0);
    for (int i = 0; i < 10000; ++i) b.on_answer(i % 2 == 0, 0);
    EXPECT_EQ(b.retries(), 3u);
    EXPECT_EQ(b.max_retries(), 3u);
}
