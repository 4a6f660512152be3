// SPDX-License-Identifier: GPL-2.0-or-later
// SYN scans of malicious peers: gp_responder --hostile (tests/lab/responder.cpp) plays 198.19.0.0/28 and
// 2001:2:0:ff::100/124 behind a TUN device in the scanner namespace, answers every SYN truthfully after the
// host's RTT, and meanwhile sends SYN-ACKs and RSTs with wrong acks, malformed frames carrying the right ack,
// ICMP errors quoting the probe in ways that must not count, IPv6 extension-header chains (valid and not),
// and a flood of unsolicited packets. The report must still equal the responder's truth table exactly, and
// the scanner's peak memory must stay near that of a calm scan of the same world. The responder answers
// SYNs only, so the scans skip host discovery (-Pn).
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lab.hpp"

using namespace gp_test;

namespace {

const std::string ports = "1-150";
const std::vector<std::string> targets = {"198.19.0.0/28", "2001:2:0:ff::100/124"};
constexpr std::size_t hosts = 32;  // 16 IPv4 + 16 IPv6

// The responder's options that decide the truth: the same for the device and for --truth-all. More open and
// filtered ports than the defaults, so every kind of hostile packet lands on every kind of port.
std::vector<std::string> world(std::vector<std::string> extra) {
    std::vector<std::string> argv{
        "--seed", "5",         "--hosts", "198.19.0.0/28", "--hosts6", "2001:2:0:ff::100/124", "--rtt-min",
        "20",     "--rtt-max", "120",     "--open-pct",    "5",        "--filtered-pct",       "5"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

bool is_v6(const std::string& key) {
    return key.find("2001:") == 0;
}

// The keys of `set` in one family.
std::set<std::string> family(const std::set<std::string>& set, bool v6) {
    std::set<std::string> out;
    for (const auto& k : set)
        if (is_v6(k) == v6) out.insert(k);
    return out;
}

// The peak resident set size (VmHWM, kB) of /proc/PID/status; 0 when it cannot be read.
long peak_rss_kb(int pid) {
    auto status = process_status(pid);
    return status.count("VmHWM") ? std::atol(status["VmHWM"].c_str()) : 0;
}

struct WatchedScan {
    RunResult result;
    long peak_rss_kb = 0;  // the ghostport process's VmHWM, read last within 20 ms of its exit
};

// Runs a SYN scan of `scan_targets` from the scanner namespace and follows its peak memory until it exits.
// `ip netns exec` execs ghostport in the same process, so the pid stays the scanner's. The rate is capped
// so that the scan lasts long enough (about 3 s) for the responder to answer nearly every SYN with its three
// hostile variants within its own rate cap, and for the flood to add thousands of packets.
WatchedScan watched_scan(const Lab& lab, const std::vector<std::string>& scan_targets = targets) {
    std::vector<std::string> extra = scan_targets;
    extra.insert(extra.end(), {"-p", ports, "-Pn", "--engine", "syn", "--max-rate", "2500", "--format", "csv",
                               "--show", "all"});
    Background scan(lab.in_scanner(scan_args(extra)));
    WatchedScan w;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        siginfo_t info{};
        if (waitid(P_PID, static_cast<id_t>(scan.pid()), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == scan.pid())
            break;  // exited: left unreaped for wait() below
        if (process_status(scan.pid())["Name"] == "ghostport")
            w.peak_rss_kb = std::max(w.peak_rss_kb, peak_rss_kb(scan.pid()));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    w.result = scan.wait(std::chrono::seconds(5));
    return w;
}

// What `got` has that `want` lacks and the reverse, for a failure message that shows only the difference.
std::string difference(const std::set<std::string>& got, const std::set<std::string>& want) {
    std::string out;
    for (const auto& k : got)
        if (!want.count(k)) out += " +" + k;
    for (const auto& k : want)
        if (!got.count(k)) out += " -" + k;
    return out;
}

// The report equals the truth: open and closed exactly, every other pair filtered, and each filtered row
// for the right reason (IPv6 filtered ports of live hosts answer a valid ICMPv6 error in hostile mode).
void expect_exact(const std::string& report, const ResponderTruth& truth, bool hostile,
                  const std::string& context) {
    const auto rows = parse_csv_report(report);
    ASSERT_EQ(rows.size(), hosts * 150) << context;
    EXPECT_TRUE(keys(rows, "open") == truth.of("open"))
        << difference(keys(rows, "open"), truth.of("open")) << "\n"
        << context;
    EXPECT_TRUE(keys(rows, "closed") == truth.of("closed"))
        << difference(keys(rows, "closed"), truth.of("closed")) << "\n"
        << context;
    auto unanswered = truth.of("filtered");
    const auto down = truth.of("down");
    unanswered.insert(down.begin(), down.end());
    EXPECT_TRUE(keys(rows, "filtered") == unanswered)
        << difference(keys(rows, "filtered"), unanswered) << "\n"
        << context;

    std::set<std::string> unreachable, expected_unreachable;
    for (const auto& row : rows)
        if (row.at("state") == "filtered" && row.at("reason") == "unreachable")
            unreachable.insert(row.at("host") + ":" + row.at("port"));
    if (hostile) expected_unreachable = family(truth.of("filtered"), true);
    EXPECT_EQ(unreachable, expected_unreachable) << context;
}

}  // namespace

// One lab, two scans of the same world: calm, then hostile. Both reports equal the truth; the hostile scan's
// peak memory is the calm one's plus at most the capture ring the extra frames may touch (16 MiB) and some
// slack, so nothing grows with the hostile traffic.
TEST(HostileLab, SynScanStaysExactAndBounded) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    const auto options = world({});
    const auto truth = responder_truth(options, ports);
    // The seed is chosen so that both families have every kind of answer.
    for (bool v6 : {false, true})
        for (const char* state : {"open", "closed", "filtered", "down"})
            ASSERT_FALSE(family(truth.of(state), v6).empty()) << state << (v6 ? " IPv6" : " IPv4");

    auto calm_responder = start_responder(lab, options, 60);
    const auto calm = watched_scan(lab);
    ASSERT_EQ(calm.result.exit_code, 0) << calm.result.err;
    kill(calm_responder->pid(), SIGTERM);
    const auto calm_stats = calm_responder->wait(std::chrono::seconds(5));
    EXPECT_NE(calm_stats.err.find("write errors 0"), std::string::npos) << calm_stats.err;
    expect_exact(calm.result.out, truth, false, "calm: " + calm_stats.err);

    // The same TUN device, now with a hostile responder.
    std::vector<std::string> argv{responder_binary(), "--dev", lab.name() + "r",
                                  "--seconds",        "60",    "--hostile"};
    argv.insert(argv.end(), options.begin(), options.end());
    Background hostile_responder(lab.in_scanner(argv), "ready");
    const auto hostile = watched_scan(lab);
    ASSERT_EQ(hostile.result.exit_code, 0) << hostile.result.err;
    kill(hostile_responder.pid(), SIGTERM);
    const auto stats = hostile_responder.wait(std::chrono::seconds(5));
    ASSERT_EQ(stats.exit_code, 0) << stats.err;
    EXPECT_NE(stats.err.find("write errors 0"), std::string::npos) << stats.err;

    expect_exact(hostile.result.out, truth, true, "hostile: " + stats.err);

    // The attack happened: every variant was sent, and thousands of packets in all.
    unsigned long long targeted = 0, flood = 0;
    unsigned v4_used = 0, v4_all = 0, v6_used = 0, v6_all = 0;
    const auto at = stats.err.find("hostile: targeted ");
    ASSERT_NE(at, std::string::npos) << stats.err;
    ASSERT_EQ(std::sscanf(stats.err.c_str() + at, "hostile: targeted %llu, flood %llu", &targeted, &flood), 2)
        << stats.err;
    const auto variants = stats.err.find("variants IPv4 ");
    ASSERT_NE(variants, std::string::npos) << stats.err;
    ASSERT_EQ(std::sscanf(stats.err.c_str() + variants, "variants IPv4 %u/%u IPv6 %u/%u", &v4_used, &v4_all,
                          &v6_used, &v6_all),
              4)
        << stats.err;
    EXPECT_EQ(v4_used, v4_all) << stats.err;
    EXPECT_EQ(v6_used, v6_all) << stats.err;
    EXPECT_GE(targeted, 5000u) << stats.err;
    EXPECT_GE(flood, 3000u) << stats.err;

    ASSERT_GT(calm.peak_rss_kb, 0);
    ASSERT_GT(hostile.peak_rss_kb, 0);
    EXPECT_LE(hostile.peak_rss_kb, calm.peak_rss_kb + 16 * 1024 + 8 * 1024)
        << "calm " << calm.peak_rss_kb << " kB, hostile " << hostile.peak_rss_kb << " kB";
}

// Replies behind valid IPv6 extension headers (hop-by-hop, then destination options: RFC 8200 §4.1 order)
// are replies: probes/ip_frame.hpp walks such chains. This test found that the capture filter passed IPv6
// TCP only when the fixed header's next header was TCP, so every such reply was dropped in the kernel and
// every answered IPv6 port read filtered (scanner/capture.cpp reply_filter).
TEST(HostileLab, SynScanUnderstandsIpv6ExtensionHeaders) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    const auto options = world({});
    const auto truth = responder_truth(options, ports);
    auto responder = start_responder(lab, world({"--v6-ext-replies"}), 60);
    const auto scan = watched_scan(lab, {targets[1]});
    ASSERT_EQ(scan.result.exit_code, 0) << scan.result.err;
    kill(responder->pid(), SIGTERM);
    const auto stats = responder->wait(std::chrono::seconds(5));
    const auto rows = parse_csv_report(scan.result.out);
    ASSERT_EQ(rows.size(), hosts / 2 * 150);
    EXPECT_EQ(keys(rows, "open"), family(truth.of("open"), true)) << stats.err;
    EXPECT_EQ(keys(rows, "closed"), family(truth.of("closed"), true)) << stats.err;
}
