// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/iana_csv.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "real_files.hpp"

using ghostport::core::InputError;
using ghostport::registry::IanaRecord;
using ghostport::registry::detail::looks_like_iana_csv;
using ghostport::registry::detail::newest_date;
using ghostport::registry::detail::parse_iana_csv;
namespace t = ghostport::registry::testing;

namespace {

const std::string header_2025 =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,"
    "Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes\n";
const std::string header_2014 =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,"
    "Modification Date,Reference,Service Code,Known Unauthorized Uses,Assignment Notes\n";

// The InputError message of parsing `text`, or "" when it parses.
std::string error_of(const std::string& text) {
    try {
        parse_iana_csv(text, "test.csv");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(IanaCsv, ReadsEveryColumnByName) {
    auto recs =
        parse_iana_csv(header_2025 +
                           "echo,7,tcp,Echo,[Jon_Postel],[Jon_Postel],2001-01-01,2020-02-02,[RFC862],SC1,"
                           "misuse seen,some note\n",
                       "test.csv");
    ASSERT_EQ(recs.size(), 1u);
    const IanaRecord& r = recs[0];
    EXPECT_EQ(r.service_name, "echo");
    EXPECT_TRUE(r.has_port);
    EXPECT_EQ(r.port_lo, 7);
    EXPECT_EQ(r.port_hi, 7);
    EXPECT_EQ(r.protocol, "tcp");
    EXPECT_EQ(r.description, "Echo");
    EXPECT_EQ(r.assignee, "[Jon_Postel]");
    EXPECT_EQ(r.contact, "[Jon_Postel]");
    EXPECT_EQ(r.registration_date, "2001-01-01");
    EXPECT_EQ(r.modification_date, "2020-02-02");
    EXPECT_EQ(r.reference, "[RFC862]");
    EXPECT_EQ(r.service_code, "SC1");
    EXPECT_EQ(r.unauthorized_use, "misuse seen");
    EXPECT_EQ(r.assignment_notes, "some note");
    EXPECT_EQ(r.line, 2u);
}

TEST(IanaCsv, ColumnsMayComeInAnyOrder) {
    auto recs =
        parse_iana_csv("Port Number,Description,Transport Protocol,Service Name\n22,SSH,TCP,ssh\n", "t");
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].service_name, "ssh");
    EXPECT_EQ(recs[0].protocol, "tcp");  // lower-cased
    EXPECT_EQ(recs[0].port_lo, 22);
    EXPECT_EQ(recs[0].description, "SSH");
}

TEST(IanaCsv, The2014HeaderNamesUnauthorizedUseDifferently) {
    auto recs = parse_iana_csv(
        header_2014 + "finger,79,tcp,Finger,,,,,,,Unauthorized use by some mail users,\n", "t");
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].unauthorized_use, "Unauthorized use by some mail users");
}

TEST(IanaCsv, QuotedCommasQuotesAndNewlinesKeepLineNumbers) {
    auto recs = parse_iana_csv(header_2025 +
                                   "a,1,tcp,\"one, two \"\"three\"\"\",,,,,,,,\"note line 1\nnote line 2\"\n"
                                   "b,2,udp,second,,,,,,,,\n",
                               "t");
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_EQ(recs[0].description, "one, two \"three\"");
    EXPECT_EQ(recs[0].assignment_notes, "note line 1\nnote line 2");
    EXPECT_EQ(recs[0].line, 2u);
    EXPECT_EQ(recs[1].line, 4u);
}

TEST(IanaCsv, RangesEmptyPortsEmptyProtocolsAndBlankLines) {
    auto recs = parse_iana_csv(header_2025 +
                                   ",225-241,,Reserved,,,,,,,,\r\n"
                                   "\r\n"
                                   "nameonly,,tcp,A name without a port,,,,,,,,\r\n",
                               "t");
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_TRUE(recs[0].has_port);
    EXPECT_EQ(recs[0].port_lo, 225);
    EXPECT_EQ(recs[0].port_hi, 241);
    EXPECT_EQ(recs[0].protocol, "");
    EXPECT_FALSE(recs[1].has_port);
    EXPECT_EQ(recs[1].line, 4u);
}

TEST(IanaCsv, AForeignHeaderIsReportedWithLineOne) {
    const std::string e = error_of("name,port,proto\nssh,22,tcp\n");
    EXPECT_NE(
        e.find("test.csv: not IANA's service-names-port-numbers.csv format (line 1: \"name,port,proto\")"),
        std::string::npos)
        << e;
    EXPECT_NE(error_of("").find("not IANA's service-names-port-numbers.csv format (line 1: empty)"),
              std::string::npos);
    EXPECT_NE(error_of("ssh 22/tcp\n").find("not IANA's"), std::string::npos);
}

TEST(IanaCsv, BadRecordsAreReportedWithSourceAndLine) {
    EXPECT_EQ(error_of(header_2025 + "a,1,tcp,ok,,,,,,,,\nb,2,tcp,\"never closed,,,,,,,,\n"),
              "test.csv: line 3: quoted field is never closed");
    EXPECT_EQ(error_of(header_2025 + "a,70000,tcp,x,,,,,,,,\n"),
              "test.csv: line 2: bad port number \"70000\" (expected 0..65535 or a range)");
    EXPECT_EQ(error_of(header_2025 + "a,12-5,tcp,x,,,,,,,,\n"),
              "test.csv: line 2: bad port range \"12-5\" (start after end)");
    EXPECT_NE(error_of(header_2025 + "a,1-,tcp,x,,,,,,,,\n").find("line 2: bad port number \"1-\""),
              std::string::npos);
    EXPECT_NE(error_of(header_2025 + "a,x,tcp,x,,,,,,,,\n").find("line 2: bad port number"),
              std::string::npos);
    EXPECT_EQ(error_of(header_2025 + "a,1,icmp,x,,,,,,,,\n"),
              "test.csv: line 2: unknown transport protocol \"icmp\"");
    EXPECT_EQ(error_of(header_2025 + "a,1,tcp,x\n"), "test.csv: line 2: 4 fields where the header has 12");
}

TEST(IanaCsv, DetectsTheHeader) {
    EXPECT_TRUE(looks_like_iana_csv(header_2025 + "x,1,tcp,y,,,,,,,,\n"));
    EXPECT_TRUE(looks_like_iana_csv("\xEF\xBB\xBF" + header_2014));
    EXPECT_FALSE(looks_like_iana_csv("# services\nssh 22/tcp\n"));
    EXPECT_FALSE(looks_like_iana_csv("Service Name,Port Number\n"));
    EXPECT_FALSE(looks_like_iana_csv(""));
}

TEST(IanaCsv, NewestDateAcceptsYearMonthAndIgnoresJunk) {
    std::vector<IanaRecord> recs(3);
    recs[0].registration_date = "2019-07";
    recs[1].modification_date = "2019-06-30";
    recs[2].registration_date = "9999-99-x9";
    EXPECT_EQ(newest_date(recs), "2019-07-01");
    EXPECT_EQ(newest_date({}), "");
}

TEST(IanaCsvReal, Snapshot2025HasEveryRecord) {
    GHOSTPORT_SKIP_UNLESS(t::iana_2025_path);
    const auto& reg = t::iana_2025();
    EXPECT_EQ(reg.size(), 14474u);
    EXPECT_EQ(reg.snapshot_date(), "2025-03-28");
    std::size_t unauthorized = 0;
    for (const auto& r : reg.records()) unauthorized += !r.unauthorized_use.empty();
    EXPECT_EQ(unauthorized, 112u);
}

TEST(IanaCsvReal, Ipv6ToolkitSnapshotWithThe2014Header) {
    GHOSTPORT_SKIP_UNLESS(t::ipv6toolkit_path);
    const auto reg = ghostport::registry::Registry::load(t::ipv6toolkit_path);
    EXPECT_GT(reg.size(), 10000u);
    EXPECT_EQ(reg.snapshot_date().size(), 10u);
    const auto finger = reg.lookup(79, ghostport::core::Proto::tcp);
    ASSERT_NE(finger.primary, nullptr);
    EXPECT_EQ(finger.primary->service_name, "finger");
    EXPECT_FALSE(finger.primary->unauthorized_use.empty());
}
