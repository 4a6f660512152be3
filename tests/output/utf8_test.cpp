// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/utf8.hpp"

#include <gtest/gtest.h>

using namespace ghostport::output::detail;

namespace {
const std::string fffd = "\xEF\xBF\xBD";

// The text with each ill-formed subpart replaced by U+FFFD and each code point kept.
std::string replace_invalid(std::string_view text) {
    std::string out;
    for (std::size_t pos = 0; pos < text.size();) {
        Utf8Step s = decode_utf8(text, pos);
        out += s.valid ? std::string(text.substr(pos, s.length)) : fffd;
        pos += s.length;
    }
    return out;
}
}  // namespace

TEST(Utf8, DecodesWellFormedSequences) {
    EXPECT_EQ(decode_utf8("A", 0).code_point, U'A');
    Utf8Step e = decode_utf8("\xC3\xA9", 0);
    EXPECT_TRUE(e.valid);
    EXPECT_EQ(e.code_point, U'\u00E9');
    EXPECT_EQ(e.length, 2u);
    Utf8Step euro = decode_utf8("\xE2\x82\xAC", 0);
    EXPECT_EQ(euro.code_point, U'\u20AC');
    Utf8Step emoji = decode_utf8("\xF0\x9F\x98\x80", 0);
    EXPECT_TRUE(emoji.valid);
    EXPECT_EQ(emoji.code_point, U'\U0001F600');
    EXPECT_EQ(emoji.length, 4u);
    EXPECT_EQ(decode_utf8("\xF4\x8F\xBF\xBF", 0).code_point, U'\U0010FFFF');
}

TEST(Utf8, IllFormedSubpartsBecomeOneReplacementEach) {
    EXPECT_EQ(replace_invalid("\xFF"), fffd);
    EXPECT_EQ(replace_invalid("a\x80z"), "a" + fffd + "z");          // stray continuation byte
    EXPECT_EQ(replace_invalid("\xC0\xAF"), fffd + fffd);             // overlong '/'
    EXPECT_EQ(replace_invalid("\xE0\x80\x80"), fffd + fffd + fffd);  // overlong, lead rejects 2nd byte
    EXPECT_EQ(replace_invalid("\xED\xA0\x80"), fffd + fffd + fffd);  // surrogate U+D800
    EXPECT_EQ(replace_invalid("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
    EXPECT_EQ(replace_invalid("\xE2\x82"), fffd);                               // truncated at the end
    EXPECT_EQ(replace_invalid("\xE2\x82z"), fffd + "z");                        // truncated before ASCII
    EXPECT_EQ(replace_invalid("\xF0\x9F\x98"), fffd);
}

TEST(Utf8, TerminalSafeReplacesControlCharacters) {
    EXPECT_EQ(terminal_safe("plain h\xC3\xA9llo"), "plain h\xC3\xA9llo");
    EXPECT_EQ(terminal_safe("\x1b[31mred\x1b[0m"), "?[31mred?[0m");
    EXPECT_EQ(terminal_safe("a\tb\nc\rd\x7f"), "a?b?c?d?");
    EXPECT_EQ(terminal_safe("\xC2\x9B"
                            "2J"),
              "?2J");  // C1 CSI
    EXPECT_EQ(terminal_safe("bad\xFF"), "bad" + fffd);
}

TEST(Utf8, DisplayWidthCountsCodePoints) {
    EXPECT_EQ(display_width(""), 0u);
    EXPECT_EQ(display_width("host"), 4u);
    EXPECT_EQ(display_width("h\xC3\xA9llo"), 5u);
    EXPECT_EQ(display_width(fffd), 1u);
}
