// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/link_drops.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace ghostport::scanner;

namespace {

constexpr const char* sample =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls "
    "carrier compressed\n"
    "    lo:    3267      29    0    0    0     0          0         0     3267      29    0    0    0     0"
    "       0          0\n"
    "gpt-1-r: 123 4 0 7 0 0 0 0 5678 90 1 118346 0 0 0 0\n"
    "eth0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";

TEST(LinkDrops, ReadsTheTxDropColumnOfTheNamedDevice) {
    EXPECT_EQ(tx_dropped_in(sample, "lo"), 0u);
    EXPECT_EQ(tx_dropped_in(sample, "gpt-1-r"), 118346u);
    EXPECT_EQ(tx_dropped_in(sample, "eth0"), 12u);  // no space after the colon
}

TEST(LinkDrops, UnknownDeviceOrMalformedLineIsNothing) {
    EXPECT_EQ(tx_dropped_in(sample, "eth1"), std::nullopt);
    EXPECT_EQ(tx_dropped_in(sample, "gpt-1"), std::nullopt);  // a prefix of a name is not the name
    EXPECT_EQ(tx_dropped_in("", "lo"), std::nullopt);
    EXPECT_EQ(tx_dropped_in("lo: 1 2 3\n", "lo"), std::nullopt);                          // too short
    EXPECT_EQ(tx_dropped_in("lo: 1 2 3 4 5 6 7 8 9 10 11 x2 13\n", "lo"), std::nullopt);  // not a number
    EXPECT_EQ(tx_dropped_in("lo: 1 2 3 4 5 6 7 8 9 10 11 99999999999999999999999\n", "lo"), std::nullopt);
}

// The file's TX drop column for two devices, as /proc/net/dev writes it (after two header lines).
std::string net_dev(std::uint64_t eth_drops, std::uint64_t veth_drops) {
    return "Inter-|   Receive                                                |  Transmit\n"
           " face |bytes    packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo "
           "colls carrier compressed\n" +
           fmt::format("  eth0: 1 2 3 4 5 6 7 8 9 10 11 {} 13 14 15 16\n", eth_drops) +
           fmt::format("gpt-v0: 1 2 3 4 5 6 7 8 9 10 11 {} 13 14 15 16\n", veth_drops);
}

TEST(LinkDrops, CountsFromTheFirstReadingOfEachDevice) {
    char path[] = "/tmp/gp_net_dev_XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    auto rewrite = [&](std::uint64_t eth, std::uint64_t veth) {
        std::ofstream(path, std::ios::trunc) << net_dev(eth, veth);
    };
    rewrite(100, 7);
    {
        LinkDrops drops(path);
        drops.watch("eth0");
        drops.watch("eth0");  // again: still counted from the first reading
        drops.watch("no-such-device");
        EXPECT_EQ(drops.total(), 0u);
        rewrite(103, 50);  // gpt-v0 is not watched yet: its drops before watch() never count
        EXPECT_EQ(drops.total(), 3u);
        drops.watch("gpt-v0");
        rewrite(110, 52);
        EXPECT_EQ(drops.total(), 12u);
    }
    ::unlink(path);
}

}  // namespace
