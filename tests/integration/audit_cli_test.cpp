// SPDX-License-Identifier: GPL-2.0-or-later
// The CLI features the nightly-audit examples (examples/) rely on: --config, strftime patterns in -o,
// --baseline latest:DIR, --expect, --fail-on and `ghostport diff`. Loopback only (127.0.0.0/8) with the
// connect engine, against listeners this test opens itself; no root needed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lab.hpp"

using namespace gp_test;
namespace fs = std::filesystem;

namespace {

// A TCP port on 127.0.0.1 that the kernel picks and this test keeps: bound at once (so nothing else takes
// it; a connection to it is refused, the port is closed) and listening from listen() on (the port is open).
class LoopbackPort {
  public:
    explicit LoopbackPort(bool listening) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
        socklen_t len = sizeof sa;
        if (bound_ && getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
            port_ = std::to_string(ntohs(sa.sin_port));
        if (listening) listen();
    }
    ~LoopbackPort() {
        if (fd_ >= 0) close(fd_);
    }
    LoopbackPort(const LoopbackPort&) = delete;
    LoopbackPort& operator=(const LoopbackPort&) = delete;

    void listen() { listening_ = bound_ && ::listen(fd_, 64) == 0; }
    bool ok() const { return bound_ && !port_.empty(); }
    bool listening() const { return listening_; }
    const std::string& port() const { return port_; }

  private:
    int fd_ = -1;
    bool bound_ = false, listening_ = false;
    std::string port_;
};

// A fresh folder under the temporary directory, removed with its contents on destruction.
class TempDir {
  public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = fs::temp_directory_path() /
                ("gpt-" + std::to_string(getpid()) + "-audit-" + std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string str() const { return path_.string(); }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name) << text;
        return file(name);
    }

  private:
    fs::path path_;
};

// Standard error's lines, without the registry-age notice (the test registry may be older than a year).
std::vector<std::string> err_lines(const std::string& err) {
    std::vector<std::string> out;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);)
        if (line.find("older than a year") == std::string::npos) out.push_back(line);
    return out;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Today's local date as strftime formats it.
std::string local_date(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[64];
    return std::string(buf, std::strftime(buf, sizeof buf, format, &local));
}

// `ghostport scan` with the test registry, the connect engine and a short timeout, plus `extra`.
std::vector<std::string> loopback_scan(const std::vector<std::string>& extra) {
    auto argv = scan_args({"--engine", "connect", "--timeout", "300ms"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

std::vector<std::string> ghostport_cmd(const std::vector<std::string>& args) {
    std::vector<std::string> argv{ghostport_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

// "host:port" of every row of a CSV report, whatever its state.
std::set<std::string> all_keys(const std::vector<CsvRow>& rows) {
    std::set<std::string> out;
    for (const auto& r : rows) out.insert(r.at("host") + ":" + r.at("port"));
    return out;
}

constexpr auto limit = std::chrono::seconds(30);

}  // namespace

// Options come from the --config file (TOML, long option names as keys); an option on the command line
// wins over the file, and positional targets on the command line replace the file's `targets`.
TEST(AuditCli, ConfigFileIsAppliedAndTheCommandLineWins) {
    LoopbackPort open(true), closed(false);
    ASSERT_TRUE(open.ok() && open.listening() && closed.ok());
    TempDir dir;
    const std::string config = dir.write("scan.toml",
                                         "# a scan of two loopback ports\n"
                                         "targets = [\"127.0.0.1\"]\n"
                                         "ports = \"" +
                                             open.port() + "," + closed.port() +
                                             "\"\n"
                                             "format = \"csv\"\n"
                                             "show = [\"open\", \"closed\"]\n");
    const std::string a = "127.0.0.1:" + open.port(), b = "127.0.0.1:" + closed.port();

    auto r = run(loopback_scan({"--config", config}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);  // CSV: the file's format
    EXPECT_EQ(keys(rows, "open"), std::set<std::string>{a}) << r.out;
    EXPECT_EQ(keys(rows, "closed"), std::set<std::string>{b}) << r.out;

    // --show on the command line wins over the file's show; the file's ports and format still apply.
    r = run(loopback_scan({"--config", config, "--show", "open"}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rows = parse_csv_report(r.out);
    EXPECT_EQ(all_keys(rows), std::set<std::string>{a}) << r.out;

    // -p on the command line wins over the file's ports.
    r = run(loopback_scan({"--config", config, "-p", closed.port()}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rows = parse_csv_report(r.out);
    EXPECT_EQ(all_keys(rows), std::set<std::string>{b}) << r.out;

    // A target on the command line replaces the file's targets (it does not add to them). The listener is
    // on 127.0.0.1 only, so on 127.0.0.2 both ports are closed (the file's show lists them).
    r = run(loopback_scan({"--config", config, "127.0.0.2", "-p", open.port() + "," + closed.port()}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rows = parse_csv_report(r.out);
    EXPECT_EQ(all_keys(rows),
              (std::set<std::string>{"127.0.0.2:" + open.port(), "127.0.0.2:" + closed.port()}))
        << r.out;
}

// A config file that cannot be used stops the scan before it starts: exit 2 and one line naming it.
TEST(AuditCli, UnreadableOrMalformedConfigIsExitTwoWithOneLine) {
    TempDir dir;
    struct Case {
        std::string config;
        std::vector<std::string> named;  // the message must name one of these
    };
    const std::vector<Case> cases{
        {dir.file("missing.toml"), {"missing.toml"}},
        {dir.str(), {dir.str()}},  // a folder
        // CLI11's reader takes the rest of the line as the value; --format's check then names it.
        {dir.write("unterminated.toml", "format = \"csv\n"), {"unterminated.toml", "\"csv"}},
        {dir.write("bad-show.toml", "show = \"weird\"\n"), {"weird"}},
        {dir.write("bad-retries.toml", "retries = 99\n"), {"99"}},  // CLI11's range check
    };
    for (const auto& c : cases) {
        auto r = run(loopback_scan({"--config", c.config, "127.0.0.1", "-p", "1"}), limit);
        EXPECT_EQ(r.exit_code, 2) << c.config << ": " << r.err;
        EXPECT_EQ(err_lines(r.err).size(), 1u) << c.config << ": " << r.err;
        bool named = false;
        for (const auto& n : c.named) named = named || contains(r.err, n);
        EXPECT_TRUE(named) << "message does not name " << c.named.front() << ": " << r.err;
        EXPECT_EQ(r.out, "") << c.config;
    }
}

// A misspelt key (fail_on for fail-on) must not be ignored: a nightly audit would silently never fail.
TEST(AuditCli, UnknownConfigKeyIsExitTwoWithOneLine) {
    TempDir dir;
    const std::string config = dir.write("typo.toml", "fail_on = \"new\"\n");
    auto r = run(loopback_scan({"--config", config, "127.0.0.1", "-p", "1"}), limit);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(err_lines(r.err).size(), 1u) << r.err;
    EXPECT_TRUE(contains(r.err, "fail_on")) << r.err;
    EXPECT_EQ(r.out, "");
}

// examples/nightly-audit.toml loads, with everything that would touch the network or /var and /etc
// overridden on the command line: a loopback target, the connect engine, -o, --baseline and --expect in a
// temporary folder. Its fail-on = "new,ghost" comes from the file alone.
TEST(AuditCli, NightlyAuditExampleLoads) {
    const std::string example = std::string(GHOSTPORT_SOURCE_DIR) + "/examples/nightly-audit.toml";
    ASSERT_EQ(access(example.c_str(), R_OK), 0) << example;
    LoopbackPort first(true), second(false);
    ASSERT_TRUE(first.ok() && first.listening() && second.ok());
    TempDir dir;
    const std::string expect =
        dir.write("expected.txt", "127.0.0.1 " + first.port() + " the test's listener\n");
    // The example's targets (198.18.0.0/24) are replaced by 127.0.0.1; --exclude keeps them out even if an
    // option on the command line were ever to add to the file's targets instead.
    auto args = [&](const std::string& ports) {
        return loopback_scan({"--config", example, "127.0.0.1", "-p", ports, "--exclude", "198.18.0.0/15",
                              "-o", dir.file("r-%Y%m%d.csv"), "--baseline", "latest:" + dir.str(), "--expect",
                              expect, "-q"});
    };

    const std::string before = local_date("%Y%m%d");
    auto r = run(args(first.port() + "," + second.port()), limit);
    const std::string after = local_date("%Y%m%d");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");  // -q with -o: the report goes to the file only
    std::string report = dir.file("r-" + before + ".csv");
    if (!fs::exists(report)) report = dir.file("r-" + after + ".csv");  // the run straddled midnight
    ASSERT_TRUE(fs::exists(report)) << "no " << report;
    auto rows = parse_csv_report(read_file(report));
    EXPECT_EQ(all_keys(rows), std::set<std::string>{"127.0.0.1:" + first.port()}) << read_file(report);
    for (const auto& row : rows) EXPECT_TRUE(contains(row.at("labels"), "expected")) << row.at("labels");

    // A second night with a new listener: the newest report is the baseline, and the file's fail-on = "new"
    // makes it exit 1.
    second.listen();
    ASSERT_TRUE(second.listening());
    r = run(args(first.port() + "," + second.port()), limit);
    EXPECT_EQ(r.exit_code, 1) << r.err;
}

// -o FILE expands strftime patterns with the local date.
TEST(AuditCli, OutputPathExpandsStrftimePatterns) {
    LoopbackPort open(true);
    ASSERT_TRUE(open.ok() && open.listening());
    TempDir dir;
    const std::string before = local_date("%Y%m%d");
    auto r =
        run(loopback_scan({"127.0.0.1", "-p", open.port(), "-o", dir.file("audit-%Y%m%d.csv"), "-q"}), limit);
    const std::string after = local_date("%Y%m%d");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> written;
    for (const auto& entry : fs::directory_iterator(dir.str()))
        written.push_back(entry.path().filename().string());
    ASSERT_EQ(written.size(), 1u);
    EXPECT_TRUE(written[0] == "audit-" + before + ".csv" || written[0] == "audit-" + after + ".csv")
        << written[0];
    auto rows = parse_csv_report(read_file(dir.file(written[0])));
    EXPECT_EQ(keys(rows, "open"), std::set<std::string>{"127.0.0.1:" + open.port()});
}

// The first night: --baseline latest:DIR with no report in DIR is a one-line notice, not an error, and
// --fail-on new finds nothing to fail on.
TEST(AuditCli, BaselineLatestInAnEmptyFolderIsANotice) {
    LoopbackPort open(true);
    ASSERT_TRUE(open.ok() && open.listening());
    TempDir dir;
    auto r = run(loopback_scan({"127.0.0.1", "-p", open.port(), "--baseline", "latest:" + dir.str(),
                                "--fail-on", "new", "--format", "csv"}),
                 limit);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto lines = err_lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_TRUE(contains(lines[0], "no earlier report in " + dir.str())) << r.err;
    EXPECT_EQ(keys(parse_csv_report(r.out), "open"), std::set<std::string>{"127.0.0.1:" + open.port()});

    // -q silences the notice.
    r = run(loopback_scan({"127.0.0.1", "-p", open.port(), "--baseline", "latest:" + dir.str(), "-q"}),
            limit);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
}

// A baseline folder or report another user may write could hide a new listener: refused, exit 2.
TEST(AuditCli, BaselineLatestRefusesAFolderOrReportOthersMayWrite) {
    LoopbackPort open(true);
    ASSERT_TRUE(open.ok() && open.listening());
    TempDir dir;
    fs::permissions(dir.str(), fs::perms::others_write | fs::perms::group_write, fs::perm_options::add);
    auto r = run(loopback_scan({"127.0.0.1", "-p", open.port(), "--baseline", "latest:" + dir.str(), "-q"}),
                 limit);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "may be written by another user")) << r.err;
    EXPECT_EQ(err_lines(r.err).size(), 1u) << r.err;

    fs::permissions(dir.str(), fs::perms::others_write | fs::perms::group_write, fs::perm_options::remove);
    r = run(loopback_scan({"127.0.0.1", "-p", open.port(), "-q", "-o", dir.str() + "/night1.csv"}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::permissions(dir.str() + "/night1.csv", fs::perms::others_write, fs::perm_options::add);
    r = run(loopback_scan({"127.0.0.1", "-p", open.port(), "--baseline", "latest:" + dir.str(), "-q"}),
            limit);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "the report")) << r.err;
}

// --baseline latest:DIR compares with the newest report in DIR: a listener opened since is a finding for
// --fail-on new (named on standard error), unless --expect lists it; once a report has it, it is not new.
TEST(AuditCli, BaselineLatestPicksTheNewerReport) {
    LoopbackPort first(true), second(false);
    ASSERT_TRUE(first.ok() && first.listening() && second.ok());
    TempDir dir, other;
    const std::string ports = first.port() + "," + second.port();
    const std::string baseline = "latest:" + dir.str();

    auto r = run(loopback_scan({"127.0.0.1", "-p", ports, "-o", dir.file("r1.csv"), "-q"}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;

    second.listen();
    ASSERT_TRUE(second.listening());
    const std::string expect =
        other.write("expected.txt", "# allowlist\n127.0.0.1 " + second.port() + " opened by the test\n");
    r = run(loopback_scan({"127.0.0.1", "-p", ports, "--baseline", baseline, "--fail-on", "new", "--expect",
                           expect, "--format", "csv"}),
            limit);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& row : parse_csv_report(r.out))
        if (row.at("port") == second.port()) {
            EXPECT_TRUE(contains(row.at("labels"), "expected")) << r.out;
        }

    r = run(loopback_scan({"127.0.0.1", "-p", ports, "--baseline", baseline, "--fail-on", "new", "-o",
                           dir.file("r2.csv")}),
            limit);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "finding: 127.0.0.1 " + second.port() + "/tcp")) << r.err;
    EXPECT_TRUE(contains(r.err, "new")) << r.err;
    EXPECT_TRUE(contains(r.err, "1 finding matches --fail-on new")) << r.err;
    EXPECT_FALSE(contains(r.err, "finding: 127.0.0.1 " + first.port() + "/")) << r.err;
    ASSERT_TRUE(fs::exists(dir.file("r2.csv")));  // the report is written before the verdict

    // r2.csv is now the newest report, and it has the second listener: nothing is new.
    r = run(loopback_scan({"127.0.0.1", "-p", ports, "--baseline", baseline, "--fail-on", "new", "-q"}),
            limit);
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

// `ghostport diff OLD NEW` fails on a new listener with --fail-on new, and its CSV has the change column.
TEST(AuditCli, DiffFindsTheNewListener) {
    LoopbackPort first(true), second(false);
    ASSERT_TRUE(first.ok() && first.listening() && second.ok());
    TempDir dir;
    const std::string ports = first.port() + "," + second.port();
    auto r = run(loopback_scan({"127.0.0.1", "-p", ports, "-o", dir.file("old.csv"), "-q"}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    second.listen();
    ASSERT_TRUE(second.listening());
    r = run(loopback_scan({"127.0.0.1", "-p", ports, "-o", dir.file("new.json"), "-q"}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;

    r = run(ghostport_cmd({"diff", dir.file("old.csv"), dir.file("new.json"), "--fail-on", "new"}), limit);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "finding: 127.0.0.1 " + second.port() + "/tcp")) << r.err;

    r = run(ghostport_cmd({"diff", dir.file("old.csv"), dir.file("new.json"), "--format", "csv"}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);
    ASSERT_EQ(rows.size(), 1u) << r.out;  // the unchanged listener is left out without --unchanged
    ASSERT_TRUE(rows[0].count("change")) << r.out;
    EXPECT_EQ(rows[0].at("port"), second.port());
    EXPECT_EQ(rows[0].at("change"), "new");

    r = run(
        ghostport_cmd({"diff", dir.file("old.csv"), dir.file("new.json"), "--format", "csv", "--unchanged"}),
        limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rows = parse_csv_report(r.out);
    ASSERT_EQ(rows.size(), 2u) << r.out;
    for (const auto& row : rows)
        EXPECT_EQ(row.at("change"), row.at("port") == first.port() ? "unchanged" : "new") << r.out;

    // The other way round the listener is gone.
    r = run(ghostport_cmd({"diff", dir.file("new.json"), dir.file("old.csv"), "--fail-on", "gone", "-q"}),
            limit);
    EXPECT_EQ(r.exit_code, 1) << r.err;
}

// `ghostport diff` of UDP reports (written by hand: no scan): only open is a listener. 53/tcp and 53/udp
// are two listeners; closed -> open|filtered is changed and never fails --fail-on new; open|filtered ->
// open does; --expect 161/udp covers only the UDP row.
TEST(AuditCli, DiffOfUdpReportsCountsOnlyOpenAsAListener) {
    TempDir dir;
    const std::string header =
        "host,hostname,port,proto,state,reason,port_range,service,description,known_as,registry_status,"
        "prevalence,rarity,labels,rtt_ms,scanned_at\n";
    auto line = [](std::string port, std::string proto, std::string state, std::string reason) {
        return "198.18.0.5,," + port + "," + proto + "," + state + "," + reason +
               ",well-known,x,x,,assigned,0.1,1.0,privileged,0.000,2026-11-22T10:00:00.000Z\n";
    };
    std::ofstream(dir.file("old.csv"))
        << header << line("53", "tcp", "open", "syn-ack") << line("53", "udp", "closed", "port-unreach")
        << line("161", "udp", "open|filtered", "no-response");
    std::ofstream(dir.file("quiet.csv"))
        << header << line("53", "tcp", "open", "syn-ack") << line("53", "udp", "open|filtered", "no-response")
        << line("161", "udp", "open|filtered", "no-response");
    std::ofstream(dir.file("open.csv"))
        << header << line("53", "tcp", "open", "syn-ack") << line("53", "udp", "open|filtered", "no-response")
        << line("161", "udp", "open", "udp-response");

    auto r = run(ghostport_cmd({"diff", dir.file("old.csv"), dir.file("quiet.csv"), "--fail-on", "new",
                                "--format", "csv"}),
                 limit);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto rows = parse_csv_report(r.out);
    ASSERT_EQ(rows.size(), 1u) << r.out;
    EXPECT_EQ(rows[0].at("proto"), "udp");
    EXPECT_EQ(rows[0].at("state"), "open|filtered");
    EXPECT_EQ(rows[0].at("change"), "changed");

    r = run(ghostport_cmd({"diff", dir.file("quiet.csv"), dir.file("open.csv"), "--fail-on", "new", "-q"}),
            limit);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.err, "finding: 198.18.0.5 161/udp")) << r.err;
    EXPECT_FALSE(contains(r.err, "/tcp")) << r.err;

    std::ofstream(dir.file("expect.txt")) << "198.18.0.5 161/udp snmp agent\n";
    r = run(ghostport_cmd({"diff", dir.file("quiet.csv"), dir.file("open.csv"), "--fail-on", "new",
                           "--expect", dir.file("expect.txt"), "-q"}),
            limit);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::ofstream(dir.file("expect.txt")) << "198.18.0.5 161 snmp over tcp\n";
    r = run(ghostport_cmd({"diff", dir.file("quiet.csv"), dir.file("open.csv"), "--fail-on", "new",
                           "--expect", dir.file("expect.txt"), "-q"}),
            limit);
    EXPECT_EQ(r.exit_code, 1) << "a tcp line does not cover 161/udp: " << r.err;
}

// Bad audit input is exit 2 and one line naming it, before any scan.
TEST(AuditCli, BadAuditInputIsExitTwoWithOneLineNamingIt) {
    TempDir dir;
    auto r = run(loopback_scan({"127.0.0.1", "-p", "1", "-o", dir.file("report.csv"), "-q"}), limit);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string report = dir.file("report.csv");
    const std::string not_report = dir.write("notes.txt", "hello, world\nthis is not a report\n");
    const std::string bad_expect = dir.write("bad-expect.txt", "127.0.0.1 http-alt\n");
    struct Case {
        std::vector<std::string> argv;
        std::string named;  // what the message must name
    };
    const std::vector<Case> cases{
        {ghostport_cmd({"diff", dir.file("missing.csv"), report}), dir.file("missing.csv")},
        {ghostport_cmd({"diff", report, dir.file("missing.json")}), dir.file("missing.json")},
        {ghostport_cmd({"diff", not_report, report}), not_report},
        {ghostport_cmd({"diff", report, dir.str()}), dir.str()},
        {ghostport_cmd({"diff", report, report, "--fail-on", "bogus"}), "bogus"},
        {ghostport_cmd({"diff", report, report, "--fail-on", "unexpected"}), "--expect"},
        {ghostport_cmd({"diff", report, report, "--expect", bad_expect}), bad_expect},
        {ghostport_cmd({"diff", report}), "new"},
        {loopback_scan({"127.0.0.1", "-p", "1", "--fail-on", "new"}), "--baseline"},
        {loopback_scan({"127.0.0.1", "-p", "1", "--fail-on", "gone,ghost"}), "--baseline"},
        {loopback_scan({"127.0.0.1", "-p", "1", "--fail-on", "unexpected"}), "--expect"},
        {loopback_scan({"127.0.0.1", "-p", "1", "--fail-on", "rarity>=11"}), "rarity>=11"},
        {loopback_scan({"127.0.0.1", "-p", "1", "--no-prevalence", "--fail-on", "rarity>=9"}),
         "needs prevalence data"},
        {loopback_scan({"127.0.0.1", "-p", "1", "--baseline", not_report}), not_report},
        {loopback_scan({"127.0.0.1", "-p", "1", "--baseline", "latest:"}), "latest:"},
        {loopback_scan({"127.0.0.1", "-p", "1", "--baseline", "latest:" + dir.file("nope")}),
         dir.file("nope")},
        {loopback_scan({"127.0.0.1", "-p", "1", "--expect", dir.file("missing.txt")}),
         dir.file("missing.txt")},
    };
    for (const auto& c : cases) {
        auto res = run(c.argv, limit);
        std::string what;
        for (std::size_t i = 1; i < c.argv.size(); ++i) what += " " + c.argv[i];
        EXPECT_EQ(res.exit_code, 2) << what << ": " << res.err;
        EXPECT_EQ(err_lines(res.err).size(), 1u) << what << ": " << res.err;
        EXPECT_EQ(res.err.rfind("ghostport: ", 0), 0u) << what << ": " << res.err;
        EXPECT_TRUE(contains(res.err, c.named))
            << what << ": message does not name '" << c.named << "': " << res.err;
        EXPECT_EQ(res.out, "") << what;
    }
}
