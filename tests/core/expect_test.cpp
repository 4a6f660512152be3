#include "core/expect.hpp"

#include <gtest/gtest.h>

#include "audit_rows.hpp"
#include "core/errors.hpp"

using namespace ghostport::core;
using test::row;

TEST(Expect, MatchesAddressesBlocksNamesAndPorts) {
    const auto list = ExpectList::parse(
        "# the lab's known services\n"
        "198.18.0.5 22 ssh on the NAS\n"
        "198.18.1.0/24 443/tcp web tier\r\n"
        "\n"
        "NAS.lan 8000-8100\n"
        "* 9100/tcp printers\n"
        "2001:2::/48 53\n");
    EXPECT_EQ(list.size(), 5u);
    auto r = row("198.18.0.5", 22);
    ASSERT_NE(list.match(r), nullptr);
    EXPECT_EQ(list.match(r)->note, "ssh on the NAS");
    EXPECT_EQ(list.match(row("198.18.0.6", 22)), nullptr);
    EXPECT_NE(list.match(row("198.18.1.200", 443)), nullptr);
    EXPECT_EQ(list.match(row("198.18.2.1", 443)), nullptr);
    auto named = row("198.18.7.7", 8050);
    named.hostname = "nas.LAN";
    EXPECT_NE(list.match(named), nullptr);
    EXPECT_EQ(list.match(row("198.18.7.7", 8050)), nullptr);
    EXPECT_NE(list.match(row("203.0.113.1", 9100)), nullptr);
    EXPECT_NE(list.match(row("2001:2::77", 53)), nullptr);
    EXPECT_EQ(list.match(row("2001:3::77", 53)), nullptr);
}

TEST(Expect, ApplyLabelsListenersOnlyWithTheirNote) {
    const auto list = ExpectList::parse("198.18.0.5 1642 the isis-am test rig\n");
    std::vector<ReportRow> rows{row("198.18.0.5", 1642), row("198.18.0.5", 1642, PortState::closed),
                                row("198.18.0.5", 22)};
    rows[1].result.host = *Address::parse("198.18.0.5");
    EXPECT_EQ(list.apply(rows), 1u);
    EXPECT_TRUE(rows[0].label.labels & label_expected);
    EXPECT_EQ(rows[0].expect_note, "the isis-am test rig");
    EXPECT_FALSE(rows[1].label.labels & label_expected);
    EXPECT_FALSE(rows[2].label.labels & label_expected);
    EXPECT_EQ(labels_to_string(rows[0].label.labels), "expected");
}

TEST(Expect, AllOpenHostMatchesOnlyAnyPort) {
    EXPECT_EQ(ExpectList::parse("198.18.0.5 80\n").match(row("198.18.0.5", 0, PortState::all_open)), nullptr);
    EXPECT_NE(ExpectList::parse("198.18.0.5 *\n").match(row("198.18.0.5", 0, PortState::all_open)), nullptr);
}

TEST(Expect, BadLinesSayWhichAndWhy) {
    auto error_of = [](std::string_view text) {
        try {
            ExpectList::parse(text);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error_of("198.18.0.5\n"), "line 1: \"198.18.0.5\" has no port: use HOST PORT[/PROTO] [NOTE]");
    EXPECT_EQ(error_of("# ok\n198.18.0.5 70000\n"),
              "line 2: bad port \"70000\": use 0..65535, a range 8000-8100 or *");
    EXPECT_EQ(error_of("198.18.0.5 90-80\n"),
              "line 1: bad port \"90-80\": use 0..65535, a range 8000-8100 or *");
    EXPECT_EQ(error_of("198.18.0.5 22/sctp\n"), "line 1: bad protocol in \"22/sctp\": use tcp or udp");
    EXPECT_EQ(error_of("198.18.0.0/33 22\n"), "line 1: bad prefix length in \"198.18.0.0/33\" (0..32)");
    EXPECT_EQ(error_of("198.18.0.999 22\n"),
              "line 1: bad host \"198.18.0.999\": use an address, a CIDR block, a hostname or *");
    EXPECT_EQ(error_of("bad\x1bhost 22\n"),
              "line 1: bad host \"bad?host\": use an address, a CIDR block, a hostname or *");
    EXPECT_EQ(error_of(std::string_view("a\0b 22\n", 7)), "line 1: a NUL byte (not a text file)");
}

TEST(Expect, LoadNamesTheFile) {
    try {
        ExpectList::load("/nonexistent/expect.txt");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "/nonexistent/expect.txt: cannot read the expect file");
    }
}
