// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/fd_limit.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

using namespace ghostport::scanner;

TEST(FdLimit, RaisesSoftLimitToHard) {
    auto now = raise_fd_limit();
    rlimit lim{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
    EXPECT_EQ(lim.rlim_cur, lim.rlim_max == RLIM_INFINITY ? lim.rlim_cur : lim.rlim_max);
    EXPECT_GE(now, 64u);
}

TEST(FdLimit, ConcurrencyFitsUnderTheLimit) {
    EXPECT_EQ(concurrency_for(1024, 0), 960u);
    EXPECT_EQ(concurrency_for(2048, 0), 1024u);
    EXPECT_EQ(concurrency_for(1 << 20, 0), 1024u);
    EXPECT_EQ(concurrency_for(1024, 100), 100u);
    EXPECT_EQ(concurrency_for(1024, 5000), 960u);
    EXPECT_EQ(concurrency_for(10, 0), 1u);
}
