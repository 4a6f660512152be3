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
    for (int i = 0; i < 400; ++i) b.on_answer(i % 25 < 2);  // 8% late, but too few answers yet
    EXPECT_EQ(b.retries(), 2u);
    for (int i = 0; i < 4000; ++i) b.on_answer(i % 25 < 2);
    EXPECT_EQ(b.retries(), 5u);  // 0.08^6 = 2.6e-7, 0.08^5 = 3.3e-6
    for (int i = 0; i < 100000; ++i) b.on_answer(false);
    EXPECT_EQ(b.retries(), 2u);  // the loss went away: back to the minimum
    EXPECT_EQ(b.max_retries(), 6u);
}

TEST(RetryBudget, AFixedNumberStaysFixed) {
    RetryBudget b(3, 0);
    for (int i = 0; i < 10000; ++i) b.on_answer(i % 2 == 0);
    EXPECT_EQ(b.retries(), 3u);
    EXPECT_EQ(b.max_retries(), 3u);
}
