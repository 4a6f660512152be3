// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/target_set.hpp"

#include <gtest/gtest.h>

using namespace ghostport::scanner;
using ghostport::core::Address;

namespace {
AddressRange range(const char* lo, const char* hi) {
    auto a = *Address::parse(lo), b = *Address::parse(hi);
    return {a.family, to_u128(a), to_u128(b)};
}
std::vector<std::string> all(const TargetSet& s) {
    std::vector<std::string> out;
    for (std::uint64_t i = 0; i < s.size(); ++i) out.push_back(s.at(i).to_string());
    return out;
}
}  // namespace

TEST(TargetSet, MergesOverlapsSoEachAddressAppearsOnce) {
    TargetSet s;
    s.add(range("198.18.0.5", "198.18.0.7"));
    s.add(range("198.18.0.1", "198.18.0.5"));
    s.add(range("198.18.0.8", "198.18.0.8"));
    s.finalize();
    EXPECT_EQ(s.size(), 8u);
    EXPECT_EQ(s.at(0).to_string(), "198.18.0.1");
    EXPECT_EQ(s.at(7).to_string(), "198.18.0.8");
}

TEST(TargetSet, ExcludesSplitRanges) {
    TargetSet s;
    s.add(range("198.18.0.0", "198.18.0.9"));
    s.exclude(range("198.18.0.3", "198.18.0.4"));
    s.exclude(range("198.18.0.9", "198.18.0.20"));
    s.exclude(range("198.18.0.0", "198.18.0.0"));
    s.finalize();
    EXPECT_EQ(all(s), (std::vector<std::string>{"198.18.0.1", "198.18.0.2", "198.18.0.5", "198.18.0.6",
                                                "198.18.0.7", "198.18.0.8"}));
}

TEST(TargetSet, V4ThenV6AndExcludesStayInTheirFamily) {
    TargetSet s;
    s.add(range("2001:2::1", "2001:2::2"));
    s.add(range("198.18.0.1", "198.18.0.1"));
    s.exclude(range("0.0.0.0", "255.255.255.255"));
    s.finalize();
    EXPECT_EQ(all(s), (std::vector<std::string>{"2001:2::1", "2001:2::2"}));
}

TEST(TargetSet, WholeIpv4SpaceCounts) {
    TargetSet s;
    s.add(range("0.0.0.0", "255.255.255.255"));
    s.finalize();
    EXPECT_EQ(s.size(), 1ull << 32);
    EXPECT_EQ(s.at((1ull << 32) - 1).to_string(), "255.255.255.255");
}

TEST(TargetSet, RemembersHostnames) {
    TargetSet s;
    auto a = *Address::parse("127.0.0.1");
    s.add(AddressRange::single(a));
    s.name(a, "localhost");
    s.finalize();
    EXPECT_EQ(s.hostname(a), "localhost");
    EXPECT_EQ(s.hostname(*Address::parse("127.0.0.2")), "");
}
