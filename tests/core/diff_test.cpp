// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/diff.hpp"

#include <gtest/gtest.h>

#include "audit_rows.hpp"

using namespace ghostport::core;
using test::row;

namespace {

const ReportRow* find(const std::vector<ReportRow>& rows, std::string_view host, std::uint16_t port) {
    for (const auto& r : rows)
        if (r.result.host == *Address::parse(host) && r.result.port == port) return &r;
    return nullptr;
}

auto probed_all = [](const PortResult&) { return true; };

}  // namespace

TEST(Diff, NewGoneChangedUnchanged) {
    const std::vector<ReportRow> baseline{row("198.18.0.1", 22, PortState::open, "ssh"),
                                          row("198.18.0.1", 80, PortState::open, "http"),
                                          row("198.18.0.1", 8080, PortState::open, "http-alt"),
                                          row("198.18.0.2", 443, PortState::open, "https")};
    std::vector<ReportRow> now{row("198.18.0.1", 22, PortState::open, "ssh"),
                               row("198.18.0.1", 80, PortState::open, "www"),
                               row("198.18.0.1", 1642, PortState::open, "isis-am", 9.5, label_ghost)};
    const auto counts = compare_with_baseline(now, baseline, probed_all);
    EXPECT_EQ(counts.added, 1u);
    EXPECT_EQ(counts.gone, 2u);
    EXPECT_EQ(counts.changed, 1u);
    EXPECT_EQ(counts.unchanged, 1u);
    ASSERT_EQ(now.size(), 5u);
    EXPECT_EQ(find(now, "198.18.0.1", 22)->change, Change::unchanged);
    EXPECT_EQ(find(now, "198.18.0.1", 80)->change, Change::changed);
    EXPECT_EQ(find(now, "198.18.0.1", 80)->change_detail, "service http -> www");
    EXPECT_EQ(find(now, "198.18.0.1", 1642)->change, Change::added);
    EXPECT_EQ(find(now, "198.18.0.1", 1642)->change_detail, "not in the baseline");
    const ReportRow* gone = find(now, "198.18.0.1", 8080);
    ASSERT_NE(gone, nullptr);
    EXPECT_EQ(gone->change, Change::gone);
    EXPECT_EQ(gone->label.service, "http-alt");
    EXPECT_EQ(gone->change_detail, "not open now");
}

TEST(Diff, StateOfThisScanSaysHowAListenerWent) {
    const std::vector<ReportRow> baseline{row("198.18.0.1", 22, PortState::open, "ssh"),
                                          row("198.18.0.1", 25, PortState::open, "smtp"),
                                          row("198.18.0.1", 80, PortState::closed, "http")};
    std::vector<ReportRow> now{row("198.18.0.1", 22, PortState::closed, "ssh"),
                               row("198.18.0.1", 25, PortState::filtered, "smtp"),
                               row("198.18.0.1", 80, PortState::open, "http")};
    const auto counts = compare_with_baseline(now, baseline, probed_all);
    EXPECT_EQ(counts.gone, 1u);
    EXPECT_EQ(counts.changed, 1u);
    EXPECT_EQ(counts.added, 1u);
    EXPECT_EQ(now.size(), 3u);
    EXPECT_EQ(find(now, "198.18.0.1", 22)->change_detail, "now closed");
    EXPECT_EQ(find(now, "198.18.0.1", 25)->change, Change::changed);
    EXPECT_EQ(find(now, "198.18.0.1", 80)->change_detail, "was closed");
}

TEST(Diff, ListenersThisScanDidNotProbeAreLeftOut) {
    const std::vector<ReportRow> baseline{row("198.18.0.1", 22), row("198.18.0.9", 22)};
    std::vector<ReportRow> now;
    const auto counts = compare_with_baseline(
        now, baseline, [](const PortResult& r) { return r.host == *Address::parse("198.18.0.1"); });
    EXPECT_EQ(counts.gone, 1u);
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].result.host.to_string(), "198.18.0.1");
}

TEST(Diff, AllOpenIsAStateOfTheHost) {
    const std::vector<ReportRow> baseline{row("198.18.0.1", 0, PortState::all_open)};
    std::vector<ReportRow> now{row("198.18.0.1", 0, PortState::all_open)};
    EXPECT_EQ(compare_with_baseline(now, baseline, probed_all).unchanged, 1u);
}

TEST(Diff, NonListenersInBothAreNotCompared) {
    const std::vector<ReportRow> baseline{row("198.18.0.1", 22, PortState::closed)};
    std::vector<ReportRow> now{row("198.18.0.1", 22, PortState::filtered)};
    const auto counts = compare_with_baseline(now, baseline, probed_all);
    EXPECT_EQ(counts.added + counts.gone + counts.changed + counts.unchanged, 0u);
    EXPECT_EQ(now[0].change, Change::none);
}

TEST(Diff, EmptyBaselineMakesEveryListenerNew) {
    std::vector<ReportRow> now{row("2001:2::1", 22), row("2001:2::1", 23, PortState::closed)};
    const auto counts = compare_with_baseline(now, {}, probed_all);
    EXPECT_EQ(counts.added, 1u);
    EXPECT_EQ(now[1].change, Change::none);
}

namespace {

const std::string ed25519_a = "ssh-ed25519 SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIGhvc3Qta2V5LWEtZm9yLXRlc3Rz";
const std::string ed25519_b = "ssh-ed25519 SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIGhvc3Qta2V5LWItZm9yLXRlc3Rz";
const std::string rsa_a = "ssh-rsa SHA256:cnNhLWhvc3Qta2V5LWEtZm9yLXRoZS1kaWZmLXRlc3RzLW9ubHkx";
const std::string cert_a = "sha256:" + std::string(64, 'a');
const std::string cert_b = "sha256:" + std::string(64, 'b');

}  // namespace

TEST(Diff, AnotherServiceOrKeyOnTheSamePortIsAChange) {
    using test::identified;
    const std::vector<ReportRow> baseline{
        identified(row("198.18.0.10", 1642, PortState::open, "isis-am"), "ssh", "", ed25519_a),
        identified(row("198.18.0.10", 22, PortState::open, "ssh"), "ssh", "", ed25519_a),
        identified(row("198.18.0.10", 443, PortState::open, "https"), "http", "TLSv1.3", cert_a),
        identified(row("198.18.0.10", 2222, PortState::open), "ssh", "", rsa_a + ";" + ed25519_a),
        identified(row("198.18.0.10", 8443, PortState::open), "http", "TLSv1.3", cert_a)};
    std::vector<ReportRow> now{
        identified(row("198.18.0.10", 1642, PortState::open, "isis-am"), "http"),
        identified(row("198.18.0.10", 22, PortState::open, "ssh"), "ssh", "", ed25519_b),
        identified(row("198.18.0.10", 443, PortState::open, "https"), "http", "TLSv1.3", cert_b),
        identified(row("198.18.0.10", 2222, PortState::open), "ssh", "", ed25519_a),
        identified(row("198.18.0.10", 8443, PortState::open), "http", "TLSv1.3", cert_a)};
    const auto counts = compare_with_baseline(now, baseline, probed_all);
    EXPECT_EQ(counts.changed, 3u);
    EXPECT_EQ(counts.unchanged, 2u);
    EXPECT_EQ(find(now, "198.18.0.10", 1642)->change_detail, "service ssh -> http");
    EXPECT_EQ(find(now, "198.18.0.10", 22)->change_detail, "ssh host key changed");
    EXPECT_EQ(find(now, "198.18.0.10", 443)->change_detail, "certificate changed");
    // The same ed25519 key; the RSA key was not seen this time, which says nothing about it.
    EXPECT_EQ(find(now, "198.18.0.10", 2222)->change, Change::unchanged);
    EXPECT_EQ(find(now, "198.18.0.10", 8443)->change, Change::unchanged);
}

TEST(Diff, ASideWithoutANamedServiceIsNoServiceChange) {
    using test::identified;
    const std::vector<ReportRow> baseline{
        identified(row("198.18.0.10", 1642), "ssh", "", ed25519_a), row("198.18.0.10", 1643),
        identified(row("198.18.0.10", 1644), "unknown"), identified(row("198.18.0.10", 1645), "ssh")};
    std::vector<ReportRow> now{row("198.18.0.10", 1642),  // this scan ran without -sV
                               identified(row("198.18.0.10", 1643), "http"),
                               identified(row("198.18.0.10", 1644), "http"),
                               identified(row("198.18.0.10", 1645), "tcpwrapped")};
    const auto counts = compare_with_baseline(now, baseline, probed_all);
    EXPECT_EQ(counts.unchanged, 4u);
    EXPECT_EQ(counts.changed, 0u);
}

TEST(Diff, AGoneListenerKeepsTheBaselinesService) {
    const std::vector<ReportRow> baseline{
        test::identified(row("198.18.0.10", 1642, PortState::open, "isis-am"), "ssh")};
    std::vector<ReportRow> now{row("198.18.0.10", 1642, PortState::closed)};
    EXPECT_EQ(compare_with_baseline(now, baseline, probed_all).gone, 1u);
    EXPECT_EQ(now[0].service.name, "ssh");
    EXPECT_EQ(now[0].label.service, "isis-am");
}

// 53/udp and 53/tcp are two listeners: one gone does not hide behind the other.
TEST(Diff, UdpAndTcpOfOnePortAreTwoListeners) {
    const std::vector<ReportRow> baseline{row("198.18.0.1", 53, PortState::open, "domain"),
                                          test::udp(row("198.18.0.1", 53, PortState::open, "domain"))};
    std::vector<ReportRow> now{test::udp(row("198.18.0.1", 53, PortState::open, "domain")),
                               row("198.18.0.1", 53, PortState::closed, "domain")};
    const auto counts = compare_with_baseline(now, baseline, probed_all);
    EXPECT_EQ(counts.unchanged, 1u);
    EXPECT_EQ(counts.gone, 1u);
    EXPECT_EQ(counts.added, 0u);
    ASSERT_EQ(now.size(), 2u);
    EXPECT_EQ(now[0].change, Change::unchanged);
    EXPECT_EQ(now[1].change, Change::gone);
    EXPECT_EQ(now[1].result.proto, Proto::tcp);
}

// open|filtered is no listener: closed -> open|filtered is reported as changed, never new; open|filtered ->
// open is new; open -> open|filtered is changed (the service may only ignore the probe now).
TEST(Diff, OpenFilteredIsReportedButNoListener) {
    const std::vector<ReportRow> baseline{
        test::udp(row("198.18.0.1", 161, PortState::closed, "snmp")),
        test::udp(row("198.18.0.1", 123, PortState::open_filtered, "ntp")),
        test::udp(row("198.18.0.1", 53, PortState::open, "domain")),
        test::udp(row("198.18.0.1", 500, PortState::open_filtered, "isakmp")),
        test::udp(row("198.18.0.1", 69, PortState::closed, "tftp"))};
    std::vector<ReportRow> now{test::udp(row("198.18.0.1", 161, PortState::open_filtered, "snmp")),
                               test::udp(row("198.18.0.1", 123, PortState::open, "ntp")),
                               test::udp(row("198.18.0.1", 53, PortState::open_filtered, "domain")),
                               test::udp(row("198.18.0.1", 500, PortState::open_filtered, "isakmp")),
                               test::udp(row("198.18.0.1", 69, PortState::closed, "tftp"))};
    const auto counts = compare_with_baseline(now, baseline, probed_all);
    EXPECT_EQ(counts.added, 1u);
    EXPECT_EQ(counts.changed, 2u);
    EXPECT_EQ(counts.gone, 0u);
    EXPECT_EQ(now[0].change, Change::changed);
    EXPECT_EQ(now[0].change_detail, "state closed -> open|filtered");
    EXPECT_EQ(now[1].change, Change::added);
    EXPECT_EQ(now[1].change_detail, "was open|filtered");
    EXPECT_EQ(now[2].change, Change::changed);
    EXPECT_EQ(now[2].change_detail, "now open|filtered (open in the baseline)");
    EXPECT_EQ(now[3].change, Change::none);  // open|filtered in both
    EXPECT_EQ(now[4].change, Change::none);  // closed in both
}
