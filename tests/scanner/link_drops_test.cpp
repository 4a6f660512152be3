#include "scanner/link_drops.hpp"

#include <gtest/gtest.h>

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

TEST(LinkDrops, CountsFromTheFirstReadingOfLoopback) {
    LinkDrops drops;
    drops.watch("lo");
    drops.watch("lo");
    drops.watch("no-such-device");
    EXPECT_EQ(drops.total(), 0u);  // nothing dropped on loopback in the meantime
}

}  // namespace
