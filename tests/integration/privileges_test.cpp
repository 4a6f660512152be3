// SPDX-License-Identifier: GPL-2.0-or-later
// Privilege separation: a scan run as root (or with file capabilities) splits in two before the first
// packet. The worker that scans and parses runs as nobody (or --drop-user, or the sudo user) with no groups,
// empty effective, permitted, inheritable, ambient and bounding capability sets and no_new_privs; the
// privileged part stays the invoking user and writes the report as that user, even in a folder only root
// may enter. The credentials are read from /proc/PID/status while the scan runs. Loopback only, in the
// root namespace, paced to still be running.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "lab.hpp"

using namespace gp_test;

namespace {

constexpr const char* no_caps = "0000000000000000";

// A paced syn scan of every port of 127.0.0.1 writing into `dir`, started through `prefix` (env, setpriv).
std::vector<std::string> slow_scan(const std::vector<std::string>& prefix, const std::string& binary,
                                   const std::string& dir, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = prefix;
    argv.push_back(binary);
    for (const auto& a : with_registry({"scan", "127.0.0.1", "--engine", "syn", "--max-rate", "3000", "-q",
                                        "-n", "-o", dir + "/report.csv"}))
        argv.push_back(a);
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

// The child of `pid` (the worker of a separated scan), or 0 when it has none.
int child_of(int pid) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        auto status = process_status(std::atoi(name.c_str()));
        if (status["PPid"] == std::to_string(pid)) return std::atoi(name.c_str());
    }
    return 0;
}

// Whether `pid` has a thread named `name`.
bool has_thread(int pid, const std::string& name) {
    std::error_code ec;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream comm(task.path() / "comm");
        std::string line;
        if (std::getline(comm, line) && line == name) return true;
    }
    return false;
}

// The status of the process that scans once its SYN engine runs (its receiver thread, gp-receive, exists:
// not just any second thread, since the set-up reads files on one): the worker of `pid`, or `pid` itself
// when the scan did not separate privileges.
std::map<std::string, std::string> scanner_status(int pid, bool separated = true) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        const int scanning = separated ? child_of(pid) : pid;
        if (scanning != 0 && has_thread(scanning, "gp-receive")) return process_status(scanning);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
}

std::string ids(unsigned id) {
    const std::string s = std::to_string(id);
    return s + "\t" + s + "\t" + s + "\t" + s;
}

// Stops the scan with Ctrl-C (sent to the privileged part, which passes it on) and checks that the partial
// report was written as the invoking user `uid`, mode 0600.
void interrupt_and_check(Background& scan, const std::string& dir, unsigned uid) {
    ASSERT_EQ(kill(scan.pid(), SIGINT), 0);
    auto r = scan.wait(std::chrono::seconds(10));
    EXPECT_EQ(r.exit_code, 3) << r.err;  // interrupted: partial
    struct stat st {};
    ASSERT_EQ(stat((dir + "/report.csv.partial").c_str(), &st), 0) << r.err;
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

// Run as root by cron, with the report in a folder only root may enter: the worker is nobody with no
// capability at all, the privileged part is root, and the report is root's, mode 0600.
TEST_F(Privileges, RootScanSplitsIntoARootPartAndAWorkerWithNoCapabilities) {
    ScratchDir dir("priv-root", true);  // 0700 root: nobody may not even enter it
    Background scan(slow_scan({}, ghostport_binary(), dir.path()));
    auto status = scanner_status(scan.pid());
    ASSERT_FALSE(status.empty()) << "the worker never started scanning";
    EXPECT_EQ(status["Uid"], ids(nobody));
    EXPECT_EQ(status["Gid"], ids(nogroup));
    EXPECT_EQ(status["Groups"], "");
    EXPECT_EQ(status["CapEff"], no_caps);
    EXPECT_EQ(status["CapPrm"], no_caps);
    EXPECT_EQ(status["CapInh"], no_caps);
    EXPECT_EQ(status["CapAmb"], no_caps);
    EXPECT_EQ(status["CapBnd"], no_caps);
    EXPECT_EQ(status["NoNewPrivs"], "1");
    auto parent = process_status(scan.pid());
    EXPECT_EQ(parent["Uid"], ids(0)) << "the privileged part stays the invoking user";
    EXPECT_EQ(parent["Threads"], "1") << "the privileged part parses nothing and runs no engine";
    interrupt_and_check(scan, dir.path(), 0);
}

// The same scan run to the end: the report appears in the root-only folder, owned by root.
TEST_F(Privileges, ReportInARootOnlyFolderIsWrittenByThePrivilegedPart) {
    ScratchDir dir("priv-done", true);
    auto r = run(with_registry({ghostport_binary(), "scan", "127.0.0.1", "-p", "1-200", "--engine", "syn",
                                "-q", "-n", "-o", dir / "audit.csv"}),
                 std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    struct stat st {};
    ASSERT_EQ(stat((dir / "audit.csv").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 0u);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_FALSE(read_file(dir / "audit.csv").empty());
}

TEST_F(Privileges, DropUserAndSudoUserChooseWhom) {
    const passwd* daemon = getpwnam("daemon");
    ASSERT_NE(daemon, nullptr);
    {
        ScratchDir dir("priv-user", true);
        Background scan(slow_scan({}, ghostport_binary(), dir.path(), {"--drop-user", "daemon"}));
        auto status = scanner_status(scan.pid());
        EXPECT_EQ(status["Uid"], ids(daemon->pw_uid));
        EXPECT_EQ(status["CapEff"], no_caps);
        interrupt_and_check(scan, dir.path(), 0);
    }
    {
        ScratchDir dir("priv-sudo", true);
        const std::string uid = std::to_string(daemon->pw_uid), gid = std::to_string(daemon->pw_gid);
        Background scan(
            slow_scan({"env", "SUDO_UID=" + uid, "SUDO_GID=" + gid}, ghostport_binary(), dir.path()));
        auto status = scanner_status(scan.pid());
        EXPECT_EQ(status["Uid"], ids(daemon->pw_uid));
        EXPECT_EQ(status["Gid"], ids(daemon->pw_gid));
        interrupt_and_check(scan, dir.path(), 0);
    }
}

TEST_F(Privileges, NoDropPrivilegesKeepsRootInOneProcess) {
    ScratchDir dir("priv-keep", true);
    Background scan(slow_scan({}, ghostport_binary(), dir.path(), {"--no-drop-privileges"}));
    auto status = scanner_status(scan.pid(), false);
    EXPECT_EQ(status["Uid"], ids(0));
    EXPECT_NE(status["CapEff"], no_caps);
    EXPECT_EQ(child_of(scan.pid()), 0) << "no worker";
    interrupt_and_check(scan, dir.path(), 0);
}

// `setcap cap_net_raw,cap_net_admin+eip` and an ordinary user: the user stays; the worker holds no
// capability (its bounding set it may not empty: no_new_privs makes that moot), the privileged part keeps
// what the file gave.
TEST_F(Privileges, FileCapabilitiesLeaveTheWorkerWithNoCapability) {
    ScratchDir dir("priv-caps", true);
    ASSERT_EQ(chown(dir.path().c_str(), nobody, nogroup), 0);
    const std::string binary = dir / "ghostport";
    std::filesystem::copy_file(ghostport_binary(), binary);
    auto r = run({"setcap", "cap_net_raw,cap_net_admin+eip", binary}, std::chrono::seconds(10));
    ASSERT_EQ(r.exit_code, 0) << "setcap (libcap2-bin): " << r.err;
    const std::string uid = std::to_string(nobody), gid = std::to_string(nogroup);
    Background scan(
        slow_scan({"setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"}, binary, dir.path()));
    auto status = scanner_status(scan.pid());
    ASSERT_FALSE(status.empty()) << "the worker never started scanning";
    EXPECT_EQ(status["Uid"], ids(nobody));
    EXPECT_EQ(status["CapEff"], no_caps);
    EXPECT_EQ(status["CapPrm"], no_caps);
    EXPECT_EQ(status["NoNewPrivs"], "1");
    auto parent = process_status(scan.pid());
    EXPECT_NE(parent["CapPrm"], no_caps) << "the privileged part keeps the file's capabilities";
    interrupt_and_check(scan, dir.path(), nobody);
}
