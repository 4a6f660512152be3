// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/text_util.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using namespace ghostport::registry::detail;

TEST(TextUtil, PortNumbers) {
    EXPECT_EQ(parse_port_number("0"), 0);
    EXPECT_EQ(parse_port_number("65535"), 65535);
    EXPECT_EQ(parse_port_number("00022"), 22);
    for (const char* bad : {"", "65536", "70000", "-1", "+1", "1e3", "22 ", "123456", "0x10"})
        EXPECT_FALSE(parse_port_number(bad).has_value()) << bad;
}

TEST(TextUtil, TrimSplitLowercaseExcerpt) {
    EXPECT_EQ(trim("  a b \t\r\n"), "a b");
    EXPECT_EQ(trim(" \t "), "");
    EXPECT_EQ(split_words("  ssh\t22/tcp   x "), (std::vector<std::string_view>{"ssh", "22/tcp", "x"}));
    EXPECT_EQ(lowercase("TCP Udp"), "tcp udp");
    EXPECT_EQ(excerpt("a\nb", 80), "a b");
    EXPECT_EQ(excerpt("abcdef", 3), "abc...");
}

TEST(TextUtil, ReadingAMissingFileOrADirectoryNamesThePath) {
    try {
        read_text_file("/nonexistent/ghostport/file");
        FAIL();
    } catch (const ghostport::core::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/ghostport/file: cannot read"), std::string::npos);
    }
    EXPECT_THROW(read_text_file("/"), ghostport::core::InputError);
}
