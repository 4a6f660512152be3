// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/csv.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using ghostport::core::csv_field;
using ghostport::core::CsvReader;
using ghostport::core::InputError;
using Fields = std::vector<std::string>;

namespace {
std::vector<Fields> read_all(std::string_view text) {
    CsvReader r(text);
    std::vector<Fields> out;
    Fields f;
    while (r.next(f)) out.push_back(f);
    return out;
}
}  // namespace

TEST(Csv, PlainRecordsWithLfAndCrlf) {
    auto rows = read_all("a,b,c\r\n1,,3\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], (Fields{"a", "b", "c"}));
    EXPECT_EQ(rows[1], (Fields{"1", "", "3"}));
}

TEST(Csv, QuotedCommasQuotesAndNewlines) {
    CsvReader r("x,\"a, \"\"b\"\"\nsecond line\",y\nnext,2\n");
    Fields f;
    ASSERT_TRUE(r.next(f));
    EXPECT_EQ(f, (Fields{"x", "a, \"b\"\nsecond line", "y"}));
    EXPECT_EQ(r.line(), 1u);
    ASSERT_TRUE(r.next(f));
    EXPECT_EQ(f, (Fields{"next", "2"}));
    EXPECT_EQ(r.line(), 3u);
    EXPECT_FALSE(r.next(f));
}

TEST(Csv, LastRecordWithoutNewlineAndTrailingEmptyField) {
    auto rows = read_all("a,b,");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0], (Fields{"a", "b", ""}));
}

TEST(Csv, SkipsByteOrderMark) {
    auto rows = read_all("\xEF\xBB\xBFService Name,Port\n");
    EXPECT_EQ(rows[0][0], "Service Name");
}

TEST(Csv, UnclosedQuoteNamesTheLine) {
    CsvReader r("ok\n\"never closed\nmore");
    Fields f;
    ASSERT_TRUE(r.next(f));
    try {
        r.next(f);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "line 2: quoted field is never closed");
    }
}

TEST(Csv, TextAfterClosingQuoteIsAnError) {
    CsvReader r("\"a\"b,c\n");
    Fields f;
    EXPECT_THROW(r.next(f), InputError);
}

TEST(Csv, FieldQuotingRoundTrips) {
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    std::string tricky = "x,\"y\"\nz";
    const std::string text =
        csv_field(tricky) + "," + csv_field("w") + "\n";  // the reader keeps a view of it
    CsvReader r(text);
    Fields f;
    ASSERT_TRUE(r.next(f));
    EXPECT_EQ(f, (Fields{tricky, "w"}));
}
