// SPDX-License-Identifier: GPL-2.0-or-later
// Shards of one seeded scan, merged with `ghostport merge`, equal the unsharded scan; --shard auto takes K/N
// from Slurm's or Kubernetes' variables; merge refuses reports of other scans. Loopback only (127.0.0.0/8),
// with the connect engine, so no namespace and no privilege is needed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "lab.hpp"

using namespace gp_test;

namespace {

namespace fs = std::filesystem;

int lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// A listening socket on 127.0.0.1:port, or -1 when the port is taken.
int listen_on(std::uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || listen(fd, 64) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// The first port the kernel hands out for outgoing connections (ip_local_port_range), 32768 by default.
unsigned ephemeral_low() {
    std::ifstream f("/proc/sys/net/ipv4/ip_local_port_range");
    unsigned low = 32768;
    f >> low;
    return low;
}

// host:port -> "state service rarity" of a CSV report's rows.
std::map<std::string, std::string> summary(const std::string& csv) {
    std::map<std::string, std::string> out;
    for (const auto& row : parse_csv_report(csv))
        out[row.at("host") + ":" + row.at("port")] =
            row.at("state") + " " + row.at("service") + " " + row.at("rarity");
    return out;
}

// argv run under /usr/bin/env with the scheduler variables cleared and then `vars` set.
std::vector<std::string> with_env(const std::vector<std::string>& vars,
                                  const std::vector<std::string>& argv) {
    std::vector<std::string> out{"/usr/bin/env"};
    for (const char* name :
         {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "JOB_COMPLETION_INDEX"})
        out.insert(out.end(), {"-u", name});
    out.insert(out.end(), vars.begin(), vars.end());
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
}

class ShardMerge : public ::testing::Test {
  protected:
    static constexpr int window = 200;  // ports scanned per host

    // Three listeners on 127.0.0.1 within a window of ports below the ephemeral range (a connect scan of
    // ephemeral ports on loopback can connect a socket to itself); the whole window is scanned on 127.0.0.1
    // (three open, the rest closed) and 127.0.0.2 (all closed: the listeners are bound to 127.0.0.1).
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("gpt-merge-" + std::to_string(getpid()));
        fs::create_directories(dir_);
        const unsigned top = std::min(ephemeral_low(), 65536u) - window;
        for (unsigned base = 20000 + 211 * (getpid() % 40); base < top && fds_.empty(); base += 997) {
            for (unsigned offset : {11u, 97u, 180u}) {
                const int fd = listen_on(static_cast<std::uint16_t>(base + offset));
                if (fd < 0) break;
                fds_.push_back(fd);
            }
            if (fds_.size() == 3) {
                first_port_ = base;
                break;
            }
            for (int fd : fds_) close(fd);
            fds_.clear();
        }
        ASSERT_EQ(fds_.size(), 3u) << "no free window of ports for the listeners";
        const auto whole = run(scan({"--format", "csv"}));
        ASSERT_EQ(whole.exit_code, 0) << whole.err;
        whole_ = summary(whole.out);
    }

    static void TearDownTestSuite() {
        for (int fd : fds_) close(fd);
        fds_.clear();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    void SetUp() override {
        ASSERT_TRUE(fds_.size() == 3 && whole_.size() == 2 * window)
            << "set-up failed: the listeners or the whole-scan report are missing";
    }

    // `ghostport scan` of both hosts over the window, every state shown, with `extra` arguments.
    static std::vector<std::string> scan(std::vector<std::string> extra, std::uint64_t seed = 42) {
        std::vector<std::string> args{
            "127.0.0.1", "127.0.0.2",
            "-p",        std::to_string(first_port_) + "-" + std::to_string(first_port_ + window - 1),
            "--engine",  "connect",
            "--timeout", "300ms",
            "--retries", "0",
            "--seed",    std::to_string(seed),
            "--show",    "all",
            "-q"};
        args.insert(args.end(), extra.begin(), extra.end());
        return scan_args(args);
    }

    // Runs a scan writing a JSON shard report to FILE (in the test's folder); returns its path.
    static std::string shard_report(const std::string& file, std::vector<std::string> extra,
                                    const std::vector<std::string>& env = {}, std::uint64_t seed = 42) {
        const std::string path = (dir_ / file).string();
        extra.insert(extra.end(), {"-o", path});
        auto argv = scan(std::move(extra), seed);
        const auto r = run(env.empty() ? argv : with_env(env, argv));
        EXPECT_EQ(r.exit_code, 0) << file << ": " << r.err;
        return path;
    }

    static RunResult merge(const std::vector<std::string>& args) {
        std::vector<std::string> argv{ghostport_binary(), "merge"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(with_registry(argv));
    }

    // Merges the reports to CSV and expects the whole scan's rows.
    static void expect_merge_is_whole_scan(const std::vector<std::string>& reports) {
        auto args = reports;
        args.insert(args.end(), {"--format", "csv", "-q"});
        const auto r = merge(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.err, "");
        const auto merged = summary(r.out);
        EXPECT_EQ(merged.size(), 2u * window);
        EXPECT_EQ(merged, whole_);
        int open = 0;
        for (const auto& [key, what] : merged) open += what.starts_with("open ");
        EXPECT_EQ(open, 3);
    }

    static inline fs::path dir_;
    static inline std::vector<int> fds_;
    static inline unsigned first_port_ = 0;
    static inline std::map<std::string, std::string> whole_;
};

}  // namespace

TEST_F(ShardMerge, ThreeShardsMergedAreTheWholeScan) {
    std::vector<std::string> reports;
    for (const char* k : {"1", "2", "3"})
        reports.push_back(shard_report(std::string("k") + k + ".json", {"--shard", std::string(k) + "/3"}));
    expect_merge_is_whole_scan(reports);

    // The merged JSON report is the whole scan: no shard, not partial, every probe done.
    auto args = reports;
    args.insert(args.end(), {"--format", "json", "-q"});
    const auto r = merge(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("\"shard\":\"\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"partial\":false"), std::string::npos) << r.out;
    for (const char* field : {"probes_planned", "probes_done"})
        EXPECT_NE(r.out.find(fmt::format("\"{}\":{},", field, 2 * window)), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("--shard"), std::string::npos) << "the merged command line keeps --shard";
}

TEST_F(ShardMerge, ShardAutoFromASlurmJobArray) {
    std::vector<std::string> reports;
    for (int id = 0; id < 3; ++id)
        reports.push_back(
            shard_report("slurm" + std::to_string(id) + ".json", {"--shard", "auto"},
                         {"SLURM_ARRAY_TASK_ID=" + std::to_string(id), "SLURM_ARRAY_TASK_COUNT=3"}));
    for (int id = 0; id < 3; ++id)
        EXPECT_NE(read_file(reports[id]).find("\"shard\":\"" + std::to_string(id + 1) + "/3\""),
                  std::string::npos)
            << reports[id];
    expect_merge_is_whole_scan(reports);
}

TEST_F(ShardMerge, ShardAutoFromAKubernetesIndexedJob) {
    std::vector<std::string> reports;
    for (int index = 0; index < 3; ++index)
        reports.push_back(shard_report("k8s" + std::to_string(index) + ".json", {"--shard", "auto/3"},
                                       {"JOB_COMPLETION_INDEX=" + std::to_string(index)}));
    expect_merge_is_whole_scan(reports);
}

TEST_F(ShardMerge, RefusesReportsOfOtherScans) {
    const auto one = shard_report("r1.json", {"--shard", "1/3"});
    const auto two = shard_report("r2.json", {"--shard", "2/3"});
    const auto other_seed = shard_report("r2-seed43.json", {"--shard", "2/3"}, {}, 43);
    const auto two_again = shard_report("r2-again.json", {"--shard", "2/3"});
    const auto csv = shard_report("r3.csv", {"--shard", "3/3"});

    struct Case {
        std::vector<std::string> reports;
        std::vector<std::string> named;  // what the one-line message must name
    };
    const std::vector<Case> cases{
        {{one, other_seed}, {one, other_seed, "seed"}},
        {{one, two, two_again}, {two, two_again, "2/3"}},
        {{one, two, csv}, {csv, "--format json", "--unchecked"}},
    };
    for (const auto& c : cases) {
        const auto r = merge(c.reports);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_EQ(lines(r.err), 1) << r.err;
        EXPECT_EQ(r.err.rfind("ghostport: ", 0), 0u) << r.err;
        for (const auto& word : c.named) EXPECT_NE(r.err.find(word), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "");
    }

    // --unchecked merges the CSV shard's rows anyway: all three shards, so the whole scan.
    auto args = std::vector<std::string>{one, two, csv, "--unchecked", "--format", "csv", "-q"};
    const auto r = merge(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(summary(r.out), whole_);
}

TEST_F(ShardMerge, AMissingShardMakesThePartialReport) {
    const auto one = shard_report("m1.json", {"--shard", "1/3"});
    const auto three = shard_report("m3.json", {"--shard", "3/3"});
    const std::string out = (dir_ / "merged.json").string();
    const auto r = merge({one, three, "-o", out, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("2/3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("partial"), std::string::npos) << r.err;
    const std::string report = read_file(out);
    EXPECT_NE(report.find("\"partial\":true"), std::string::npos) << report;
    EXPECT_NE(report.find("\"shard\":\"1,3/3\""), std::string::npos) << report;
}
