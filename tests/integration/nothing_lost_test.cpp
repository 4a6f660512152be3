// SPDX-License-Identifier: GPL-2.0-or-later
// Nothing lost: a report that cannot be written (a full disk, a folder that turned read-only mid-run) is
// exit 3 with one line, leaves no file that passes as complete, and the scan stays recoverable from its
// --resume checkpoint; a baseline deleted mid-run changes nothing (it was read before the first packet); and
// a second Ctrl-C stops at once. The disk is a 64 KiB tmpfs in a mount namespace of the test's own (unshare),
// so nothing on the machine fills up. Loopback only.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "lab.hpp"

using namespace gp_test;
namespace fs = std::filesystem;

namespace {

// Waits until `path` exists (the scan's first checkpoint, so the scan runs), at most 10 s.
bool wait_for_file(const std::string& path) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!fs::exists(path) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return fs::exists(path);
}

}  // namespace

TEST(FullDisk, ReportThatCannotBeWrittenIsExitThreeAndTheCheckpointRemains) {
    GP_REQUIRE_LAB();  // root, for the mount namespace
    const fs::path dir = fs::temp_directory_path() / ("gpt-" + std::to_string(getpid()) + "-disk");
    fs::remove_all(dir);
    fs::create_directories(dir / "full");
    const fs::path checkpoint = dir / "scan.resume";
    std::string scan;
    for (const auto& a : with_registry({ghostport_binary(), "scan", "127.0.0.1", "-p", "1-20000", "--engine",
                                        "connect", "--show", "all", "-q", "-o",
                                        (dir / "full/report.csv").string(), "--resume", checkpoint.string()}))
        scan += "'" + a + "' ";
    // Inside the namespace: mount the tiny disk, scan (3 MB of CSV), then list what the disk holds.
    auto r = run({"unshare", "--mount", "--propagation", "private", "sh", "-c",
                  "mount -t tmpfs -o size=64k gpt-disk '" + (dir / "full").string() + "' || exit 99; " +
                      scan + "; rc=$?; ls -A '" + (dir / "full").string() + "'; exit $rc"},
                 std::chrono::seconds(60));
    ASSERT_NE(r.exit_code, 99) << "cannot mount a tmpfs: " << r.err;
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.out, "") << "the full disk holds: " << r.out;  // no report, no temporary file
    ASSERT_TRUE(fs::exists(checkpoint)) << "the scan is not recoverable";
    std::ifstream in(checkpoint);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("\"low\":20000"), std::string::npos) << "the checkpoint does not hold the whole scan";
    fs::remove_all(dir);
}

// The report's folder disappears while the scan runs (the privileged part writes reports as root, so no
// permission change can bind it; a removed folder does): exit 3 naming the reason, no report, and the
// checkpoint (in another folder) holds the whole scan.
TEST(NothingLost, ReportFolderRemovedMidRunIsExitThreeAndTheCheckpointRemains) {
    GP_REQUIRE_LAB();  // root: the syn engine
    ScratchDir dir("ro", true);
    const std::string out = dir / "out", checkpoint = dir / "scan.resume";
    fs::create_directories(out);
    Background scan(
        scan_args({"127.0.0.1", "-p", "1-30000", "--engine", "syn", "--max-rate", "15000", "--show", "all",
                   "-q", "-n", "-o", out + "/report.csv", "--resume", checkpoint}));
    ASSERT_TRUE(wait_for_file(checkpoint)) << "the scan wrote no checkpoint";
    fs::remove_all(out);
    auto r = scan.wait(std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out + "/report.csv"));
    const std::string text = read_file(checkpoint);
    EXPECT_NE(text.find("\"low\":30000"), std::string::npos) << "the checkpoint does not hold the whole scan";
}

// The baseline is read once, before the first packet: deleting it mid-run changes neither the comparison
// nor the exit status.
TEST(NothingLost, BaselineDeletedMidRunChangesNothing) {
    ScratchDir dir("baseline", true);
    const std::string baseline = dir / "night1.json", checkpoint = dir / "scan.resume";
    const std::vector<std::string> scan{"127.0.0.1", "-p", "1-20000", "--engine", "connect", "-q", "-n"};
    auto first = scan_args(scan);
    first.insert(first.end(), {"-o", baseline});
    auto r = run(first, std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto second = scan_args(scan);
    second.insert(second.end(), {"--max-rate", "10000", "--baseline", baseline, "--fail-on",
                                 "new,gone,changed", "-o", dir / "night2.json", "--resume", checkpoint});
    Background night2(second);
    ASSERT_TRUE(wait_for_file(checkpoint));
    fs::remove(baseline);
    r = night2.wait(std::chrono::seconds(60));
    EXPECT_EQ(r.exit_code, 0) << r.err;  // the same listeners: no finding
    const std::string report = read_file(dir / "night2.json");
    EXPECT_NE(report.find("\"baseline_source\":\"" + baseline + "\""), std::string::npos) << report;
    EXPECT_EQ(report.find("\"change\":\"new\""), std::string::npos) << report;
    EXPECT_EQ(report.find("\"change\":\"gone\""), std::string::npos) << report;
}

// Ctrl-C twice: the second one ends the process at once, by the signal, and no report appears (only the
// first Ctrl-C's graceful path writes FILE.partial).
TEST(NothingLost, SecondCtrlCStopsAtOnce) {
    ScratchDir dir("twice", true);
    Background scan(scan_args({"127.0.0.1", "--engine", "connect", "--max-rate", "2000", "-q", "-n", "-o",
                               dir / "report.csv", "--resume", dir / "scan.resume"}));
    ASSERT_TRUE(wait_for_file(dir / "scan.resume"));
    const auto sent = std::chrono::steady_clock::now();
    // Signals of one kind sent back to back merge while pending: repeat Ctrl-C every 2 ms for 100 ms, so a
    // second one lands while the first one's graceful stop runs (a zombie ignores the rest).
    for (int i = 0; i < 50; ++i) {
        ASSERT_EQ(kill(scan.pid(), SIGINT), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    auto r = scan.wait(std::chrono::seconds(10));
    EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::milliseconds(500));
    EXPECT_EQ(r.exit_code, -1) << "not ended by the signal: " << r.err;  // -1: killed by a signal
    EXPECT_FALSE(fs::exists(dir / "report.csv"));
    EXPECT_TRUE(fs::exists(dir / "scan.resume")) << "the last checkpoint is the way back";
}
