// SPDX-License-Identifier: GPL-2.0-or-later
// Scans of simulated remote hosts with real latency: gp_responder behind a TUN device in the scanner
// namespace plays 198.19.0.0/28 (RTT 20..200 ms per host, some hosts down, some ports filtered), and the
// report must match the responder's own truth table. The responder answers SYNs only, so these scans skip
// host discovery (-Pn): they test the engines' accuracy, not discovery.
#include <signal.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "core/address.hpp"
#include "lab.hpp"

using namespace gp_test;

namespace {

constexpr int rtt_min_ms = 20, rtt_max_ms = 200;

// The responder's options that decide the truth: the same for the device and for --truth-all.
std::vector<std::string> world(std::vector<std::string> extra) {
    std::vector<std::string> argv{"--seed",    "3",
                                  "--hosts",   "198.19.0.0/28",
                                  "--rtt-min", std::to_string(rtt_min_ms),
                                  "--rtt-max", std::to_string(rtt_max_ms)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

// Each test runs once per engine.
class LatencyLab : public PerEngine {};

// A scan in the lab's scanner namespace with GHOSTPORT_TRACE=1: the SYN engine's trace lines on stderr.
RunResult traced_scan(const Lab& lab, const std::vector<std::string>& scan) {
    std::vector<std::string> argv{"env", "GHOSTPORT_TRACE=1"};
    for (const auto& a : scan_args(scan)) argv.push_back(a);
    return run(lab.in_scanner(argv), std::chrono::seconds(120));
}

}  // namespace

// Every open port found and nothing else open, closed ports of live hosts closed, down hosts and filtered
// ports filtered, and each open port's RTT the host's simulated RTT (plus a little scheduling).
TEST_P(LatencyLab, ScanMatchesTheResponderTruth) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    const auto options = world({});
    const auto truth = responder_truth(options, "1-200");
    // The seed is chosen so that the world has every kind of answer.
    ASSERT_FALSE(truth.by_state.at("open").empty());
    ASSERT_FALSE(truth.by_state.at("closed").empty());
    ASSERT_FALSE(truth.by_state.at("filtered").empty());
    ASSERT_FALSE(truth.by_state.at("down").empty());

    auto responder = start_responder(lab, options);
    auto r =
        run(lab.in_scanner(args({"198.19.0.0/28", "-p", "1-200", "-Pn", "--format", "csv", "--show", "all"})),
            std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    kill(responder->pid(), SIGTERM);
    auto stats = responder->wait(std::chrono::seconds(5));
    EXPECT_EQ(stats.exit_code, 0) << stats.err;
    EXPECT_NE(stats.err.find("write errors 0"), std::string::npos) << stats.err;

    auto rows = parse_csv_report(r.out);
    ASSERT_EQ(rows.size(), 16u * 200u);
    EXPECT_EQ(keys(rows, "open"), truth.by_state.at("open")) << stats.err;
    EXPECT_EQ(keys(rows, "closed"), truth.by_state.at("closed")) << stats.err;
    auto unanswered = truth.by_state.at("filtered");
    unanswered.insert(truth.by_state.at("down").begin(), truth.by_state.at("down").end());
    EXPECT_EQ(keys(rows, "filtered"), unanswered);

    // No reply can beat the simulated RTT, so every row is at least its host's. Scheduling only adds: on a
    // loaded CI machine a single row may be tens of milliseconds late, so the upper bound is on each host's
    // median, which still catches an RTT measured from the wrong moment (scan start, first try).
    std::map<std::string, std::vector<double>> rtts_by_host;
    for (const auto& row : rows) {
        if (row.at("state") != "open") continue;
        const double rtt = std::stod(row.at("rtt_ms"));
        const int host_rtt = truth.rtt_ms.at(row.at("host"));
        EXPECT_GE(rtt, host_rtt) << row.at("host") << ":" << row.at("port");
        rtts_by_host[row.at("host")].push_back(rtt);
    }
    for (auto& [host, rtts] : rtts_by_host) {
        std::nth_element(rtts.begin(), rtts.begin() + rtts.size() / 2, rtts.end());
        EXPECT_LE(rtts[rtts.size() / 2], truth.rtt_ms.at(host) + 50) << host;
    }
}

// 3% loss of SYNs and of replies, independently: retries still find every open port, and no closed or
// filtered port shows as open.
TEST_P(LatencyLab, LossStillFindsEveryOpenPort) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    const auto options = world({"--loss", "3"});
    const auto truth = responder_truth(options, "1-200");
    ASSERT_FALSE(truth.by_state.at("open").empty());

    auto responder = start_responder(lab, options);
    auto r = run(
        lab.in_scanner(args({"198.19.0.0/28", "-p", "1-200", "-Pn", "--retries", "4", "--format", "csv"})),
        std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(keys(parse_csv_report(r.out), "open"), truth.by_state.at("open"));
}

INSTANTIATE_TEST_SUITE_P(Engines, LatencyLab, ::testing::Values("syn", "connect"),
                         [](const auto& info) { return info.param; });

// More hosts than the engines once kept round-trip estimators for (65,536): 70,000 simulated hosts of the
// whole benchmarking range, near and far (20..200 ms), one port each. A far host must never inherit a near
// host's short timeout, so every open port is found, and nothing else is open.
TEST(ManyHostsLab, SeventyThousandHostsWithMixedRttsKeepTheirOwnTiming) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    const std::vector<std::string> options{"--seed",    "11", "--hosts",   "198.18.0.0/15",
                                           "--rtt-min", "20", "--rtt-max", "200"};
    const auto truth = responder_truth(options, "22");  // open on every live host (--always-open)
    // The scanned hosts: 198.18.2.0 onwards (the veth keeps 198.18.0.0/23), 70,000 of them.
    const std::string range = "198.18.2.0-198.19.19.111";
    std::set<std::string> expected;
    for (const auto& key : truth.by_state.at("open")) {
        const auto a = ghostport::core::Address::parse(key.substr(0, key.find(':')));
        if (a && a->v4() >= 0xC6120200u && a->v4() <= 0xC613136Fu) expected.insert(key);
    }
    ASSERT_GT(expected.size(), 60000u) << "about 90% of the hosts are live";

    auto responder = start_responder(lab, options);
    auto r =
        run(lab.in_scanner(scan_args({range, "-p", "22", "-Pn", "-n", "--engine", "syn", "--format", "csv"})),
            std::chrono::seconds(180));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    kill(responder->pid(), SIGTERM);
    responder->wait(std::chrono::seconds(5));
    EXPECT_EQ(keys(parse_csv_report(r.out), "open"), expected);
}

// The default flags, no --retries: under 12% loss each way the SYN engine measures the loss and raises its
// tries (it says so on GHOSTPORT_TRACE's last line), and every open port is still found.
TEST(AdaptiveRetriesLab, DefaultFlagsRaiseTheTriesUnderLossAndFindEveryOpenPort) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    const std::vector<std::string> options{"--seed", "3", "--hosts", "198.19.0.0/28", "--loss", "12"};
    const auto truth = responder_truth(options, "1-400");
    ASSERT_GT(truth.by_state.at("open").size(), 20u);
    auto responder = start_responder(lab, options);
    auto r = traced_scan(lab, {"198.19.0.0/28", "-p", "1-400", "-Pn", "--engine", "syn", "--format", "csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(keys(parse_csv_report(r.out), "open"), truth.by_state.at("open"));
    const auto at = r.err.rfind("retries ");
    ASSERT_NE(at, std::string::npos) << r.err;
    EXPECT_GE(std::atoi(r.err.c_str() + at + 8), 4) << "the default 2 retries were never raised:\n"
                                                    << r.err.substr(r.err.rfind("syn:"));
}

// A sweep with discovery probes its hosts in waves as they come up; each wave's SYN run starts at the rate
// the previous one ended at (GHOSTPORT_TRACE prints both), never from the initial rate again.
TEST(WavesLab, EachDiscoveryWaveStartsAtTheRateThePreviousOneReached) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    const std::vector<std::string> options{"--seed", "5", "--hosts", "198.19.0.0/18", "--down-pct", "50"};
    auto responder = start_responder(lab, options);
    auto r = traced_scan(lab, {"198.19.0.0/18", "-p", "1-3", "--engine", "syn", "-n", "--format", "csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // "syn: ... rate R/s ..." ends a wave; the next wave's first "t=    0 ms rate S ..." must say S == R.
    std::istringstream in(r.err);
    std::vector<std::pair<double, double>> handovers;  // (ended at, next started at)
    double ended = -1;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("syn:", 0) == 0) {
            ended = std::stod(line.substr(line.find("rate ") + 5));
        } else if (line.rfind("t=", 0) == 0 && ended >= 0) {
            handovers.emplace_back(ended, std::stod(line.substr(line.find("rate ") + 5)));
            ended = -1;
        }
    }
    ASSERT_GE(handovers.size(), 1u) << "a single wave: nothing to hand over\n" << r.err;
    for (const auto& [end, start] : handovers) EXPECT_NEAR(start, end, 1.0) << r.err;
}
