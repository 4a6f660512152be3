// SPDX-License-Identifier: GPL-2.0-or-later
// The real binary's command line: bad input gets exit 2 and one line; help, version, lookup; a loopback scan.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "lab.hpp"
#include "tests/skip.hpp"

using namespace gp_test;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
    auto p = std::filesystem::temp_directory_path() / ("gpt-" + std::to_string(getpid()) + "-" + name);
    std::ofstream(p) << text;
    return p.string();
}

int lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST(Cli, EveryBadInputIsExitTwoWithOneLineNamingIt) {
    auto bad_registry = write_temp("bad-registry.csv", "hello,world\n1,2\n");
    auto bad_prevalence = write_temp("bad-prevalence", "ssh\t22/tcp\tlots\n");
    struct Case {
        std::vector<std::string> args;
        std::string named;  // the bad value the message must name
    };
    const std::vector<Case> cases{
        {{"scan", "198.18.0.0/33"}, "198.18.0.0/33"},
        {{"scan", "198.18.0.999"}, "198.18.0.999"},
        {{"scan", "198.18.1.20-10"}, "198.18.1.20-10"},
        {{"scan", "-p", "70000", "127.0.0.1"}, "70000"},
        {{"scan", "-p", "2000-1000", "127.0.0.1"}, "2000-1000"},
        {{"scan", "-p", "ssh", "127.0.0.1"}, "ssh"},
        {{"scan", "127.0.0.1", "--timeout", "soon"}, "soon"},
        {{"scan", "127.0.0.1", "--registry", "/nonexistent/registry.csv"}, "/nonexistent/registry.csv"},
        {{"scan", "127.0.0.1", "--registry", bad_registry}, bad_registry},
        {{"scan", "127.0.0.1", "--prevalence", bad_prevalence}, bad_prevalence},
        {{"scan", "127.0.0.1", "--prevalence", "/nonexistent/nmap-services"}, "/nonexistent/nmap-services"},
        {{"scan", "127.0.0.1", "--format", "yaml"}, "yaml"},
        {{"scan", "127.0.0.1", "--show", "weird"}, "weird"},
        {{"scan", "127.0.0.1", "--engine", "warp"}, "warp"},
        {{"scan", "127.0.0.1", "-p", "22", "--top-ports", "10"}, "--top-ports"},
        {{"scan", "127.0.0.1", "--retries", "-1"}, "--retries"},
        {{"scan", "-iL", "/nonexistent/targets.txt"}, "/nonexistent/targets.txt"},
        {{"scan", "--exclude", "nope!", "127.0.0.1"}, "nope!"},
        {{"scan", "127.0.0.1", "--exclude", "127.0.0.0/8"}, "excluded"},
        {{"scan"}, "targets"},
        {{"scan", "127.0.0.1", "--bogus"}, "--bogus"},
        {{"scan", "127.0.0.1", "--seed", "1", "--shard", "4/3"}, "4/3"},
        {{"scan", "127.0.0.1", "--shard", "1/3"}, "--seed"},
        {{"scan", "198.18.0.0/15", "-p", "all"},
         "8589803520 host x port pairs, more than --max-targets 4294967296"},
        {{"scan", "127.0.0.1", "--umask", "99"}, "99"},
        {{"scan", "-sU", "--no-prevalence", "127.0.0.1"}, "install nmap-common"},
        {{"scan", "-p", "U:53,T:22", "127.0.0.1"}, "add -sU"},
        {{"scan", "-sU", "-sT", "-p", "U:53", "127.0.0.1"}, "T:PORTS"},
        {{"scan", "-sU", "-p", "X:53", "127.0.0.1"}, "X:"},
        {{"scan", "-sU", "-sT", "-p", "1-100", "--max-targets", "150", "127.0.0.1"}, "200 host x port pairs"},
        {{"scan", "127.0.0.1", "--show", "open/filtered"}, "open/filtered"},
        {{"lookup", "70000"}, "70000"},
        {{"lookup", "22/icmp"}, "22/icmp"},
        {{"frobnicate"}, "frobnicate"},
        {{"registry", "install", "/nonexistent/file.csv"}, "/nonexistent/file.csv"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv{ghostport_binary()};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        auto r = run(argv, std::chrono::seconds(20));
        std::string what = c.args.empty() ? "" : c.args.back();
        EXPECT_EQ(r.exit_code, 2) << what << ": " << r.err;
        EXPECT_EQ(lines(r.err), 1) << what << ": " << r.err;
        EXPECT_EQ(r.err.rfind("ghostport: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find(c.named), std::string::npos)
            << "message does not name '" << c.named << "': " << r.err;
        EXPECT_EQ(r.out, "") << what;
    }
    std::filesystem::remove(bad_registry);
    std::filesystem::remove(bad_prevalence);
}

TEST(Cli, VersionAndHelpOnEverySubcommand) {
    auto v = run({ghostport_binary(), "--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_EQ(v.out.rfind("ghostport ", 0), 0u);
    for (std::vector<std::string> sub : {std::vector<std::string>{},
                                         {"scan"},
                                         {"lookup"},
                                         {"registry"},
                                         {"registry", "update"},
                                         {"registry", "install"},
                                         {"registry", "info"}}) {
        std::vector<std::string> argv{ghostport_binary()};
        argv.insert(argv.end(), sub.begin(), sub.end());
        argv.push_back("--help");
        auto r = run(argv);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        // The usage line names the program and the subcommand path, as a man page's SYNOPSIS would.
        std::string usage = "Usage: ghostport";
        for (const auto& word : sub) usage += " " + word;
        EXPECT_NE(r.out.find(usage + " [OPTIONS]"), std::string::npos) << r.out;
    }
    auto top = run({ghostport_binary(), "--help"});
    EXPECT_NE(top.out.find("Usage: ghostport [OPTIONS] SUBCOMMAND"), std::string::npos) << top.out;
}

TEST(Cli, LookupExplainsWhy1642IsAGhost) {
    auto r = run(with_registry({ghostport_binary(), "lookup", "1642"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1642/tcp"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("isis-am"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ghost"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("reference"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("assignee"), std::string::npos) << r.out;
}

// End to end on loopback, which needs no privileges: a real listener is found, open, and labelled.
TEST(Cli, LoopbackScanReportsARealListener) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    ASSERT_EQ(listen(fd, 16), 0);
    socklen_t len = sizeof sa;
    getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    auto port = std::to_string(ntohs(sa.sin_port));
    auto r = run(with_registry(
        {ghostport_binary(), "scan", "localhost", "-p", port, "--format", "csv", "--no-progress"}));
    close(fd);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);
    bool found = false;
    for (auto& row : rows)
        if (row.at("host") == "127.0.0.1" && row.at("port") == port) {
            found = true;
            EXPECT_EQ(row.at("state"), "open");
            EXPECT_EQ(row.at("hostname"), "localhost");
            EXPECT_FALSE(row.at("scanned_at").empty());
        }
    EXPECT_TRUE(found) << r.out;
    auto table = run(with_registry({ghostport_binary(), "scan", "127.0.0.1", "-p", port, "--no-progress"}));
    EXPECT_EQ(table.exit_code, 0);
    EXPECT_NE(table.out.find("host up of 1"), std::string::npos) << table.out;
}

// --top-ports takes the N most prevalent ports; -iL - reads targets from standard input.
TEST(Cli, TopPortsAndTargetsFromStandardInput) {
    if (access("/usr/share/nmap/nmap-services", R_OK) != 0)
        GP_SKIP("nmap-common is not installed (apt-get install nmap-common)");
    auto r = run(with_registry(
                     {ghostport_binary(), "scan", "-iL", "-", "--top-ports", "10", "--format", "json", "-q"}),
                 std::chrono::seconds(30), "# loopback only\n127.0.0.1\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("\"ports_per_host\":10,"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"hosts_targeted\":1,"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"probes_done\":10,"), std::string::npos) << r.out;
}

// Three shards of one seeded scan together decide every probe exactly once (loopback only).
TEST(Cli, ShardsOfOneScanCoverItExactlyOnce) {
    std::multiset<std::string> ports;
    for (const char* shard : {"1/3", "2/3", "3/3"}) {
        auto r = run(with_registry({ghostport_binary(), "scan", "127.0.0.1", "-p", "1-300", "--seed", "7",
                                    "--shard", shard, "--show", "all", "--format", "csv", "-q"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        for (auto& row : parse_csv_report(r.out)) ports.insert(row.at("port"));
    }
    EXPECT_EQ(ports.size(), 300u);
    EXPECT_EQ(std::set<std::string>(ports.begin(), ports.end()).size(), 300u);
}

// Without raw-socket permission the default engine falls back to connect with one notice, and an explicit
// --engine syn is refused before any packet with exit 3. Runs the binary as uid/gid 65534 via setpriv.
TEST(Cli, UnprivilegedFallsBackToConnectAndRefusesSyn) {
    if (geteuid() != 0) {
        // Already unprivileged: the same checks apply without setpriv.
        GP_SKIP("needs root to drop to another uid with setpriv");
    }
    const std::vector<std::string> as_nobody = {"setpriv", "--reuid=65534", "--regid=65534",
                                                "--clear-groups"};
    auto argv = as_nobody;
    for (auto& a : with_registry(
             {ghostport_binary(), "scan", "127.0.0.1", "-p", "1-100", "--format", "csv", "--no-progress"}))
        argv.push_back(a);
    auto r = run(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("using the connect engine"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err) - (r.err.find("older than a year") != std::string::npos ? 1 : 0), 1) << r.err;

    argv.push_back("--engine");
    argv.push_back("syn");
    r = run(argv);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("CAP_NET_RAW"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
}

// Reports say what listens where: owner-only unless --umask says otherwise.
TEST(Cli, ReportFilesAreOwnerOnlyUnlessUmaskIsGiven) {
    const auto dir = std::filesystem::temp_directory_path() / ("gpt-" + std::to_string(getpid()) + "-modes");
    std::filesystem::create_directories(dir);
    namespace fs = std::filesystem;
    for (const auto& [extra, want] : std::vector<std::pair<std::vector<std::string>, fs::perms>>{
             {{}, fs::perms::owner_read | fs::perms::owner_write},
             {{"--umask", "022"},
              fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                  fs::perms::others_read}}) {
        const auto out = dir / "report.csv";
        std::vector<std::string> argv{ghostport_binary(), "scan",    "127.0.0.1", "-p", "1",
                                      "--engine",         "connect", "-q",        "-o", out.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run(with_registry(argv), std::chrono::seconds(20));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(fs::status(out).permissions(), want) << (extra.empty() ? "default" : "--umask 022");
        fs::remove(out);
    }
    fs::remove_all(dir);
}

// A connect scan of 127.0.0.1 never reports a socket that connected to itself as open: in a namespace
// whose only ephemeral port is the scanned one, connect() binds the socket to that very port and TCP's
// simultaneous open connects it to itself. Nothing listens there, so the port is closed.
TEST(Cli, ConnectScanDoesNotReportASelfConnectedSocketAsOpen) {
    if (geteuid() != 0) GP_SKIP("needs root to create a network namespace");
    const std::string ns = "gpt-" + std::to_string(getpid()) + "-self";
    struct Netns {
        std::string name;
        ~Netns() { std::system(("ip netns del " + name + " 2>/dev/null").c_str()); }
    } guard{ns};
    ASSERT_EQ(std::system(("ip netns add " + ns).c_str()), 0);
    ASSERT_EQ(std::system(("ip netns exec " + ns + " ip link set lo up").c_str()), 0);
    ASSERT_EQ(std::system(
                  ("ip netns exec " + ns + " sysctl -qw net.ipv4.ip_local_port_range='40000 40000'").c_str()),
              0);
    auto argv =
        with_registry({"ip", "netns", "exec", ns, ghostport_binary(), "scan", "127.0.0.1", "-p", "40000",
                       "--engine", "connect", "--show", "all", "--format", "csv", "--no-progress"});
    for (int round = 0; round < 3; ++round) {  // the kernel picks the same port each time: every round counts
        auto r = run(argv, std::chrono::seconds(30));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto rows = parse_csv_report(r.out);
        ASSERT_EQ(rows.size(), 1u) << r.out;
        EXPECT_EQ(rows[0].at("state"), "closed") << r.out;
    }
}
