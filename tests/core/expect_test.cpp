// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/expect.hpp"

#include <gtest/gtest.h>

#include "audit_rows.hpp"
#include "core/errors.hpp"

using namespace ghostport::core;
using test::row;

TEST(Expect, MatchesAddressesBlocksNamesAndPorts) {
    auto list = ExpectList::parse(
        "# the lab's known services\n"
        "198.18.0.5 22 ssh on the NAS\n"
        "198.18.1.0/24 443/tcp web tier\r\n"
        "\n"
        "NAS.lan 8000-8100\n"
        "* 9100/tcp printers\n"
        "2001:2::/48 53\n");
    EXPECT_EQ(list.size(), 5u);
    list.resolve_names([](const std::string& name) {
        EXPECT_EQ(name, "nas.lan");
        return std::vector<Address>{*Address::parse("198.18.7.7")};
    });
    auto r = row("198.18.0.5", 22);
    ASSERT_NE(list.match(r), nullptr);
    EXPECT_EQ(list.match(r)->note, "ssh on the NAS");
    EXPECT_EQ(list.match(row("198.18.0.6", 22)), nullptr);
    EXPECT_NE(list.match(row("198.18.1.200", 443)), nullptr);
    EXPECT_EQ(list.match(row("198.18.2.1", 443)), nullptr);
    // A name matches by the address it resolved to, never by a row's reverse-DNS name (a PTR record is
    // whatever the address's owner says).
    EXPECT_NE(list.match(row("198.18.7.7", 8050)), nullptr);
    auto impostor = row("198.18.9.9", 8050);
    impostor.hostname = "nas.LAN";
    EXPECT_EQ(list.match(impostor), nullptr);
    EXPECT_NE(list.match(row("203.0.113.1", 9100)), nullptr);
    EXPECT_NE(list.match(row("2001:2::77", 53)), nullptr);
    EXPECT_EQ(list.match(row("2001:3::77", 53)), nullptr);
}

TEST(Expect, NamesThatDoNotResolveAreAnInputErrorNamingTheLine) {
    auto list = ExpectList::parse("# fleet\nnas.lan 22\n");
    EXPECT_THROW(list.resolve_names([](const std::string&) { return std::vector<Address>{}; }), InputError);
    try {
        list.resolve_names(
            [](const std::string&) -> std::vector<Address> { throw InputError("no such host"); });
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "line 2: nas.lan: no such host");
    }
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
    EXPECT_EQ(error_of("198.18.0.5\n"),
              "line 1: \"198.18.0.5\" has no port: use HOST PORT[/PROTO] [service=NAME] [NOTE]");
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
    EXPECT_EQ(
        error_of("# ok\n\n198.18.0.5 22 service= sshd\n"),
        "line 3: bad service \"service=\": use service=NAME (ssh, http, ...: letters, digits, - _ . /)");
    EXPECT_EQ(
        error_of("198.18.0.5 22 service=s\x1bh\n"),
        "line 1: bad service \"service=s?h\": use service=NAME (ssh, http, ...: letters, digits, - _ . /)");
}

TEST(Expect, LoadNamesTheFile) {
    try {
        ExpectList::load("/nonexistent/expect.txt");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "/nonexistent/expect.txt: cannot read the expect file");
    }
}

TEST(Expect, ServiceNamesTheServiceThatMustRunThere) {
    const auto list = ExpectList::parse(
        "198.18.0.10 1642/tcp service=ssh backup sshd\n"
        "198.18.0.10 443 Service=SSL/HTTP\n"
        "198.18.0.10 80 service=http\n");
    EXPECT_EQ(list.size(), 3u);
    auto ssh = test::identified(row("198.18.0.10", 1642), "ssh");
    ASSERT_NE(list.match(ssh), nullptr);
    EXPECT_EQ(list.match(ssh)->service, "ssh");
    EXPECT_EQ(list.match(ssh)->note, "backup sshd");
    EXPECT_EQ(list.match(test::identified(row("198.18.0.10", 1642), "http")), nullptr);
    // Inside TLS: ssl/http is http with the tls field set (STARTTLS is not "inside").
    EXPECT_NE(list.match(test::identified(row("198.18.0.10", 443), "http", "TLSv1.3")), nullptr);
    EXPECT_NE(list.match(test::identified(row("198.18.0.10", 443), "ssl/http")), nullptr);
    EXPECT_EQ(list.match(test::identified(row("198.18.0.10", 443), "http")), nullptr);
    EXPECT_EQ(list.match(test::identified(row("198.18.0.10", 443), "http", "STARTTLS TLSv1.3")), nullptr);
    EXPECT_NE(list.match(test::identified(row("198.18.0.10", 80), "ssl/http")), nullptr);
}

TEST(Expect, ServiceIsNotJudgedWithoutANamedService) {
    const auto list = ExpectList::parse("198.18.0.10 1642 service=ssh\n");
    for (std::string_view found : {"", "unknown", "tcpwrapped"}) {
        std::vector<ReportRow> rows{test::identified(row("198.18.0.10", 1642), std::string(found))};
        EXPECT_EQ(list.apply(rows), 1u) << found;
        EXPECT_TRUE(rows[0].label.labels & label_expected) << found;
    }
}

TEST(Expect, AnotherServiceIsUnexpectedAndSaysWhy) {
    const auto list = ExpectList::parse(
        "198.18.0.10 1642 service=ssh backup sshd\n"
        "198.18.0.10 1642 service=ssl/ssh\n"
        "198.18.0.10 2000-2010 service=smtp\n"
        "198.18.0.10 2005 service=http\n");
    std::vector<ReportRow> rows{test::identified(row("198.18.0.10", 1642), "http"),
                                test::identified(row("198.18.0.10", 2005), "http"),
                                test::identified(row("198.18.0.10", 2006), "imap"),
                                test::identified(row("198.18.0.10", 2007, PortState::closed), "")};
    EXPECT_EQ(list.apply(rows), 1u);
    EXPECT_FALSE(rows[0].label.labels & label_expected);
    EXPECT_EQ(rows[0].expect_note, "expected ssh, found http");  // the first line that names the port
    EXPECT_TRUE(rows[1].label.labels & label_expected);          // a later line allows http there
    EXPECT_EQ(rows[1].expect_note, "");
    EXPECT_EQ(rows[2].expect_note, "expected smtp, found imap");
    EXPECT_EQ(rows[3].expect_note, "");  // not a listener
}

// An expectation names one protocol (tcp when none is written): 53/udp matches only UDP rows, 53 only TCP
// ones, and an open|filtered UDP row is no listener to label.
TEST(Expect, UdpExpectationMatchesOnlyUdpRows) {
    const auto list = ExpectList::parse("198.18.0.5 53/udp resolver\n198.18.0.5 22 ssh\n");
    EXPECT_NE(list.match(test::udp(row("198.18.0.5", 53))), nullptr);
    EXPECT_EQ(list.match(row("198.18.0.5", 53)), nullptr);
    EXPECT_NE(list.match(row("198.18.0.5", 22)), nullptr);
    EXPECT_EQ(list.match(test::udp(row("198.18.0.5", 22))), nullptr);
    std::vector<ReportRow> rows{test::udp(row("198.18.0.5", 53)), row("198.18.0.5", 53),
                                test::udp(row("198.18.0.5", 53, PortState::open_filtered))};
    rows[2].result.host = *Address::parse("198.18.0.6");
    EXPECT_EQ(list.apply(rows), 1u);
    EXPECT_TRUE(rows[0].label.labels & label_expected);
    EXPECT_FALSE(rows[1].label.labels & label_expected);
    EXPECT_FALSE(rows[2].label.labels & label_expected);
}
