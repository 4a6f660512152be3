// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/rtt_estimator.hpp"

#include <gtest/gtest.h>

using ghostport::scanner::RttEstimator;
using us = std::chrono::microseconds;
using ms = std::chrono::milliseconds;

TEST(RttEstimator, InitialTimeoutUntilFirstSample) {
    RttEstimator e(ms(1000), ms(100), ms(1000));
    EXPECT_FALSE(e.has_sample());
    EXPECT_EQ(e.rto(), ms(1000));
}

TEST(RttEstimator, FollowsRfc6298) {
    RttEstimator e(ms(1000), us(0), ms(10000));
    e.sample(ms(100));  // srtt 100, rttvar 50 -> 300
    EXPECT_EQ(e.rto(), ms(300));
    e.sample(ms(100));  // rttvar 37.5, srtt 100 -> 250
    EXPECT_EQ(e.rto(), ms(250));
    e.sample(ms(200));  // rttvar .75*37.5+.25*100 = 53.125; srtt 112.5 -> 325
    EXPECT_EQ(e.rto(), ms(325));
    EXPECT_EQ(e.srtt(), us(112500));
    EXPECT_EQ(e.peak(), ms(200));  // the slowest sample, unsmoothed
    e.sample(ms(50));
    EXPECT_EQ(e.peak(), ms(200));
}

TEST(RttEstimator, ClampsAndDoublesPerRetry) {
    RttEstimator e(ms(1000), ms(100), ms(1000));
    e.sample(us(50));  // a veth round trip: far below the floor
    EXPECT_EQ(e.rto(), ms(100));
    EXPECT_EQ(e.timeout(1), ms(200));
    EXPECT_EQ(e.timeout(2), ms(400));
    EXPECT_EQ(e.timeout(5), ms(1000));
    e.sample(ms(5000));
    EXPECT_EQ(e.rto(), ms(1000));
}
