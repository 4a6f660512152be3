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
