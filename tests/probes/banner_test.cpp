// SPDX-License-Identifier: GPL-2.0-or-later
// printable_banner: every byte outside 0x20-0x7e escaped, cut without splitting an escape.
#include "probes/banner.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ghostport::probes {
namespace {

using namespace std::string_literals;

TEST(Banner, PrintableTextStaysAsIs) {
    EXPECT_EQ(printable_banner("SSH-2.0-OpenSSH_9.2p1"), "SSH-2.0-OpenSSH_9.2p1");
}

TEST(Banner, LineEndsTabsAndBackslashesAreEscaped) {
    EXPECT_EQ(printable_banner("220 a\tb\\c\r\n"), "220 a\\tb\\\\c\\r\\n");
}

TEST(Banner, NulEscapeDelAndHighBytesBecomeHex) {
    EXPECT_EQ(printable_banner("\x00\x1b[2J\x7f\xff"s), "\\x00\\x1b[2J\\x7f\\xff");
}

TEST(Banner, OutputHasOnlyPrintableAscii) {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    const auto out = printable_banner(all, 10000);
    for (const char c : out) EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << static_cast<int>(c);
    EXPECT_EQ(out.size(), 95u + 3u * 2u + 1u /* backslash doubled */ + (256u - 95u - 3u) * 4u);
}

TEST(Banner, CutsAtMaxCharsWithoutSplittingAnEscape) {
    EXPECT_EQ(printable_banner("abcdef", 4), "abcd");
    EXPECT_EQ(printable_banner("ab\x01z", 4), "ab");  // \x01 needs 4: stops before it
    EXPECT_EQ(printable_banner("ab\x01z", 6), "ab\\x01");
    EXPECT_EQ(printable_banner("a\r\n", 2), "a");  // \r needs 2
    EXPECT_EQ(printable_banner("abc", 0), "");
}

TEST(Banner, DefaultCapIs256Characters) {
    EXPECT_EQ(printable_banner(std::string(1000, 'A')).size(), 256u);
    EXPECT_EQ(printable_banner(std::string(1000, '\0')).size(), 256u);
}

}  // namespace
}  // namespace ghostport::probes
