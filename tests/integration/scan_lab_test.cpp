// SPDX-License-Identifier: GPL-2.0-or-later
// Whole-range scans with the real binary inside a namespace lab: real listeners, nftables drop/reject/loss.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "lab.hpp"

using namespace gp_test;

namespace {

const CsvRow& row_of(const std::vector<CsvRow>& rows, const std::string& host, const std::string& port) {
    for (const auto& r : rows)
        if (r.at("host") == host && r.at("port") == port) return r;
    throw std::runtime_error("no row for " + host + ":" + port);
}

bool has_label(const CsvRow& r, const std::string& label) {
    std::stringstream s(r.at("labels"));
    for (std::string l; std::getline(s, l, ';');)
        if (l == label) return true;
    return false;
}

// The scan tests run once per engine: both must give the same answers.
class LabScan : public PerEngine {};

}  // namespace

// Three hosts, all 65535 ports each: every open port with the right labels, no false open port, dropped
// and prohibited ports filtered, reset ports closed.
TEST_P(LabScan, FullRangeOfThreeHostsFindsEveryOpenPortWithLabels) {
    GP_REQUIRE_LAB();
    Lab lab(3);
    lab.firewall({"drop=2001", "reset=2002", "prohibit=2003"});
    lab.listen({"198.18.0.10:22", "198.18.0.10:80", "198.18.0.10:443", "198.18.0.10:642", "198.18.0.10:1642",
                "198.18.0.10:50000", "198.18.0.11:22", "198.18.0.11:80", "198.18.0.11:4", "198.18.0.11:12345",
                "198.18.0.12:22", "198.18.0.12:80"});
    auto r = run(lab.in_scanner(args({"198.18.0.10-12", "--format", "csv", "--show", "open,filtered"})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);
    EXPECT_EQ(
        keys(rows, "open"),
        (std::set<std::string>{"198.18.0.10:22", "198.18.0.10:80", "198.18.0.10:443", "198.18.0.10:642",
                               "198.18.0.10:1642", "198.18.0.10:50000", "198.18.0.11:22", "198.18.0.11:80",
                               "198.18.0.11:4", "198.18.0.11:12345", "198.18.0.12:22", "198.18.0.12:80"}));
    EXPECT_EQ(keys(rows, "filtered"),
              (std::set<std::string>{"198.18.0.10:2001", "198.18.0.10:2003", "198.18.0.11:2001",
                                     "198.18.0.11:2003", "198.18.0.12:2001", "198.18.0.12:2003"}));
    EXPECT_EQ(row_of(rows, "198.18.0.10", "2001").at("reason"), "no-response");
    EXPECT_EQ(row_of(rows, "198.18.0.10", "2003").at("reason"), "unreachable");

    auto& isis = row_of(rows, "198.18.0.10", "1642");
    EXPECT_EQ(isis.at("service"), "isis-am");
    EXPECT_EQ(isis.at("port_range"), "registered");
    EXPECT_EQ(isis.at("reason"), "syn-ack");
    EXPECT_TRUE(has_label(isis, "ghost"));
    EXPECT_GE(std::stod(isis.at("rarity")), 9.0);

    auto& ssh = row_of(rows, "198.18.0.10", "22");
    EXPECT_EQ(ssh.at("service"), "ssh");
    EXPECT_TRUE(has_label(ssh, "privileged"));
    EXPECT_TRUE(has_label(ssh, "fleet-wide"));  // open on 3 of 3 hosts
    EXPECT_EQ(ssh.at("hosts_open"), "3");
    EXPECT_FALSE(has_label(ssh, "ghost"));
    EXPECT_LE(std::stod(ssh.at("rarity")), 1.0);

    auto& dyn = row_of(rows, "198.18.0.10", "50000");
    EXPECT_TRUE(has_label(dyn, "dynamic"));
    EXPECT_EQ(dyn.at("port_range"), "dynamic");

    auto& unassigned = row_of(rows, "198.18.0.11", "4");
    EXPECT_EQ(unassigned.at("registry_status"), "unassigned");
    EXPECT_TRUE(has_label(unassigned, "unassigned"));
    EXPECT_TRUE(has_label(unassigned, "ghost"));

    auto& netbus = row_of(rows, "198.18.0.11", "12345");
    EXPECT_EQ(netbus.at("service"), "italk");
    EXPECT_EQ(netbus.at("known_as"), "netbus");

    double esro = std::stod(row_of(rows, "198.18.0.10", "642").at("rarity"));
    EXPECT_GT(esro, 1.0);
    EXPECT_LT(esro, 9.0);
    // Ghosts come first in the report.
    ASSERT_FALSE(rows.empty());
    EXPECT_TRUE(has_label(rows.front(), "ghost"));
}

TEST_P(LabScan, ClosedVersusFilteredWithReasons) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    lab.firewall({"drop=2001", "reset=2002", "prohibit=2003"});
    lab.listen({"198.18.0.10:2004"});
    auto r =
        run(lab.in_scanner(args({"198.18.0.10", "-p", "2000-2004", "--show", "all", "--format", "csv"})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);
    ASSERT_EQ(rows.size(), 5u);
    auto state = [&](const char* port) {
        auto& row = row_of(rows, "198.18.0.10", port);
        return row.at("state") + "/" + row.at("reason");
    };
    EXPECT_EQ(state("2000"), "closed/rst");
    EXPECT_EQ(state("2001"), "filtered/no-response");
    EXPECT_EQ(state("2002"), "closed/rst");
    EXPECT_EQ(state("2003"), "filtered/unreachable");
    EXPECT_EQ(state("2004"), "open/syn-ack");
}

// 3% random loss in both directions: retries still find every open port, and nothing closed shows as open.
TEST_P(LabScan, RandomLossStillFindsEveryOpenPort) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    lab.firewall({"loss=3"});
    lab.listen({"198.18.0.10:22", "198.18.0.10:80", "198.18.0.10:443", "198.18.0.10:642", "198.18.0.10:1642",
                "198.18.0.10:50000"});
    auto r = run(lab.in_scanner(args({"198.18.0.10", "--retries", "4", "--format", "csv"})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(keys(parse_csv_report(r.out), "open"),
              (std::set<std::string>{"198.18.0.10:22", "198.18.0.10:80", "198.18.0.10:443", "198.18.0.10:642",
                                     "198.18.0.10:1642", "198.18.0.10:50000"}));
}

TEST_P(LabScan, Ipv6Targets) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    lab.firewall({"drop=2001", "prohibit=2003"});
    lab.listen({"[2001:2::10]:22", "[2001:2::10]:1642"});
    auto r = run(lab.in_scanner(
        args({"2001:2::10", "-p", "22,80,1642,2001,2003", "--show", "all", "--format", "csv"})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);
    EXPECT_EQ(keys(rows, "open"), (std::set<std::string>{"2001:2::10:22", "2001:2::10:1642"}));
    EXPECT_EQ(keys(rows, "closed"), (std::set<std::string>{"2001:2::10:80"}));
    EXPECT_EQ(keys(rows, "filtered"), (std::set<std::string>{"2001:2::10:2001", "2001:2::10:2003"}));
}

// A tarpit (every port of 198.18.0.10 redirected to one listener) is one all-open row with its count, not
// 1500 ghosts; an ordinary host beside it is reported as usual.
TEST_P(LabScan, HostAnsweringEveryPortIsOneAllOpenRow) {
    GP_REQUIRE_LAB();
    Lab lab(2);
    lab.listen({"198.18.0.10:22", "198.18.0.11:22", "198.18.0.11:1000"});
    auto nft = run({"ip", "netns", "exec", lab.name() + "t", "nft", "-f", "-"}, std::chrono::seconds(10),
                   "table ip gpt_tarpit {\n"
                   "  chain pre {\n"
                   "    type nat hook prerouting priority -100; policy accept;\n"
                   "    ip daddr 198.18.0.10 tcp dport != 22 redirect to :22\n"
                   "  }\n"
                   "}\n");
    ASSERT_EQ(nft.exit_code, 0) << nft.err;
    auto r = run(lab.in_scanner(args({"198.18.0.10-11", "-p", "1-1500", "--format", "csv"})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);
    EXPECT_EQ(keys(rows, "all-open"), (std::set<std::string>{"198.18.0.10:0"}));
    EXPECT_EQ(keys(rows, "open"), (std::set<std::string>{"198.18.0.11:22", "198.18.0.11:1000"}));
    const auto& tarpit = row_of(rows, "198.18.0.10", "0");
    EXPECT_NE(tarpit.at("description").find("1500 of 1500 tcp ports"), std::string::npos)
        << tarpit.at("description");
    // Below the threshold the same host's ports are listed one by one.
    r = run(
        lab.in_scanner(args({"198.18.0.10", "-p", "1-1500", "--port-threshold", "5000", "--format", "csv"})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(keys(parse_csv_report(r.out), "open").size(), 1500u);
}

INSTANTIATE_TEST_SUITE_P(Engines, LabScan, ::testing::Values("syn", "connect"),
                         [](const auto& info) { return info.param; });

TEST(LabReport, JsonReportWrittenAtomicallyWithSummary) {
    GP_REQUIRE_LAB();
    Lab lab(2);
    lab.listen({"198.18.0.10:1642", "198.18.0.11:22"});
    ScratchDir scratch("json");
    const std::filesystem::path dir = scratch.path();
    auto out = (dir / "report.json").string();
    auto r = run(lab.in_scanner(scan_args({"198.18.0.10-11", "-p", "1-2000", "-o", out, "-q"})));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");  // -q with -o: nothing on standard output
    std::ifstream in(out);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    ASSERT_EQ(lines.size(), 3u);                                               // two ports, then the summary
    EXPECT_NE(lines[0].find("\"port\":1642"), std::string::npos) << lines[0];  // the ghost first
    const auto& summary = lines.back();
    EXPECT_NE(summary.find("\"record\":\"summary\""), std::string::npos);
    EXPECT_NE(summary.find("\"hosts_up\":2"), std::string::npos) << summary;
    EXPECT_NE(summary.find("\"probes_planned\":4000"), std::string::npos) << summary;
    EXPECT_NE(summary.find("\"partial\":false"), std::string::npos) << summary;
    EXPECT_NE(summary.find("\"engine\":\"syn\"")  // auto: root may send raw packets
              ,
              std::string::npos)
        << summary;
    // No temporary file is left beside the report.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

// Ctrl-C: the scan stops within a second, writes what it found to FILE.partial (never FILE) and exits 3.
// Loopback only, in the root namespace, paced so that it is still running when interrupted.
TEST(Interrupt, SigintWritesAPartialReportAndNeverTheFinalName) {
    ScratchDir scratch("int");
    const std::filesystem::path dir = scratch.path();
    auto out = (dir / "audit.csv").string();
    Background scan(scan_args({"127.0.0.1", "--max-rate", "2000", "-o", out, "-q"}));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto sent = std::chrono::steady_clock::now();
    kill(scan.pid(), SIGINT);
    auto r = scan.wait(std::chrono::seconds(10));
    EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(2));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("partial"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
    ASSERT_TRUE(std::filesystem::exists(out + ".partial"));
    std::ifstream in(out + ".partial");
    std::string header;
    std::getline(in, header);
    EXPECT_EQ(header.rfind("host,hostname,port", 0), 0u);
}
