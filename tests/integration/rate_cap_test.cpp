// SPDX-License-Identifier: GPL-2.0-or-later
// --max-rate is a true cap on every probe a scan sends, in every mode: counted on the wire (gp_pktrate on
// the scanner's veth, outbound, RSTs the kernel sends on its own left out) in fixed 100 ms windows, with
// 10% random loss so that retries happen, for the SYN engine with and without host discovery and for the
// connect engine (whose kernel would retransmit unanswered SYNs on its own schedule).
#include <cstdlib>
#include <sstream>

#include "lab.hpp"

using namespace gp_test;

namespace {

constexpr int cap = 5000;              // probes per second
constexpr int per_window = cap / 10;   // per 100 ms
constexpr double allowed_over = 1.03;  // the bound: at most 3% over

struct Measured {
    long packets = 0, max_per_window = 0;
};

Measured parse(const std::string& out) {
    Measured m;
    const auto at = out.find("packets");
    if (at == std::string::npos) return m;  // the meter said nothing: the expectations below fail
    std::istringstream in(out.substr(at));
    std::string word;
    in >> word >> m.packets >> word >> word >> word >> m.max_per_window;
    return m;
}

class RateCap : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!lab_unavailable_reason().empty()) return;
        lab_ = new Lab(4);
        lab_->listen({"198.18.0.10:22", "198.18.0.11:80", "198.18.0.12:443", "198.18.0.13:1642"});
        lab_->firewall({"loss=10"});
    }
    static void TearDownTestSuite() {
        delete lab_;
        lab_ = nullptr;
    }

    // Runs the scan while gp_pktrate counts its probes; returns what it counted.
    Measured measure(const std::vector<std::string>& scan) {
        Background meter(lab_->in_scanner({GP_PKTRATE_BINARY, "--idle-ms", "1500", lab_->name() + "a"}),
                         "ready");
        std::vector<std::string> args = scan;
        for (const auto& a : {"--max-rate", "5000", "-q", "-n", "--format", "csv"}) args.push_back(a);
        auto r = run(lab_->in_scanner(scan_args(args)), std::chrono::seconds(120));
        EXPECT_TRUE(r.exit_code == 0) << r.err;
        auto counted = meter.wait(std::chrono::seconds(30));
        EXPECT_EQ(counted.exit_code, 0) << counted.err;
        return parse(counted.out);
    }

    static Lab* lab_;
};

Lab* RateCap::lab_ = nullptr;

void expect_capped(const Measured& m, long at_least_packets) {
    EXPECT_GE(m.packets, at_least_packets) << "the scan sent fewer probes than it has pairs";
    EXPECT_LE(m.max_per_window, static_cast<long>(per_window * allowed_over))
        << "a 100 ms window held " << m.max_per_window << " probes; the cap allows " << per_window;
    // The scan ran at the cap, not far below it (the test would prove nothing).
    EXPECT_GE(m.max_per_window, per_window / 2) << "the scan never came near the cap";
}

}  // namespace

TEST_F(RateCap, SynEngineWithoutDiscovery) {
    GP_REQUIRE_LAB();
    expect_capped(measure({"198.18.0.10", "-p", "1-8000", "--engine", "syn", "-Pn"}), 8000);
}

TEST_F(RateCap, SynEngineWithDiscoveryWaves) {
    GP_REQUIRE_LAB();
    expect_capped(measure({"198.18.0.10-13", "-p", "1-2500", "--engine", "syn"}), 10000);
}

TEST_F(RateCap, ConnectEngineWithItsOwnRetries) {
    GP_REQUIRE_LAB();
    expect_capped(measure({"198.18.0.10", "-p", "1-8000", "--engine", "connect", "-Pn"}), 8000);
}
