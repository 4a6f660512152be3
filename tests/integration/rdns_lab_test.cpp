// SPDX-License-Identifier: GPL-2.0-or-later
// Reverse DNS names in the report: the scanner namespace gets its own /etc/hosts naming one lab host and a
// resolv.conf pointing at a closed local port, so names come from the lab and unnamed lookups fail fast
// without any query leaving the namespace.
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "lab.hpp"

using namespace gp_test;

namespace {

// /etc/netns/<ns>/{hosts,resolv.conf}: `ip netns exec <ns>` bind-mounts them over /etc/hosts and
// /etc/resolv.conf. The whole /etc/netns/<ns> folder is removed on destruction.
class NetnsEtc {
  public:
    NetnsEtc(const std::string& ns, const std::string& hosts, const std::string& resolv)
        : dir_(std::filesystem::path("/etc/netns") / ns) {
        if (std::filesystem::exists(dir_)) throw std::runtime_error(dir_.string() + " exists already");
        created_parent_ = !std::filesystem::exists(dir_.parent_path());
        std::filesystem::create_directories(dir_);
        write("hosts", hosts);
        write("resolv.conf", resolv);
    }
    ~NetnsEtc() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        // /etc/netns itself goes too when this lab made it and nobody else uses it (remove() keeps a
        // non-empty folder).
        if (created_parent_) std::filesystem::remove(dir_.parent_path(), ec);
    }
    NetnsEtc(const NetnsEtc&) = delete;
    NetnsEtc& operator=(const NetnsEtc&) = delete;

  private:
    void write(const std::string& file, const std::string& text) {
        std::ofstream out(dir_ / file);
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write " + (dir_ / file).string());
    }
    std::filesystem::path dir_;
    bool created_parent_ = false;
};

std::string hostname_of(const std::vector<CsvRow>& rows, const std::string& host, const std::string& port) {
    for (const auto& r : rows)
        if (r.at("host") == host && r.at("port") == port) return r.at("hostname");
    throw std::runtime_error("no row for " + host + ":" + port);
}

}  // namespace

// 198.18.0.10 is named in the namespace's /etc/hosts and 198.18.0.11 has no name: the open port's row
// carries "web1.lab.example", the unnamed host's row no name, and -n turns the lookups off.
TEST(RdnsLab, OpenPortRowsCarryTheReverseName) {
    GP_REQUIRE_LAB();
    Lab lab(2);
    NetnsEtc etc(lab.name() + "s",
                 "127.0.0.1 localhost\n"
                 "::1 localhost ip6-localhost ip6-loopback\n"
                 "198.18.0.10 web1.lab.example\n",
                 "nameserver 127.0.0.1\n"
                 "options timeout:1 attempts:1\n");
    lab.listen({"198.18.0.10:22"});

    auto start = std::chrono::steady_clock::now();
    auto r =
        run(lab.in_scanner(scan_args({"198.18.0.10-11", "-p", "22", "--format", "csv", "--show", "all"})),
            std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20)) << "rDNS stalled the scan";
    auto rows = parse_csv_report(r.out);
    ASSERT_EQ(keys(rows, "open"), (std::set<std::string>{"198.18.0.10:22"})) << r.out;
    EXPECT_EQ(hostname_of(rows, "198.18.0.10", "22"), "web1.lab.example");
    EXPECT_EQ(hostname_of(rows, "198.18.0.11", "22"), "");

    r = run(lab.in_scanner(scan_args({"198.18.0.10-11", "-p", "22", "--format", "csv", "-n"})),
            std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rows = parse_csv_report(r.out);
    ASSERT_EQ(keys(rows, "open"), (std::set<std::string>{"198.18.0.10:22"})) << r.out;
    EXPECT_EQ(hostname_of(rows, "198.18.0.10", "22"), "");
}

// A name server that never answers (an address in the lab's subnet that no host holds: its queries go
// nowhere) adds at most half a second to a scan: the report waits only briefly for unfinished lookups.
TEST(RdnsLab, ASilentResolverAddsAtMostHalfASecond) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    NetnsEtc etc(lab.name() + "s", "127.0.0.1 localhost\n",
                 "nameserver 198.18.0.250\n"
                 "options timeout:5 attempts:2\n");
    lab.listen({"198.18.0.10:22"});
    auto timed = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args{"198.18.0.10", "-p", "1-1000", "--format", "csv"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto start = std::chrono::steady_clock::now();
        auto r = run(lab.in_scanner(scan_args(args)), std::chrono::seconds(60));
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(keys(parse_csv_report(r.out), "open"), (std::set<std::string>{"198.18.0.10:22"})) << r.out;
        return s;
    };
    // The best of three runs each way, so one slow start of the machine does not decide.
    double without = 1e9, with = 1e9;
    for (int i = 0; i < 3; ++i) {
        without = std::min(without, timed({"-n"}));
        with = std::min(with, timed({}));
    }
    EXPECT_LT(with - without, 0.5) << "with reverse DNS " << with << " s, without " << without << " s";
}
