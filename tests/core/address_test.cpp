// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/address.hpp"

#include <gtest/gtest.h>

using ghostport::core::Address;
using ghostport::core::Family;

TEST(Address, ParsesAndPrintsV4) {
    auto a = Address::parse("198.18.0.1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->family, Family::v4);
    EXPECT_EQ(a->v4(), 0xC6120001u);
    EXPECT_EQ(a->to_string(), "198.18.0.1");
    EXPECT_EQ(Address::from_v4(0xC6120001u), *a);
}

TEST(Address, ParsesAndPrintsV6) {
    auto a = Address::parse("2001:2:0::1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->family, Family::v6);
    EXPECT_EQ(a->to_string(), "2001:2::1");
}

TEST(Address, RejectsNonLiterals) {
    for (const char* bad : {"", "198.18.0", "198.18.0.256", "host.example", "::g", "1.2.3.4/24", " 1.2.3.4"})
        EXPECT_FALSE(Address::parse(bad)) << bad;
}

TEST(Address, OrdersV4BeforeV6AndNumerically) {
    auto a = *Address::parse("198.18.0.2"), b = *Address::parse("198.18.0.10"), c = *Address::parse("::1");
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
}
