// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/rate_control.hpp"

#include <gtest/gtest.h>

using ghostport::scanner::RateControl;
using ghostport::scanner::RateControlOptions;

namespace {
constexpr std::uint64_t ms = 1'000'000;

RateControlOptions start_at_10k() {
    RateControlOptions o;
    o.initial = 10'000;
    return o;
}

// Runs `epochs` epochs of 20 ms in which the sender always wants more and sends all it is allowed, with
// `answers` answers per epoch of which `late` came only after a retransmission; returns the final time.
std::uint64_t run(RateControl& rc, std::uint64_t t, int epochs, int answers, int late,
                  std::uint64_t overload = 0, std::uint64_t rtt = 0, std::uint64_t slowest_rtt = 0) {
    for (int e = 0; e < epochs; ++e) {
        for (int i = 0; i < answers; ++i) rc.on_answer(i < late);
        rc.on_overload(overload);
        rc.sent(static_cast<std::uint32_t>(rc.rate() * 0.02));
        rc.note_limited();
        t += 20 * ms;
        rc.update(t, rtt, slowest_rtt);
    }
    return t;
}
}  // namespace

TEST(RateControl, GrowsWhileAnswersComeOnTheFirstTry) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    run(rc, 0, 10, 1000, 0);
    EXPECT_GT(rc.rate(), 10'000 * 50.0);  // doubling per epoch, at most twice what was sent
}

TEST(RateControl, SteadyRandomLossIsNotCongestion) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    run(rc, 0, 10, 1000, 60);  // 6% of answers need a retransmission, at every rate
    EXPECT_GT(rc.rate(), 10'000 * 50.0);
    EXPECT_EQ(rc.backoffs(), 0u);
}

TEST(RateControl, BacksOffWhenDropsRiseAndHolds) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    auto t = run(rc, 0, 20, 1000, 60);
    EXPECT_EQ(rc.backoffs(), 0u);
    t = run(rc, t, 3, 1000, 400);  // drops jump to 40% of answers: smoothed, it crosses 15% in two epochs
    EXPECT_EQ(rc.backoffs(), 1u);
    // Within the hold time (100 ms) more bad epochs do not cut again; after it they do.
    t = run(rc, t, 3, 1000, 400);
    EXPECT_EQ(rc.backoffs(), 1u);
    run(rc, t, 10, 1000, 400);
    EXPECT_GE(rc.backoffs(), 2u);
}

TEST(RateControl, CaptureDropsAlwaysCount) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    run(rc, 0, 1, 10, 0, 5);
    EXPECT_DOUBLE_EQ(rc.rate(), 7'000);
}

TEST(RateControl, SlowStartDoublesOncePerRoundTripWhenThatIsLonger) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    run(rc, 0, 10, 1000, 0, 0, 100 * ms);  // 200 ms: two round trips of 100 ms
    EXPECT_DOUBLE_EQ(rc.rate(), 40'000);
}

TEST(RateControl, LocalDropsCutAgainAfterAShortHoldLateAnswersAfterTwoRoundTrips) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    auto t = run(rc, 0, 3, 1000, 0, 5, 200 * ms);  // 60 ms of local drops: cut at 20 and 60 ms (hold 30 ms)
    EXPECT_EQ(rc.backoffs(), 2u);
    EXPECT_NEAR(rc.rate(), 10'000 * 0.7 * 0.7, 1);
    t = run(rc, t, 20, 1000, 0, 0, 200 * ms);
    run(rc, t, 10, 1000, 600, 0, 200 * ms);  // 200 ms of late answers: once, the hold being 400 ms
    EXPECT_EQ(rc.backoffs(), 3u);
}

TEST(RateControl, NeverRunsFarAheadOfWhatTheSenderAchieves) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    std::uint64_t t = 0;
    for (int e = 0; e < 20; ++e) {  // a sender that manages 200k/s whatever it is allowed
        rc.sent(4'000);
        rc.note_limited();
        t += 20 * ms;
        rc.update(t);
    }
    EXPECT_LE(rc.rate(), 400'000.0);
    EXPECT_GE(rc.rate(), 200'000.0);
}

TEST(RateControl, StaysWithinMinAndMax) {
    RateControlOptions o;
    o.min_rate = 5'000;
    o.max_rate = 50'000;
    RateControl rc(o);
    rc.allowance(0, 1);
    auto t = run(rc, 0, 20, 1000, 0);
    EXPECT_DOUBLE_EQ(rc.rate(), 50'000);
    run(rc, t, 40, 10, 0, 100);
    EXPECT_DOUBLE_EQ(rc.rate(), 5'000);
}

TEST(RateControl, AllowanceFollowsTheRateWithoutCatchUpBursts) {
    RateControlOptions o;
    o.initial = 100'000;
    o.max_rate = 100'000;
    RateControl rc(o);
    std::uint64_t t = 0, sent = 0;
    rc.allowance(t, 1000);
    for (int i = 0; i < 1000; ++i) {  // 100 ms in steps of 100 us
        t += 100'000;
        auto n = rc.allowance(t, 1000);
        rc.sent(n);
        sent += n;
    }
    EXPECT_NEAR(static_cast<double>(sent), 10'000, 300);
    // A 1 s stall gives at most 2 ms worth, not a second's.
    t += 1000 * ms;
    EXPECT_LE(rc.allowance(t, 1'000'000), 200u);
}

TEST(RateControl, QueueingEndsSlowStartBeforeAQueueOverflows) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    auto t = run(rc, 0, 3, 1000, 0);  // no queue: doubling per epoch
    EXPECT_DOUBLE_EQ(rc.rate(), 80'000);
    for (int i = 0; i < 100; ++i) rc.on_queue_delay(5 * ms);  // round trips 5 ms over each host's shortest
    t = run(rc, t, 1, 1000, 0);
    EXPECT_DOUBLE_EQ(rc.rate(), 40'000) << "back to the rate before the last doubling";
    EXPECT_EQ(rc.backoffs(), 1u);
    // While the queue lasts the rate does not grow; once it is gone, it climbs half way back to where the
    // queue began per step (not doublings), then in 5% steps.
    t += 200 * ms;  // past the hold
    for (int i = 0; i < 100; ++i) rc.on_queue_delay(5 * ms);
    t = run(rc, t, 1, 1000, 0);
    EXPECT_DOUBLE_EQ(rc.rate(), 40'000);
    // Jitter, and a few answers held up on this machine (a mean of 15 ms, a median of 0.5 ms): not a queue.
    for (int i = 0; i < 70; ++i) rc.on_queue_delay(ms / 2);
    for (int i = 0; i < 30; ++i) rc.on_queue_delay(50 * ms);
    t = run(rc, t, 1, 1000, 0);
    EXPECT_DOUBLE_EQ(rc.rate(), 60'000);
    t = run(rc, t, 1, 1000, 0);
    EXPECT_DOUBLE_EQ(rc.rate(), 70'000);
    t = run(rc, t, 1, 1000, 0);
    EXPECT_DOUBLE_EQ(rc.rate(), 75'000);
    run(rc, t, 1, 1000, 0);
    EXPECT_DOUBLE_EQ(rc.rate(), 75'000 * 1.05) << "near the queue's rate, 5% steps";
}

TEST(RateControl, SlowStartWaitsForTheSlowestRoundTrip) {
    RateControl rc(start_at_10k());
    rc.allowance(0, 1);
    run(rc, 0, 10, 1000, 0, 0, 20 * ms, 100 * ms);  // 200 ms: near hosts answer in 20 ms, the farthest in 100
    EXPECT_DOUBLE_EQ(rc.rate(), 40'000) << "two doublings, not ten";
}

TEST(RateControl, ALocalOverflowCutsToWhatTheTargetsAnswer) {
    RateControlOptions o;
    o.initial = 200'000;
    o.max_rate = 200'000;
    RateControl rc(o);
    rc.allowance(0, 1);
    // 4,000 probes sent per 20 ms epoch (200k/s), half of them answered. Then the answers fall to 30k/s (a
    // queue on the way drains only that much) and the interface drops packets: the rate goes at once to 0.9 x
    // the rate those answers stand for (30k/s over the share of probes answered so far), not to 0.7 x 200k/s.
    auto t = run(rc, 0, 10, 2000, 0);
    t = run(rc, t, 5, 600, 0);
    EXPECT_EQ(rc.backoffs(), 0u);
    run(rc, t, 1, 600, 0, 100);
    EXPECT_EQ(rc.backoffs(), 1u);
    const double answered_share = (10 * 2000 + 6 * 600) / (16 * 4000.0);
    EXPECT_NEAR(rc.rate(), 0.9 * 30'000 / answered_share, 1);
    EXPECT_GE(rc.rate(), 0.25 * 200'000);
}
