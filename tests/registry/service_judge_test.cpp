// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/service_judge.hpp"

#include <gtest/gtest.h>

#include "real_files.hpp"
#include "registry/labeler.hpp"

using ghostport::core::Address;
using ghostport::core::PortState;
using ghostport::core::Proto;
using ghostport::core::ReportRow;
using ghostport::core::ServiceInfo;
using ghostport::registry::cert_expired;
using ghostport::registry::is_borrowed;
using ghostport::registry::judge_service;
using ghostport::registry::Labeler;
using ghostport::registry::mark_middleboxes;
using ghostport::registry::parse_utc;
using ghostport::registry::Registry;
namespace core = ghostport::core;
namespace t = ghostport::registry::testing;
using namespace std::chrono;

namespace {

// The records of IANA's registry for the ports the tests use (642 and 1642 are assigned to other services,
// 48620 is unassigned, the dynamic range is not listed).
const Registry& registry() {
    static const Registry r = Registry::from_iana_csv(
        "Service Name,Port Number,Transport Protocol,Description,Assignment Notes\n"
        "ssh,22,tcp,The Secure Shell (SSH) Protocol,\n"
        "http,80,tcp,World Wide Web HTTP,\n"
        "www,80,tcp,World Wide Web HTTP,This entry is an alias to \"http\".\n"
        "https,443,tcp,http protocol over TLS/SSL,\n"
        "urd,465,tcp,URL Rendezvous Directory for SSM,\n"
        "submissions,465,tcp,Message Submission over TLS protocol,\n"
        "esro-emsdp,642,tcp,ESRO-EMSDP V1.3,\n"
        "isis-am,1642,tcp,isis-am,\n"
        "redis,6379,tcp,An advanced key-value cache and store,\n"
        ",48620-48652,,Unassigned,\n",
        "iana.csv");
    return r;
}

ReportRow row(std::uint16_t port, std::string service, std::string tls = "") {
    ReportRow r;
    r.result.host = *Address::parse("198.18.0.10");
    r.result.port = port;
    r.result.proto = Proto::tcp;
    r.result.state = PortState::open;
    r.service.name = std::move(service);
    r.service.tls = std::move(tls);
    return r;
}

const system_clock::time_point scan_time = sys_days{2026y / 11 / 22} + hours{10};

bool borrowed(ReportRow r) {
    const Labeler labeler(registry(), nullptr);
    std::vector<ReportRow> rows{std::move(r)};
    labeler.judge_services(rows, scan_time);
    return (rows[0].label.labels & core::label_borrowed) != 0;
}

}  // namespace

TEST(ServiceJudge, ServiceOnItsOwnPortIsNotBorrowed) {
    EXPECT_FALSE(borrowed(row(22, "ssh")));
    EXPECT_FALSE(borrowed(row(80, "http")));
    EXPECT_FALSE(borrowed(row(443, "http", "TLSv1.3")));
    EXPECT_FALSE(borrowed(row(443, "https")));
    EXPECT_FALSE(borrowed(row(443, "ssl/http")));
    EXPECT_FALSE(borrowed(row(465, "smtp", "TLSv1.3")));  // submissions, the port's second name
    EXPECT_FALSE(borrowed(row(6379, "redis")));
}

TEST(ServiceJudge, ServiceOnAnotherServicesPortIsBorrowed) {
    EXPECT_TRUE(borrowed(row(1642, "ssh")));
    EXPECT_TRUE(borrowed(row(642, "http")));
    EXPECT_TRUE(borrowed(row(443, "http")));  // plain HTTP on the HTTPS port
    EXPECT_TRUE(borrowed(row(22, "http", "TLSv1.3")));
    EXPECT_TRUE(borrowed(row(465, "smtp")));  // in the clear on the implicit-TLS port
}

TEST(ServiceJudge, AnyNamedServiceIsBorrowedWhereNothingIsRegistered) {
    EXPECT_TRUE(borrowed(row(48620, "http", "TLSv1.3")));  // unassigned
    EXPECT_TRUE(borrowed(row(50379, "redis")));            // dynamic: not in the registry
    EXPECT_TRUE(borrowed(row(48620, "ssl", "TLSv1.3")));
}

TEST(ServiceJudge, UnknownTcpwrappedAndUnidentifiedAreNeverBorrowed) {
    for (std::uint16_t port : {22, 1642, 48620, 50379}) {
        EXPECT_FALSE(borrowed(row(port, "unknown"))) << port;
        EXPECT_FALSE(borrowed(row(port, "tcpwrapped"))) << port;
        EXPECT_FALSE(borrowed(row(port, ""))) << port;
    }
    EXPECT_FALSE(is_borrowed(ServiceInfo{}, {}));
}

TEST(ServiceJudge, CertificateLabels) {
    const Labeler labeler(registry(), nullptr);
    std::vector<ReportRow> rows{row(443, "http", "TLSv1.3"), row(443, "http", "TLSv1.3"),
                                row(443, "http", "TLSv1.3"), row(443, "http", "TLSv1.3")};
    rows[0].service.cert_self_signed = true;
    rows[0].service.cert_not_after = "2027-01-01T00:00:00Z";
    rows[1].service.cert_not_after = "2026-11-22T09:59:59Z";  // a second before the scan
    rows[2].service.cert_not_after = "2026-11-22T10:00:00Z";  // the scan's instant: not yet expired
    rows[3].service.cert_not_after = "garbage";
    labeler.judge_services(rows, scan_time);
    EXPECT_EQ(core::labels_to_string(rows[0].label.labels), "self-signed");
    EXPECT_EQ(core::labels_to_string(rows[1].label.labels), "cert-expired");
    EXPECT_EQ(rows[2].label.labels, 0u);
    EXPECT_EQ(rows[3].label.labels, 0u);
}

TEST(ServiceJudge, JudgingAgainReplacesTheLabels) {
    auto r = row(1642, "ssh");
    r.label.labels = core::label_self_signed | core::label_cert_expired | core::label_ghost;
    judge_service(r, {"isis-am"}, scan_time);
    EXPECT_EQ(r.label.labels, core::label_ghost | core::label_borrowed);
    r.service = {};
    judge_service(r, {"isis-am"}, scan_time);
    EXPECT_EQ(r.label.labels, core::label_ghost);
}

TEST(ServiceJudge, RegisteredNamesAreEveryNameOfThePort) {
    const Labeler labeler(registry(), nullptr);
    EXPECT_EQ(labeler.registered_names(80, Proto::tcp), (std::vector<std::string_view>{"http", "www"}));
    EXPECT_EQ(labeler.registered_names(465, Proto::tcp),
              (std::vector<std::string_view>{"urd", "submissions"}));
    EXPECT_TRUE(labeler.registered_names(48620, Proto::tcp).empty());
    EXPECT_TRUE(labeler.registered_names(50379, Proto::tcp).empty());
    EXPECT_TRUE(labeler.registered_names(22, Proto::udp).empty());
}

TEST(ServiceJudge, MiddleboxIsEveryPortSilentOnAHost) {
    auto silent_row = [](const char* host, std::uint16_t port) {
        ReportRow r = row(port, std::string(ghostport::core::service_unknown));
        r.result.host = *Address::parse(host);
        r.service.extra_info = "accepted connections but never sent a byte";
        return r;
    };
    std::vector<ReportRow> rows;
    for (std::uint16_t p = 7101; p <= 7105; ++p) rows.push_back(silent_row("198.18.0.11", p));
    // Four silent ports and one speaking service: not a middlebox.
    for (std::uint16_t p = 7101; p <= 7104; ++p) rows.push_back(silent_row("198.18.0.12", p));
    rows.push_back(row(22, "ssh"));
    rows.back().result.host = *Address::parse("198.18.0.12");
    // Four silent ports alone are too few to say.
    for (std::uint16_t p = 7101; p <= 7104; ++p) rows.push_back(silent_row("198.18.0.13", p));
    mark_middleboxes(rows);
    for (const auto& r : rows) {
        const bool marked = r.service.extra_info.starts_with("middlebox: all 5 open ports");
        EXPECT_EQ(marked, r.result.host == *Address::parse("198.18.0.11"))
            << r.result.host.to_string() << ":" << r.result.port;
    }
}

TEST(ServiceJudge, ParsesUtcTimes) {
    EXPECT_EQ(parse_utc("2026-11-22T10:00:00Z"), scan_time);
    EXPECT_EQ(parse_utc("2026-11-22 10:00:00"), scan_time);
    EXPECT_EQ(parse_utc("2026-11-22T10:00:00.250Z"), scan_time + milliseconds{250});
    EXPECT_EQ(parse_utc("2026-11-22"), sys_days{2026y / 11 / 22});
    for (std::string_view bad :
         {"", "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:00Z",
          "2026-11-22T10:00:00+01:00", "2026-11-22T10:00:00.Z", "20261122", "2026-1-2"})
        EXPECT_FALSE(parse_utc(bad)) << bad;
    EXPECT_TRUE(cert_expired("2026-11-21", scan_time));
    EXPECT_FALSE(cert_expired("", scan_time));
}

// The same judgements against the real IANA registry.
TEST(ServiceJudge, RealRegistry) {
    GHOSTPORT_SKIP_UNLESS(t::iana_2025_path);
    const Labeler labeler(t::iana_2025(), nullptr);
    std::vector<ReportRow> rows{row(22, "ssh"),
                                row(1642, "ssh"),
                                row(642, "http"),
                                row(443, "http", "TLSv1.3"),
                                row(48620, "http", "TLSv1.3"),
                                row(50379, "redis"),
                                row(993, "imap", "TLSv1.3"),
                                row(8883, "mqtt", "TLSv1.2"),
                                row(995, "pop3", "TLSv1.3"),
                                row(636, "ldap", "TLSv1.3"),
                                row(990, "ftp", "TLSv1.3"),
                                row(587, "smtp", "STARTTLS TLSv1.3"),
                                row(465, "smtp", "TLSv1.3"),
                                row(11211, "memcached"),
                                row(5900, "vnc"),
                                row(8080, "http-proxy"),
                                row(9200, "elasticsearch"),
                                row(2181, "zookeeper"),
                                row(631, "ipp"),
                                row(631, "http"),
                                row(6667, "irc"),
                                row(6001, "x11")};
    labeler.judge_services(rows, scan_time);
    const bool expected[] = {false, true,  true,  false, true,  true, false, false, false, false, false,
                             false, false, false, false, false, true, true,  false, false, false, false};
    ASSERT_EQ(rows.size(), std::size(expected));
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ((rows[i].label.labels & core::label_borrowed) != 0, expected[i])
            << rows[i].service.name << " on " << rows[i].result.port;
}
