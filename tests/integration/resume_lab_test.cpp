// SPDX-License-Identifier: GPL-2.0-or-later
// --resume in the namespace lab, once per engine: a scan interrupted at random moments (SIGINT, SIGTERM,
// SIGINT, then SIGKILL) and resumed each time ends with the report an uninterrupted scan writes.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "lab.hpp"

using namespace gp_test;
namespace fs = std::filesystem;

namespace {

class ResumeLab : public PerEngine {};

}  // namespace

TEST_P(ResumeLab, InterruptedThreeTimesAndKilledOnceEqualsAnUninterruptedScan) {
    GP_REQUIRE_LAB();
    Lab lab(3);
    lab.listen({"198.18.0.10:22", "198.18.0.11:80", "198.18.0.12:1642", "198.18.0.12:9999"});
    ScratchDir scratch("resume", true);
    const fs::path dir = scratch.path();
    // Slow enough (a capped rate) that the interruptions land mid-scan.
    const std::vector<std::string> scan{"198.18.0.10-12", "-p", "1-30000", "--max-rate",
                                        "20000",          "-q", "--show",  "open,closed"};
    auto with = [&](std::vector<std::string> extra) {
        auto argv = scan;
        argv.insert(argv.end(), extra.begin(), extra.end());
        return lab.in_scanner(args(argv));
    };
    auto reference = run(with({"-o", (dir / "reference.csv").string()}), std::chrono::seconds(60));
    ASSERT_EQ(reference.exit_code, 0) << reference.err;

    const std::string checkpoint = (dir / "scan.resume").string();
    const std::string out = (dir / "report.csv").string();
    const unsigned seed = std::random_device{}();
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> moment_ms(50, 700);
    SCOPED_TRACE("interruption moments seeded with " + std::to_string(seed));
    int interruptions = 0;
    for (int signal : {SIGINT, SIGTERM, SIGINT, SIGKILL}) {
        // The first run has the scan's arguments; every later one only --resume.
        auto argv = interruptions == 0 ? with({"-o", out, "--resume", checkpoint})
                                       : lab.in_scanner({ghostport_binary(), "scan", "--resume", checkpoint});
        // Interrupt only once this run has written a checkpoint of its own: its signal handlers are in place
        // by then (a signal during start-up simply ends a process, with nothing to resume).
        const auto before =
            fs::exists(checkpoint) ? fs::last_write_time(checkpoint) : fs::file_time_type::min();
        Background scanning(argv);
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < give_up &&
               !(fs::exists(checkpoint) && fs::last_write_time(checkpoint) != before))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(moment_ms(rng)));
        kill(scanning.pid(), signal);
        auto r = scanning.wait(std::chrono::seconds(30));
        if (r.exit_code == 0) break;  // it finished first
        ++interruptions;
        if (signal != SIGKILL) {
            EXPECT_EQ(r.exit_code, 3) << r.err;
            EXPECT_NE(r.err.find("continue with: ghostport scan --resume"), std::string::npos) << r.err;
        }
        ASSERT_TRUE(fs::exists(checkpoint)) << "no checkpoint after signal " << signal;
    }
    EXPECT_GE(interruptions, 2) << "the scan outran the interruptions: slow it down";
    if (fs::exists(checkpoint)) {
        auto last = run(lab.in_scanner({ghostport_binary(), "scan", "--resume", checkpoint}),
                        std::chrono::seconds(60));
        ASSERT_EQ(last.exit_code, 0) << last.err;
    }
    EXPECT_FALSE(fs::exists(checkpoint)) << "a finished scan leaves no checkpoint";

    const auto want = parse_csv_report(read_file(dir / "reference.csv"));
    const auto got = parse_csv_report(read_file(out));
    EXPECT_EQ(keys(got, "open"), keys(want, "open"));
    EXPECT_EQ(keys(got, "closed"), keys(want, "closed"));
    EXPECT_EQ(got.size(), want.size());
}

INSTANTIATE_TEST_SUITE_P(Engines, ResumeLab, ::testing::Values("syn", "connect"),
                         [](const auto& info) { return info.param; });
