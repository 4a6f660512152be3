// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/source_ports.hpp"

#include <gtest/gtest.h>

namespace ghostport::scanner {
namespace {

TEST(SourcePorts, ParsesTheProcFormat) {
    EXPECT_EQ(parse_port_range("32768\t60999\n"), (std::pair<std::uint16_t, std::uint16_t>{32768, 60999}));
    EXPECT_EQ(parse_port_range("1024 65000"), (std::pair<std::uint16_t, std::uint16_t>{1024, 65000}));
}

TEST(SourcePorts, FallsBackToLinuxDefaultOnNonsense) {
    const std::pair<std::uint16_t, std::uint16_t> def{32768, 60999};
    EXPECT_EQ(parse_port_range(""), def);
    EXPECT_EQ(parse_port_range("60999 32768"), def);
    EXPECT_EQ(parse_port_range("1 70000"), def);
    EXPECT_EQ(parse_port_range("abc def"), def);
    EXPECT_EQ(parse_port_range("1000 2000 3000"), def);
}

// Every window, for every offset, lies wholly outside the ephemeral range.
TEST(SourcePorts, WindowNeverOverlapsTheEphemeralRange) {
    const std::pair<std::uint16_t, std::uint16_t> ranges[] = {
        {32768, 60999}, {1024, 65000}, {1024, 65535}, {40000, 65535}, {32768, 65530}};
    for (auto eph : ranges) {
        for (unsigned count : {1u, 7u, 21u}) {
            for (std::uint32_t r : {0u, 1u, 77u, 4095u, 123456789u, 0xffffffffu}) {
                const unsigned first = raw_source_window(eph, count, r);
                const unsigned last = first + count - 1;
                ASSERT_LE(last, 65535u);
                const bool outside = last < eph.first || first > eph.second;
                if (eph.first > 1024 + count || eph.second + count <= 65535) {
                    EXPECT_TRUE(outside) << eph.first << "-" << eph.second << " count " << count << " r " << r
                                         << " -> " << first;
                }
                EXPECT_GE(first, 1024u);
            }
        }
    }
}

TEST(SourcePorts, DefaultRangeUsesThePortsAboveIt) {
    for (std::uint32_t r = 0; r < 5000; r += 97) {
        const unsigned first = raw_source_window({32768, 60999}, 7, r);
        EXPECT_GE(first, 61000u);
        EXPECT_LE(first + 6, 65535u);
    }
}

}  // namespace
}  // namespace ghostport::scanner
