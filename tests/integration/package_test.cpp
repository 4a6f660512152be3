// SPDX-License-Identifier: GPL-2.0-or-later
// The Debian package end to end, as an administrator uses it (issue 17): scripts/package.sh builds it, apt
// installs it; the binary is root:ghostport 0750 with cap_net_raw; a member of the group `ghostport` runs a
// SYN scan in the namespace lab without root and finds every open port, a user outside the group cannot run
// it; an upgrade keeps the capability and the reports; purge leaves no file of the package (and keeps the
// reports only when GHOSTPORT_KEEP_REPORTS=yes). It changes the machine (a package, users), so it needs root
// and refuses to run where ghostport is already installed; it undoes what it did.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/integration/lab.hpp"

namespace gp_test {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

const std::string binary = "/usr/bin/ghostport";

bool package_installed() {
    auto r = run({"dpkg-query", "-W", "-f=${Status}", "ghostport"}, seconds(30));
    return r.exit_code == 0 && r.out.find("install ok installed") != std::string::npos;
}

bool account_exists(const char* database, const std::string& name) {
    return run({"getent", database, name}, seconds(10)).exit_code == 0;
}

// Two users of the test's own, one in the group `ghostport` and one not; removed on destruction, with the
// package's user and group when the test made them.
struct Accounts {
    std::string member = "gpt" + std::to_string(getpid()) + "in";
    std::string outsider = "gpt" + std::to_string(getpid()) + "out";
    bool ghostport_existed = account_exists("passwd", "ghostport");
    bool group_existed = account_exists("group", "ghostport");
    ~Accounts() {
        run({"userdel", member}, seconds(30));
        run({"userdel", outsider}, seconds(30));
        if (!ghostport_existed) run({"userdel", "ghostport"}, seconds(30));
        if (!group_existed) run({"groupdel", "ghostport"}, seconds(30));
    }
};

// `apt-get install` of `deb` (an absolute path) with no questions.
RunResult apt_install(const std::string& deb) {
    return run({"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                "--no-install-recommends", "--allow-downgrades", "--reinstall", deb},
               seconds(300));
}

RunResult purge(bool keep_reports) {
    return run({"env", "DEBIAN_FRONTEND=noninteractive",
                std::string("GHOSTPORT_KEEP_REPORTS=") + (keep_reports ? "yes" : "no"), "apt-get", "purge",
                "-y", "-q", "ghostport"},
               seconds(300));
}

// The package's files (not its folders), as dpkg lists them.
std::set<std::string> package_files() {
    std::set<std::string> files;
    std::istringstream in(run({"dpkg", "-L", "ghostport"}, seconds(30)).out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && !fs::is_directory(line)) files.insert(line);
    return files;
}

std::string owner_and_mode(const std::string& path) {
    return run({"stat", "-c", "%U:%G %a", path}, seconds(10)).out;
}

// "host:port" of every open row of a CSV report.
std::set<std::string> open_ports(const std::string& csv) {
    return keys(parse_csv_report(csv), "open");
}

TEST(Package, InstallsRunsForTheGroupUpgradesAndPurgesClean) {
    GP_REQUIRE_LAB();
    if (package_installed())
        GP_SKIP(
            "the ghostport package is installed on this machine; this test installs and purges its own: "
            "`apt purge ghostport` first");
    Accounts accounts;

    // Build it from this checkout; lintian must report no error (package.sh fails otherwise).
    auto built = run({std::string(GHOSTPORT_SOURCE_DIR) + "/scripts/package.sh"}, seconds(1800));
    ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(built.out, m, std::regex(R"((dist/ghostport_[0-9.]+_[a-z0-9]+\.deb))")))
        << built.out;
    const std::string deb = std::string(GHOSTPORT_SOURCE_DIR) + "/" + m[1].str();
    ASSERT_TRUE(fs::is_regular_file(deb)) << deb;

    auto installed = apt_install(deb);
    ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;

    // Least privilege: only root and the group may run it, and it carries just CAP_NET_RAW.
    EXPECT_EQ(owner_and_mode(binary), "root:ghostport 750\n");
    EXPECT_EQ(run({"getcap", binary}, seconds(10)).out, binary + " cap_net_raw=ep\n");
    EXPECT_EQ(owner_and_mode("/var/lib/ghostport"), "ghostport:ghostport 750\n");
    EXPECT_TRUE(account_exists("passwd", "ghostport"));
    // Where the binary finds its data without options, and the rest of what it installs.
    for (const char* file :
         {"/usr/share/ghostport/tcp_services.txt", "/usr/share/ghostport/udp_payloads.txt",
          "/usr/share/man/man1/ghostport.1.gz", "/usr/share/bash-completion/completions/ghostport",
          "/usr/share/doc/ghostport/examples/nightly-audit.toml", "/etc/ghostport/nightly-audit.toml",
          "/lib/systemd/system/ghostport-audit.timer"})
        EXPECT_TRUE(fs::is_regular_file(file)) << file;
    const std::string unit = read_file("/lib/systemd/system/ghostport-audit.service");
    EXPECT_NE(unit.find("\nExecStart=/usr/bin/ghostport scan "), std::string::npos) << unit;
    auto security =
        run({"systemd-analyze", "security", "--offline=true", "/lib/systemd/system/ghostport-audit.service"},
            seconds(60));
    EXPECT_TRUE(std::regex_search(security.out,
                                  std::regex(R"(Overall exposure level for \S+: [0-9.]+ (OK|SAFE|PERFECT))")))
        << security.out << security.err;
    auto version = run({binary, "--version"}, seconds(10));
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_TRUE(std::regex_search(version.out, std::regex(R"(^ghostport [0-9]+\.[0-9]+\.[0-9]+ )")))
        << version.out;

    ASSERT_EQ(run({"useradd", "-M", "-N", "-G", "ghostport", "-s", "/bin/sh", accounts.member}, seconds(30))
                  .exit_code,
              0);
    ASSERT_EQ(run({"useradd", "-M", "-N", "-s", "/bin/sh", accounts.outsider}, seconds(30)).exit_code, 0);

    // A member of the group: a SYN scan (-sS: no fallback to connect) of a lab host, every port, no root.
    Lab lab(1);
    const std::set<std::string> listening = {"198.18.0.10:22", "198.18.0.10:1642", "198.18.0.10:40000"};
    lab.listen({listening.begin(), listening.end()});
    auto scan = run(lab.in_scanner({"runuser", "-u", accounts.member, "--", binary, "scan", "-sS", "-p",
                                    "1-65535", "--no-progress", "--format", "csv", "198.18.0.10"}),
                    seconds(120));
    EXPECT_EQ(scan.exit_code, 0) << scan.err;
    EXPECT_EQ(open_ports(scan.out), listening) << scan.out << scan.err;
    // -sU finds its payload definitions where the package put them.
    auto udp = run(lab.in_scanner({"runuser", "-u", accounts.member, "--", binary, "scan", "-sU", "-p",
                                   "U:53", "--no-progress", "--format", "csv", "198.18.0.10"}),
                   seconds(120));
    EXPECT_EQ(udp.exit_code, 0) << udp.err;

    // Anyone else: not at all.
    auto outsider = run({"runuser", "-u", accounts.outsider, "--", binary, "--version"}, seconds(30));
    EXPECT_NE(outsider.exit_code, 0) << outsider.out << outsider.err;
    EXPECT_NE(outsider.err.find("Permission denied"), std::string::npos) << outsider.err;

    // An upgrade (dpkg writes a new file) keeps the capability, the mode and the reports.
    { std::ofstream("/var/lib/ghostport/audit-20261201.csv") << "host,port\n"; }
    auto upgraded = apt_install(deb);
    ASSERT_EQ(upgraded.exit_code, 0) << upgraded.out << upgraded.err;
    EXPECT_EQ(run({"getcap", binary}, seconds(10)).out, binary + " cap_net_raw=ep\n");
    EXPECT_EQ(owner_and_mode(binary), "root:ghostport 750\n");
    EXPECT_TRUE(fs::exists("/var/lib/ghostport/audit-20261201.csv"));

    // Purge, keeping the reports when asked: no file of the package is left, the reports are.
    auto files = package_files();
    ASSERT_GT(files.size(), 10u);
    auto kept = purge(true);
    ASSERT_EQ(kept.exit_code, 0) << kept.out << kept.err;
    for (const auto& f : files) EXPECT_FALSE(fs::exists(f)) << f << " is left after purge";
    EXPECT_TRUE(fs::exists("/var/lib/ghostport/audit-20261201.csv")) << "GHOSTPORT_KEEP_REPORTS=yes";
    EXPECT_EQ(run({"dpkg-statoverride", "--list", binary}, seconds(10)).out, "");

    // And by default purge takes the reports too.
    installed = apt_install(deb);
    ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
    auto purged = purge(false);
    ASSERT_EQ(purged.exit_code, 0) << purged.out << purged.err;
    for (const auto& f : files) EXPECT_FALSE(fs::exists(f)) << f << " is left after purge";
    EXPECT_FALSE(fs::exists("/var/lib/ghostport"));
    EXPECT_FALSE(fs::exists("/etc/ghostport"));
    EXPECT_FALSE(package_installed());
}

}  // namespace
}  // namespace gp_test
