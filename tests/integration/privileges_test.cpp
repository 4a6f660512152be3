// Least privilege: a SYN scan run as root runs as nobody (or --drop-user, or the sudo user) with CAP_NET_RAW
// alone, no groups, an emptied bounding set and no_new_privs, from before the first packet until the end; a
// binary with file capabilities keeps its user and only CAP_NET_RAW. The credentials are read from
// /proc/PID/status while the scan runs. Loopback only, in the root namespace, paced to still be running.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "lab.hpp"

using namespace gp_test;

namespace {

constexpr const char* net_raw_only = "0000000000002000";  // 1 << CAP_NET_RAW (13)

// A paced syn scan of every port of 127.0.0.1 writing into `dir`, started through `prefix` (env, setpriv).
std::vector<std::string> slow_scan(const std::vector<std::string>& prefix, const std::string& binary,
                                   const ScratchDir& dir, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = prefix;
    argv.push_back(binary);
    for (const auto& a : with_registry({"scan", "127.0.0.1", "--engine", "syn", "--max-rate", "3000", "-q",
                                        "-n", "-o", dir / "report.csv"}))
        argv.push_back(a);
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

// The status of `pid` once its SYN engine runs (its receiver thread exists): the credentials it scans with.
std::map<std::string, std::string> status_while_scanning(int pid) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        auto status = process_status(pid);
        if (status.empty()) break;
        if (std::atoi(status["Threads"].c_str()) >= 2) return status;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
}

std::string ids(unsigned id) {
    const std::string s = std::to_string(id);
    return s + "\t" + s + "\t" + s + "\t" + s;
}

// Stops the scan with Ctrl-C and checks that it still wrote its (partial) report as the dropped user.
void interrupt_and_check(Background& scan, const ScratchDir& dir, unsigned uid) {
    ASSERT_EQ(kill(scan.pid(), SIGINT), 0);
    auto r = scan.wait(std::chrono::seconds(10));
    EXPECT_EQ(r.exit_code, 3) << r.err;  // interrupted: partial
    struct stat st {};
    ASSERT_EQ(stat((dir / "report.csv.partial").c_str(), &st), 0) << r.err;
    EXPECT_EQ(st.st_uid, uid);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

class Privileges : public ::testing::Test {
  protected:
    void SetUp() override {
        GP_REQUIRE_LAB();  // root
        // The test's own sudo must not choose the user.
        unsetenv("SUDO_UID");
        unsetenv("SUDO_GID");
        const passwd* pw = getpwnam("nobody");
        ASSERT_NE(pw, nullptr);
        nobody = pw->pw_uid;
        nogroup = pw->pw_gid;
    }
    unsigned nobody = 0, nogroup = 0;
};

}  // namespace

TEST_F(Privileges, RootSynScanRunsAsNobodyWithNetRawOnly) {
    ScratchDir dir("priv-root");
    Background scan(slow_scan({}, ghostport_binary(), dir));
    auto status = status_while_scanning(scan.pid());
    ASSERT_FALSE(status.empty()) << "the scan never started";
    EXPECT_EQ(status["Uid"], ids(nobody));
    EXPECT_EQ(status["Gid"], ids(nogroup));
    EXPECT_EQ(status["Groups"], "");
    EXPECT_EQ(status["CapEff"], net_raw_only);
    EXPECT_EQ(status["CapPrm"], net_raw_only);
    EXPECT_EQ(status["CapInh"], "0000000000000000");
    EXPECT_EQ(status["CapAmb"], "0000000000000000");
    EXPECT_EQ(status["CapBnd"], net_raw_only);
    EXPECT_EQ(status["NoNewPrivs"], "1");
    interrupt_and_check(scan, dir, nobody);
}

TEST_F(Privileges, DropUserAndSudoUserChooseWhom) {
    const passwd* daemon = getpwnam("daemon");
    ASSERT_NE(daemon, nullptr);
    {
        ScratchDir dir("priv-user");
        Background scan(slow_scan({}, ghostport_binary(), dir, {"--drop-user", "daemon"}));
        auto status = status_while_scanning(scan.pid());
        EXPECT_EQ(status["Uid"], ids(daemon->pw_uid));
        EXPECT_EQ(status["CapEff"], net_raw_only);
        interrupt_and_check(scan, dir, daemon->pw_uid);
    }
    {
        ScratchDir dir("priv-sudo");
        const std::string uid = std::to_string(daemon->pw_uid), gid = std::to_string(daemon->pw_gid);
        Background scan(slow_scan({"env", "SUDO_UID=" + uid, "SUDO_GID=" + gid}, ghostport_binary(), dir));
        auto status = status_while_scanning(scan.pid());
        EXPECT_EQ(status["Uid"], ids(daemon->pw_uid));
        EXPECT_EQ(status["Gid"], ids(daemon->pw_gid));
        interrupt_and_check(scan, dir, daemon->pw_uid);
    }
}

TEST_F(Privileges, NoDropPrivilegesKeepsRoot) {
    ScratchDir dir("priv-keep");
    Background scan(slow_scan({}, ghostport_binary(), dir, {"--no-drop-privileges"}));
    auto status = status_while_scanning(scan.pid());
    EXPECT_EQ(status["Uid"], ids(0));
    EXPECT_NE(status["CapEff"], net_raw_only);
    interrupt_and_check(scan, dir, 0);
}

// `setcap cap_net_raw,cap_net_admin+eip` and an ordinary user: the user stays, CAP_NET_ADMIN goes.
TEST_F(Privileges, FileCapabilitiesKeepTheUserAndOnlyNetRaw) {
    ScratchDir dir("priv-caps");
    const std::string binary = dir / "ghostport";
    std::filesystem::copy_file(ghostport_binary(), binary);
    auto r = run({"setcap", "cap_net_raw,cap_net_admin+eip", binary}, std::chrono::seconds(10));
    ASSERT_EQ(r.exit_code, 0) << "setcap (libcap2-bin): " << r.err;
    const std::string uid = std::to_string(nobody), gid = std::to_string(nogroup);
    Background scan(
        slow_scan({"setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"}, binary, dir));
    auto status = status_while_scanning(scan.pid());
    ASSERT_FALSE(status.empty()) << "the scan never started";
    EXPECT_EQ(status["Uid"], ids(nobody));
    EXPECT_EQ(status["CapEff"], net_raw_only);
    EXPECT_EQ(status["CapPrm"], net_raw_only);
    EXPECT_EQ(status["NoNewPrivs"], "1");
    interrupt_and_check(scan, dir, nobody);
}

// A folder the dropped user cannot write is refused before any packet (exit 3), with what to do about it.
TEST_F(Privileges, UnwritableReportFolderIsRefusedUpFront) {
    const auto folder =
        std::filesystem::temp_directory_path() / ("gpt-" + std::to_string(getpid()) + "-root");
    std::filesystem::create_directories(folder);
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all);  // 0700 root
    auto r = run(with_registry({ghostport_binary(), "scan", "127.0.0.1", "-p", "22", "--engine", "syn", "-q",
                                "-o", (folder / "report.csv").string()}));
    std::filesystem::remove_all(folder);
    EXPECT_EQ(r.exit_code, 3) << r.err;  // an unwritable output folder is a run-time failure, as a full disk
    EXPECT_NE(r.err.find("nobody cannot create files in that folder"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--no-drop-privileges"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}
