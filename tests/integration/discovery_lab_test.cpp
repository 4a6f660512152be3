// SPDX-License-Identifier: GPL-2.0-or-later
// Raw host discovery (scanner/raw_discovery.hpp) driven through gp_discover in a namespace lab: every live
// host found on both families and no other, each probe channel alone still finding them, nothing found when
// every channel is blocked, and a prompt stop on SIGINT.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lab.hpp"

using namespace gp_test;

namespace {

constexpr int lab_hosts = 20;

std::string gp_discover() {
    return GP_DISCOVER_BINARY;
}

// "ADDR" -> "REASON" from gp_discover's output; fails the test on a malformed or repeated line.
std::map<std::string, std::string> hosts_up(const std::string& out) {
    std::map<std::string, std::string> up;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string addr, reason;
        long rtt = -1;
        fields >> addr >> reason >> rtt;
        EXPECT_FALSE(addr.empty() || reason.empty() || rtt < 0) << "malformed line: " << line;
        EXPECT_TRUE(up.emplace(addr, reason).second) << "reported twice: " << addr;
    }
    return up;
}

std::set<std::string> addresses(const std::map<std::string, std::string>& up) {
    std::set<std::string> out;
    for (const auto& [addr, reason] : up) out.insert(addr);
    return out;
}

// The lab's target hosts, plus the scanner's own address (it answers itself: it is up).
std::set<std::string> expected_v4() {
    std::set<std::string> out{"198.18.0.1"};
    for (int i = 0; i < lab_hosts; ++i) out.insert("198.18.0." + std::to_string(10 + i));
    return out;
}
std::set<std::string> expected_v6() {
    std::set<std::string> out{"2001:2::1"};
    char buf[32];
    for (int i = 0; i < lab_hosts; ++i) {
        std::snprintf(buf, sizeof buf, "2001:2::%x", 0x10 + i);
        out.insert(buf);
    }
    return out;
}

// Drops ICMP echo and timestamp requests (IPv4 and IPv6) in the target namespace, leaving TCP (and NDP).
// With `keep_timestamps`, IPv4 timestamp requests still pass.
void drop_pings(const Lab& lab, bool keep_timestamps = false) {
    const std::string rules =
        "table inet gpt_disc {\n"
        "    chain input {\n"
        "        type filter hook input priority -10; policy accept;\n" +
        std::string(keep_timestamps ? "        icmp type echo-request drop\n"
                                    : "        icmp type { echo-request, timestamp-request } drop\n") +
        "        icmpv6 type echo-request drop\n"
        "    }\n"
        "}\n";
    auto r =
        run({"ip", "netns", "exec", lab.name() + "t", "nft", "-f", "-"}, std::chrono::seconds(10), rules);
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

RunResult discover(const Lab& lab, std::vector<std::string> args) {
    args.insert(args.begin(), gp_discover());
    return run(lab.in_scanner(args), std::chrono::seconds(60));
}

// A fresh lab's veth pair needs about a second before IPv6 neighbour discovery works: wait (at most 15 s)
// until one host answers on both families, before any firewall rule.
void wait_until_ready(const Lab& lab) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        auto r = discover(lab, {"--retries", "0", "--timeout-ms", "200", "198.18.0.10", "2001:2::10"});
        if (r.exit_code == 0 && hosts_up(r.out).size() == 2) return;
    }
    FAIL() << "the lab never answered on both families";
}

}  // namespace

// A /24 and a /120 with 20 live hosts each: exactly those (and the scanner itself) are up, quickly.
TEST(DiscoveryLab, FindsExactlyTheLiveHostsOfBothFamilies) {
    GP_REQUIRE_LAB();
    Lab lab(lab_hosts);
    ASSERT_NO_FATAL_FAILURE(wait_until_ready(lab));
    const auto start = std::chrono::steady_clock::now();
    auto r4 = discover(lab, {"198.18.0.0/24"});
    const auto v4_time = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(r4.exit_code, 0) << r4.err;
    EXPECT_EQ(addresses(hosts_up(r4.out)), expected_v4()) << r4.err;
    // Two rounds of 500 ms plus pacing: about 1.5 s; bound it loosely.
    EXPECT_LT(v4_time, std::chrono::seconds(6)) << r4.err;

    auto r6 = discover(lab, {"2001:2::/120"});
    ASSERT_EQ(r6.exit_code, 0) << r6.err;
    EXPECT_EQ(addresses(hosts_up(r6.out)), expected_v6()) << r6.err;

    // Both at once: the two families share one run.
    auto both = discover(lab, {"198.18.0.0/27", "2001:2::/123"});
    ASSERT_EQ(both.exit_code, 0) << both.err;
    std::set<std::string> want = expected_v4();
    want.merge(expected_v6());
    std::erase_if(want, [](const std::string& a) {
        return a == "2001:2::20" || a == "2001:2::21" || a == "2001:2::22" || a == "2001:2::23";
    });
    EXPECT_EQ(addresses(hosts_up(both.out)), want) << both.err;
}

// TCP 80 and 443 dropped: ICMP alone finds every host.
TEST(DiscoveryLab, IcmpAloneFindsHostsWhenTcpIsDropped) {
    GP_REQUIRE_LAB();
    Lab lab(lab_hosts);
    ASSERT_NO_FATAL_FAILURE(wait_until_ready(lab));
    lab.firewall({"drop=80,443"});
    auto r = discover(lab, {"198.18.0.0/24", "2001:2::/120"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto up = hosts_up(r.out);
    std::set<std::string> want = expected_v4();
    want.merge(expected_v6());
    EXPECT_EQ(addresses(up), want) << r.err;
    for (const auto& [addr, reason] : up)
        EXPECT_TRUE(reason == "echo-reply" || reason == "timestamp-reply") << addr << " " << reason;
}

// Pings dropped: the SYN to 443 finds the hosts (syn-ack where something listens, reset elsewhere); with 443
// dropped too, the ACK to 80 alone still does (its RST).
TEST(DiscoveryLab, TcpProbesFindHostsThatIgnorePings) {
    GP_REQUIRE_LAB();
    Lab lab(lab_hosts);
    ASSERT_NO_FATAL_FAILURE(wait_until_ready(lab));
    drop_pings(lab);
    lab.listen({"198.18.0.10:443", "[2001:2::10]:443"});
    auto r = discover(lab, {"198.18.0.10-29", "2001:2::10/124"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto up = hosts_up(r.out);
    EXPECT_EQ(up.size(), 2u * lab_hosts - 4) << r.out << r.err;  // 2001:2::20-23 are outside the /124
    EXPECT_EQ(up["198.18.0.10"], "syn-ack");
    EXPECT_EQ(up["2001:2::10"], "syn-ack");
    EXPECT_EQ(up["198.18.0.11"], "reset");
    EXPECT_EQ(up["2001:2::11"], "reset");

    lab.firewall({"drop=443"});
    auto ack_only = discover(lab, {"198.18.0.10-29", "2001:2::10/124"});
    ASSERT_EQ(ack_only.exit_code, 0) << ack_only.err;
    auto up2 = hosts_up(ack_only.out);
    EXPECT_EQ(up2.size(), 2u * lab_hosts - 4) << ack_only.out << ack_only.err;
    for (const auto& [addr, reason] : up2) EXPECT_EQ(reason, "reset") << addr;
}

// Echo requests and TCP dropped: the IPv4 hosts answer the timestamp request; IPv6 has no such probe.
TEST(DiscoveryLab, TimestampAloneFindsIpv4Hosts) {
    GP_REQUIRE_LAB();
    Lab lab(lab_hosts);
    ASSERT_NO_FATAL_FAILURE(wait_until_ready(lab));
    drop_pings(lab, true);
    lab.firewall({"drop=80,443"});
    auto r = discover(lab, {"198.18.0.10-29", "2001:2::10/126"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto up = hosts_up(r.out);
    EXPECT_EQ(up.size(), std::size_t{lab_hosts}) << r.out << r.err;
    for (const auto& [addr, reason] : up) EXPECT_EQ(reason, "timestamp-reply") << addr;
}

// Every channel blocked: nothing is up, and the run costs about rounds x timeout.
TEST(DiscoveryLab, NothingIsUpWhenEveryProbeIsDropped) {
    GP_REQUIRE_LAB();
    Lab lab(lab_hosts);
    ASSERT_NO_FATAL_FAILURE(wait_until_ready(lab));
    drop_pings(lab);
    lab.firewall({"drop=80,443"});
    const auto start = std::chrono::steady_clock::now();
    auto r = discover(lab, {"198.18.0.10-29", "2001:2::10", "--timeout-ms", "300", "--retries", "2"});
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_GE(took, std::chrono::milliseconds(900));
    EXPECT_LT(took, std::chrono::seconds(5));
}

// SIGINT during a long wait: the run returns within a fraction of a second.
TEST(DiscoveryLab, StopsPromptlyOnSignal) {
    GP_REQUIRE_LAB();
    Lab lab(lab_hosts);
    ASSERT_NO_FATAL_FAILURE(wait_until_ready(lab));
    Background scan(lab.in_scanner({gp_discover(), "--timeout-ms", "30000", "198.18.0.0/24"}),
                    "198.18.0.10 ");
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(::kill(scan.pid(), SIGINT), 0);
    auto r = scan.wait(std::chrono::seconds(10));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}
