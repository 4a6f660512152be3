// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/target_source.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/errors.hpp"

using namespace ghostport::scanner;
using ghostport::core::Address;

namespace {
TargetSet hosts(const char* lo, const char* hi) {
    TargetSet s;
    auto a = *Address::parse(lo), b = *Address::parse(hi);
    s.add({a.family, to_u128(a), to_u128(b)});
    s.finalize();
    return s;
}
}  // namespace

TEST(TargetSource, VisitsEveryHostPortPairOnce) {
    auto set = hosts("198.18.0.1", "198.18.0.16");
    TargetSource src(set, {22, 80, 443, 1642, 50000}, 3);
    ASSERT_EQ(src.size(), 80u);
    std::set<std::pair<std::string, int>> seen;
    for (std::uint64_t i = 0; i < src.size(); ++i) {
        auto t = src.at(i);
        EXPECT_EQ(set.at(t.host_index), t.host);
        seen.insert({t.host.to_string(), t.port});
    }
    EXPECT_EQ(seen.size(), 80u);
}

TEST(TargetSource, SpreadsLoadAcrossHostsRatherThanHostByHost) {
    auto set = hosts("198.18.0.1", "198.18.0.16");
    std::vector<std::uint16_t> ports;
    for (int p = 1; p <= 1000; ++p) ports.push_back(static_cast<std::uint16_t>(p));
    TargetSource src(set, ports, 11);
    std::map<std::string, int> first_256;
    for (std::uint64_t i = 0; i < 256; ++i) ++first_256[src.at(i).host.to_string()];
    EXPECT_EQ(first_256.size(), 16u);  // every host is already being probed
    for (auto& [h, n] : first_256) EXPECT_LT(n, 40) << h;
}

TEST(TargetSource, RefusesOverflowingScans) {
    TargetSet s;
    auto a = *Address::parse("2001:2::");
    s.add({a.family, to_u128(a), to_u128(a) + (u128{1} << 62)});
    s.finalize();
    EXPECT_THROW(TargetSource(s, {1, 2, 3}, 0), ghostport::core::InputError);
}

TEST(TargetSource, ShardsPartitionTheWalkWithNoOverlapAndNoGap) {
    auto set = hosts("198.18.0.1", "198.18.0.7");
    std::vector<std::uint16_t> ports{1, 2, 3, 22, 80, 443, 1642, 50000, 65535};
    TargetSource whole(set, ports, 42);
    for (std::uint64_t n : {1u, 2u, 3u, 5u, 63u, 64u, 100u}) {
        std::multiset<std::pair<std::string, int>> seen;
        std::uint64_t total = 0;
        for (std::uint64_t k = 0; k < n; ++k) {
            TargetSource part(set, ports, 42, {k, n});
            total += part.size();
            for (std::uint64_t i = 0; i < part.size(); ++i)
                seen.insert({part.at(i).host.to_string(), part.at(i).port});
        }
        EXPECT_EQ(total, whole.size()) << n;
        std::multiset<std::pair<std::string, int>> all;
        for (std::uint64_t i = 0; i < whole.size(); ++i)
            all.insert({whole.at(i).host.to_string(), whole.at(i).port});
        EXPECT_EQ(seen, all) << n;  // union == whole, and no pair twice
    }
}

TEST(TargetSource, ShardSpecs) {
    auto s = parse_shard("2/3");
    EXPECT_EQ(s.index, 1u);
    EXPECT_EQ(s.count, 3u);
    EXPECT_EQ(parse_shard("1/1").count, 1u);
    for (const char* bad : {"", "3", "0/3", "4/3", "1/0", "a/b", "1/3/5", " 1/3", "1/65537", "-1/3"})
        EXPECT_THROW(parse_shard(bad), ghostport::core::InputError) << bad;
}

TEST(TargetSource, PositionOfIsTheInverseOfAtPerShard) {
    auto set = hosts("198.18.0.1", "198.18.0.16");
    const std::vector<std::uint16_t> ports{22, 80, 443, 1642, 50000};
    for (std::uint64_t k = 0; k < 3; ++k) {
        TargetSource src(set, ports, 11, Shard{k, 3});
        for (std::uint64_t i = 0; i < src.size(); ++i) {
            const auto t = src.at(i);
            EXPECT_EQ(src.position_of(t.host, t.port), i);
        }
        std::uint64_t mine = 0;
        for (std::uint32_t h = 1; h <= 16; ++h)
            for (auto p : ports) mine += src.position_of(Address::from_v4(0xC6120000u + h), p).has_value();
        EXPECT_EQ(mine, src.size());
    }
    TargetSource src(set, ports, 11);
    EXPECT_EQ(src.position_of(*Address::parse("198.18.0.1"), 23), std::nullopt);
    EXPECT_EQ(src.position_of(*Address::parse("198.18.0.99"), 22), std::nullopt);
}

TEST(TargetSource, SkipStartsTheWalkLater) {
    auto set = hosts("198.18.0.1", "198.18.0.16");
    TargetSource whole(set, {22, 80, 443}, 4, Shard{1, 2});
    TargetSource rest(set, {22, 80, 443}, 4, Shard{1, 2}, 10);
    ASSERT_EQ(rest.size(), whole.size() - 10);
    EXPECT_EQ(rest.skipped(), 10u);
    for (std::uint64_t i = 0; i < rest.size(); ++i) {
        EXPECT_EQ(rest.at(i).host, whole.at(10 + i).host);
        EXPECT_EQ(rest.at(i).port, whole.at(10 + i).port);
        EXPECT_EQ(rest.position_of(rest.at(i).host, rest.at(i).port), 10 + i);
    }
    EXPECT_EQ(TargetSource(set, {22}, 4, {}, 1000).size(), 0u);
}
