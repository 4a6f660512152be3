// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/listener_against.hpp"

#include <gtest/gtest.h>

#include "listener_rows.hpp"

namespace ghostport::core {
namespace {

using test::listener_row;

PortResult port(const std::string& host, std::uint16_t p, PortState state) {
    PortResult r;
    r.host = *Address::parse(host);
    r.port = p;
    r.state = state;
    return r;
}

TEST(JoinScan, SeenFilteredAndForwardedAreTold) {
    ListenerReport report;
    report.rows = {
        listener_row(Proto::tcp, "0.0.0.0", 22, 100, "sshd", "/usr/sbin/sshd"),     // seen
        listener_row(Proto::tcp, "0.0.0.0", 1642, 812, "nc", "/usr/bin/nc"),        // filtered
        listener_row(Proto::tcp, "127.0.0.1", 5432, 9, "postgres", "/usr/bin/pg"),  // loopback: none
        listener_row(Proto::tcp, "0.0.0.0", 9999, 7, "x", "/x"),                    // not probed: none
        listener_row(Proto::tcp, "0.0.0.0", 8080, 5, "web", "/web", "gpt-c1"),      // other namespace
    };
    ScanView scan;
    scan.hosts = {*Address::parse("198.18.0.5")};
    scan.ports = {port("198.18.0.5", 22, PortState::open), port("198.18.0.5", 1642, PortState::filtered),
                  port("198.18.0.5", 8080, PortState::open), port("198.18.0.5", 8443, PortState::open)};
    scan.tcp_scanned = {22, 1642, 5432, 8080, 8443};
    join_scan(report, scan, "scan.json");
    EXPECT_EQ(report.meta.against_source, "scan.json");
    EXPECT_EQ(report.rows[0].outside, Outside::seen);
    EXPECT_EQ(report.rows[1].outside, Outside::filtered);
    EXPECT_EQ(report.rows[2].outside, Outside::none);
    EXPECT_EQ(report.rows[3].outside, Outside::none);
    ASSERT_EQ(report.forwarded.size(), 2u);
    EXPECT_EQ(report.forwarded[0].port, 8080);
    EXPECT_EQ(report.forwarded[0].elsewhere, "gpt-c1");
    EXPECT_EQ(report.forwarded[1].port, 8443);
    EXPECT_EQ(
        outside_sentence(report.rows[1]),
        "tcp 1642 (nc pid 812) listens on all addresses but the scan did not see it: filtered on the way");
    EXPECT_EQ(outside_sentence(report.rows[0]),
              "tcp 22 (sshd pid 100) listens on all addresses and the scan saw it open from outside");
    EXPECT_EQ(forwarded_sentence(report.forwarded[0]),
              "198.18.0.5 8080/tcp is open from outside but no socket of this host listens on it: forwarded "
              "(DNAT, docker-proxy) elsewhere, to namespace gpt-c1");
}

// UDP: a listener the scan found open is seen; one it found open|filtered (a socket that ignores the probe
// gives that as well as a firewall) is not called filtered; 53/tcp open says nothing of 53/udp.
TEST(JoinScan, UdpListenersByTheirOwnRows) {
    ListenerReport report;
    report.rows = {listener_row(Proto::udp, "0.0.0.0", 53), listener_row(Proto::udp, "0.0.0.0", 123),
                   listener_row(Proto::udp, "0.0.0.0", 161)};
    ScanView scan;
    scan.hosts = {*Address::parse("198.18.0.5")};
    auto udp = [](PortResult r) {
        r.proto = Proto::udp;
        return r;
    };
    scan.ports = {port("198.18.0.5", 53, PortState::open), udp(port("198.18.0.5", 53, PortState::open)),
                  udp(port("198.18.0.5", 123, PortState::open_filtered)),
                  port("198.18.0.5", 161, PortState::open)};
    scan.udp_scanned = {53, 123, 161};
    scan.tcp_scanned = {53, 161};
    join_scan(report, scan, "scan.json");
    EXPECT_EQ(report.rows[0].outside, Outside::seen);
    EXPECT_EQ(report.rows[1].outside, Outside::none);
    EXPECT_EQ(report.rows[2].outside, Outside::filtered) << "161/tcp open is not 161/udp";
}

TEST(JoinScan, WithoutPortListsOnlyTheRowsPortsCountAsProbed) {
    ListenerReport report;
    report.rows = {listener_row(Proto::tcp, "0.0.0.0", 1642), listener_row(Proto::tcp, "198.18.0.9", 22)};
    ScanView scan;
    scan.hosts = {*Address::parse("198.18.0.5")};
    scan.ports = {port("198.18.0.5", 1642, PortState::closed), port("198.18.0.5", 22, PortState::open)};
    join_scan(report, scan, "scan.csv");
    EXPECT_EQ(report.rows[0].outside, Outside::filtered);
    EXPECT_EQ(report.rows[1].outside, Outside::none);  // bound to an address the scan did not probe
    ASSERT_EQ(report.forwarded.size(), 1u);            // 22 open at .5, the socket is bound to .9 only
    EXPECT_EQ(report.forwarded[0].port, 22);
}

TEST(ScanView, TakesHostsRowsAndTheScannedPortList) {
    Report r;
    r.meta.hosts_up_list = {*Address::parse("198.18.0.7")};
    r.meta.ports_scanned = "1-3,22";
    r.meta.udp_ports_scanned = "53,161";
    ReportRow row;
    row.result = port("198.18.0.5", 22, PortState::open);
    r.rows.push_back(row);
    const auto v = scan_view(r);
    EXPECT_EQ(v.hosts.size(), 2u);
    EXPECT_EQ(v.tcp_scanned, (std::vector<std::uint16_t>{1, 2, 3, 22}));
    EXPECT_EQ(v.udp_scanned, (std::vector<std::uint16_t>{53, 161}));
    EXPECT_EQ(v.ports.size(), 1u);
}

}  // namespace
}  // namespace ghostport::core
