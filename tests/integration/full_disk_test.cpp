// Nothing lost on a full disk: a report that cannot be written is exit 3 with one line, leaves no file that
// passes as complete, and the scan stays recoverable from its --resume checkpoint. The disk is a 64 KiB tmpfs
// in a mount namespace of the test's own (unshare), so nothing on the machine fills up. Loopback only.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lab.hpp"

using namespace gp_test;
namespace fs = std::filesystem;

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
