// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/csv_sink.hpp"

#include <gtest/gtest.h>

#include <set>

#include <sstream>

#include "core/errors.hpp"
#include "sample_report.hpp"

using ghostport::core::InputError;
using ghostport::core::Report;
using ghostport::core::ReportRow;
using ghostport::output::read_csv_report;
using ghostport::output::write_csv;
using namespace ghostport::output::test;

namespace {

// The 16-column layout of the reports written before service identification; the reading tests below use
// it, so they also show that such reports still load.
constexpr std::string_view header =
    "host,hostname,port,proto,state,reason,port_range,service,description,known_as,registry_status,"
    "prevalence,"
    "rarity,labels,rtt_ms,scanned_at\n";

// The layout written now: the 16 fields, the 12 service fields, hosts_open.
constexpr std::string_view header29 =
    "host,hostname,port,proto,state,reason,port_range,service,description,known_as,registry_status,"
    "prevalence,rarity,labels,rtt_ms,scanned_at,detected_service,product,version,extra_info,tls,"
    "cert_subject,cert_san,cert_issuer,cert_not_after,fingerprint,cpe,banner,hosts_open\n";

// The 12 empty service cells of a row that was not identified, then hosts_open 0 (not counted).
constexpr std::string_view no_service = ",,,,,,,,,,,,,0";

std::string csv_of(const Report& report) {
    std::ostringstream out;
    write_csv(out, report);
    return out.str();
}

std::string csv_of_rows(std::vector<ReportRow> rows) {
    Report report;
    report.rows = std::move(rows);
    return csv_of(report);
}

// The message of the InputError that reading text throws, or "" when it does not throw.
std::string read_error(std::string_view text) {
    try {
        read_csv_report(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

// A valid data line with one field replaced (fields as in the header).
std::string line_with(std::size_t field, std::string_view value) {
    std::vector<std::string> f{"198.18.0.5", "",        "1642",       "tcp",
                               "open",       "syn-ack", "registered", "isis-am",
                               "isis-am",    "netbus",  "assigned",   "1.2e-05",
                               "9.7",        "ghost",   "0.412",      "2026-11-22T10:00:01.250Z"};
    f[field] = value;
    std::string line;
    for (std::size_t i = 0; i < f.size(); ++i) line += (i ? "," : "") + f[i];
    return line + "\n";
}

}  // namespace

TEST(CsvSink, HeaderIsExact) {
    EXPECT_EQ(csv_of(Report{}), header29);
}

TEST(CsvSink, RowsInReportOrderWithPrintedForms) {
    const std::string csv = csv_of(sample_report());
    const std::string expected =
        std::string(header29) +
        "198.18.0.5,nas.lan,1642,tcp,open,syn-ack,registered,isis-am,isis-am,netbus,assigned,1.2e-05,9.7,"
        "ghost;unauthorized-use-reported,1.500,2026-11-22T10:00:01.250Z" +
        std::string(no_service) + "\n" +
        "2001:db8::7,,49160,tcp,open,syn-ack,dynamic,,,,unknown,0,8.2,ghost;dynamic,1.500,2026-11-22T10:00:"
        "01.250Z" +
        std::string(no_service) + "\n" +
        "198.18.0.9,,8080,tcp,open,syn-ack,registered,http-alt,HTTP Alternate (see port "
        "80),,assigned,0.042,2.5,,"
        "1.500,2026-11-22T10:00:01.250Z" +
        std::string(no_service) + "\n" +
        "198.18.0.5,nas.lan,22,tcp,open,syn-ack,well-known,ssh,The Secure Shell (SSH) "
        "Protocol,,assigned,0.31,0.3,"
        "privileged,0.412,2026-11-22T10:00:01.250Z" +
        std::string(no_service) + "\n";
    EXPECT_EQ(csv, expected);
}

TEST(CsvSink, PrevalenceHasSixSignificantDigits) {
    ReportRow row = make_row("192.0.2.1", 80, 1.0);
    row.label.prevalence = 0.123456789;
    EXPECT_NE(csv_of_rows({row}).find(",0.123457,"), std::string::npos);
    row.label.prevalence = 1.0;
    EXPECT_NE(csv_of_rows({row}).find(",1,1.0,"), std::string::npos);
}

TEST(CsvSink, RoundTripsTrickyFields) {
    ReportRow a = make_row("2001:db8::dead:beef", 65535, 10.0,
                           ghostport::core::label_ghost | ghostport::core::label_dynamic, "svc,with,commas",
                           "host, \"quoted\"");
    a.label.description = "Says \"hi\", then\nbreaks a line\r\nand a CRLF, and a trailing quote\"";
    a.label.known_as = "\"netbus\"";
    a.label.prevalence = 0.000123456;
    a.result.rtt_us = 4294967295u;
    a.result.scanned_at = at(23, 59, 59, 999);
    a.result.state = ghostport::core::PortState::filtered;
    a.result.reason = ghostport::core::Reason::no_response;
    ReportRow b = make_row("0.0.0.0", 0, 0.0, 0, "", "");
    b.label.description = ",";
    b.result.rtt_us = 0;
    b.result.proto = ghostport::core::Proto::udp;
    b.result.state = ghostport::core::PortState::closed;
    b.result.reason = ghostport::core::Reason::rst;
    b.label.status = ghostport::core::RegistryStatus::reserved;
    b.result.scanned_at = {};
    ReportRow c = make_row("::1", 1024, 5.55, 0x83F, "caf\xC3\xA9", "h\xC3\xB4te");
    c.result.reason = ghostport::core::Reason::unreachable;

    const std::string first = csv_of_rows({a, b, c});
    const std::vector<ReportRow> back = read_csv_report(first);
    ASSERT_EQ(back.size(), 3u);
    EXPECT_EQ(csv_of_rows(back), first);

    // Fields that survive printing exactly compare exactly.
    const ReportRow& ra = back[0];  // the ghost
    EXPECT_EQ(ra.result.host, a.result.host);
    EXPECT_EQ(ra.hostname, a.hostname);
    EXPECT_EQ(ra.result.port, 65535);
    EXPECT_EQ(ra.label.service, a.label.service);
    EXPECT_EQ(ra.label.description, a.label.description);
    EXPECT_EQ(ra.label.known_as, a.label.known_as);
    EXPECT_EQ(ra.label.labels, a.label.labels);
    EXPECT_EQ(ra.result.rtt_us, a.result.rtt_us);
    EXPECT_EQ(ra.result.scanned_at, a.result.scanned_at);
    EXPECT_EQ(ra.result.state, a.result.state);
    EXPECT_EQ(ra.result.reason, a.result.reason);
    EXPECT_DOUBLE_EQ(ra.label.prevalence, 0.000123456);
    const ReportRow& rc = back[1];
    EXPECT_EQ(rc.label.labels, 0x83Fu);  // ghost .. unauthorized-use-reported, fleet-wide
    EXPECT_EQ(rc.hostname, "h\xC3\xB4te");
    const ReportRow& rb = back[2];
    EXPECT_EQ(rb.result.proto, ghostport::core::Proto::udp);
    EXPECT_EQ(rb.label.status, ghostport::core::RegistryStatus::reserved);
    EXPECT_EQ(rb.result.scanned_at, ghostport::core::ReportRow{}.result.scanned_at);
    EXPECT_EQ(rb.label.description, ",");
}

// Formula injection (OWASP): a scanned banner or name that begins with = + - @ tab or CR is written with a
// leading apostrophe, so no spreadsheet runs it, and every reader gets the exact value back.
TEST(CsvSink, CellsThatASpreadsheetWouldRunAreNeutralizedAndReadBackExactly) {
    const std::vector<std::string> hostile{"=HYPERLINK(\"http://x\")",
                                           "+1+cmd|' /C calc'!A0",
                                           "-2+3",
                                           "@SUM(A1)",
                                           "\tTAB",
                                           "\rCR",
                                           "'quoted",
                                           "''",
                                           "plain"};
    std::vector<ReportRow> rows;
    for (const auto& text : hostile) {
        ReportRow r = make_row("198.18.0.10", 1642, 9.5, ghostport::core::label_ghost, text, text);
        r.label.description = text;
        rows.push_back(r);
    }
    const std::string csv = csv_of_rows(rows);
    for (const std::string start : {"=", "+", "-", "@", "\t", "\r"})
        for (const std::string before : {",", ",\""})
            EXPECT_EQ(csv.find(before + start), std::string::npos) << "a cell begins with " << start << ":\n"
                                                                   << csv;
    EXPECT_NE(csv.find("'=HYPERLINK("), std::string::npos) << csv;
    const auto back = read_csv_report(csv);
    ASSERT_EQ(back.size(), hostile.size());
    std::multiset<std::string> read_back;
    for (const auto& row : back) {
        EXPECT_EQ(row.label.service, row.hostname);
        EXPECT_EQ(row.label.description, row.hostname);
        read_back.insert(row.hostname);
    }
    EXPECT_EQ(read_back, std::multiset<std::string>(hostile.begin(), hostile.end()));
    EXPECT_EQ(csv_of_rows(back), csv);
}

TEST(CsvSink, ReadsCrlfBomAndBlankLines) {
    std::string text = "\xEF\xBB\xBF" + std::string(header) + line_with(1, "a") + "\n" + line_with(1, "b");
    std::string crlf;
    for (char ch : text) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    for (const std::string& t : {text, crlf}) {
        const auto rows = read_csv_report(t);
        ASSERT_EQ(rows.size(), 2u);
        EXPECT_EQ(rows[0].hostname, "a");
        EXPECT_EQ(rows[1].hostname, "b");
        EXPECT_EQ(rows[1].result.rtt_us, 412u);
        EXPECT_EQ(rows[1].label.rarity, 9.7);
    }
}

TEST(CsvSink, AcceptsOtherTimestampAndRttPrecisions) {
    auto rows =
        read_csv_report(std::string(header) + line_with(15, "2026-11-22T10:00:01Z") +
                        line_with(15, "2026-11-22T10:00:01.25Z") + line_with(14, "7") + line_with(14, "0.5"));
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].result.scanned_at, at(10, 0, 1, 0));
    EXPECT_EQ(rows[1].result.scanned_at, at(10, 0, 1, 250));
    EXPECT_EQ(rows[2].result.rtt_us, 7000u);
    EXPECT_EQ(rows[3].result.rtt_us, 500u);
}

TEST(CsvSink, EmptyOrWrongHeaderIsLineOne) {
    EXPECT_EQ(read_error("").rfind("line 1: ", 0), 0u) << read_error("");
    const std::string short_header = read_error("host,hostname,port\n");
    EXPECT_EQ(short_header.rfind("line 1: header has 3 fields, expected 16 or 28", 0), 0u) << short_header;
    std::string wrong = std::string(header);
    wrong.replace(wrong.find("port,"), 5, "prt,");
    const std::string renamed = read_error(wrong);
    EXPECT_EQ(renamed, "line 1: header field 3 is \"prt\", expected \"port\"");
}

TEST(CsvSink, WrongFieldCountNamesTheRecordLine) {
    // The quoted description spans lines 2 and 3, so the short record starts on line 4.
    std::string text = std::string(header) + line_with(8, "\"two\nlines\"") + "198.18.0.5,x,80\n";
    EXPECT_EQ(read_error(text), "line 4: 3 fields, expected 16");
    EXPECT_EQ(read_error(std::string(header) + "a,\"open\n"), "line 2: quoted field is never closed");
}

TEST(CsvSink, BadValuesNameLineAndField) {
    struct Case {
        std::size_t field;
        std::string value;
        std::string message;
    };
    const std::vector<Case> cases{
        {0, "198.18.0.256", "line 3: bad host address \"198.18.0.256\""},
        {2, "65536", "line 3: bad port \"65536\""},
        {2, "-1", "line 3: bad port \"-1\""},
        {2, "+80", "line 3: bad port \"+80\""},
        {2, "", "line 3: bad port \"\""},
        {3, "sctp", "line 3: bad proto \"sctp\""},
        {4, "Open", "line 3: bad state \"Open\""},
        {5, "ack", "line 3: bad reason \"ack\""},
        {6, "ephemeral", "line 3: bad port_range \"ephemeral\""},
        {6, "well-known", "line 3: port_range \"well-known\" does not match port 1642 (registered)"},
        {10, "taken", "line 3: bad registry_status \"taken\""},
        {11, "0,1", "line 3: 17 fields, expected 16"},
        {11, "x", "line 3: bad prevalence number \"x\""},
        {12, "9.7 ", "line 3: bad rarity number \"9.7 \""},
        {13, "ghost;", "line 3: bad labels \"ghost;\""},
        {13, "ghost;haunted", "line 3: bad labels \"ghost;haunted\""},
        {14, "1.2345", "line 3: bad rtt_ms number \"1.2345\""},
        {14, "-1.000", "line 3: bad rtt_ms number \"-1.000\""},
        {14, "5000000.000", "line 3: bad rtt_ms number \"5000000.000\""},
        {15, "2026-13-01T00:00:00.000Z", "line 3: bad scanned_at timestamp \"2026-13-01T00:00:00.000Z\""},
        {15, "2026-02-29T00:00:00.000Z", "line 3: bad scanned_at timestamp \"2026-02-29T00:00:00.000Z\""},
        {15, "2026-11-22 10:00:00.000Z", "line 3: bad scanned_at timestamp \"2026-11-22 10:00:00.000Z\""},
        {15, "2026-11-22T10:00:00.000", "line 3: bad scanned_at timestamp \"2026-11-22T10:00:00.000\""},
        {15, "2026-11-22T10:00:00.Z", "line 3: bad scanned_at timestamp \"2026-11-22T10:00:00.Z\""},
        // Years a 64-bit nanosecond clock cannot hold overflowed it (found by the report fuzzers).
        {15, "0020-01-01T00:00:00Z", "line 3: bad scanned_at timestamp \"0020-01-01T00:00:00Z\""},
        {15, "9999-12-31T23:59:59Z", "line 3: bad scanned_at timestamp \"9999-12-31T23:59:59Z\""},
        {15, "2026-11-22T24:00:00.000Z", "line 3: bad scanned_at timestamp \"2026-11-22T24:00:00.000Z\""},
    };
    for (const Case& c : cases) {
        const std::string text = std::string(header) + line_with(1, "ok") + line_with(c.field, c.value);
        EXPECT_EQ(read_error(text), c.message) << "field " << c.field << " value " << c.value;
    }
}

TEST(CsvSink, ErrorMessagesAreTerminalSafeAndShort) {
    const std::string text = std::string(header) + line_with(3, "\x1b[2J" + std::string(100, 'x'));
    const std::string message = read_error(text);
    EXPECT_EQ(message.find('\x1b'), std::string::npos);
    EXPECT_LT(message.size(), 120u);
}
