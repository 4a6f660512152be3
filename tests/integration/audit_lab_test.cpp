// SPDX-License-Identifier: GPL-2.0-or-later
// Issue 4's audit in the namespace lab, once per engine: a /24 where 20 hosts are up, swept (discovery, then
// every port of the live hosts); a second sweep after one listener opens (on 1642, a ghost) and another
// closes, compared with --baseline latest:DIR and --fail-on new; then the new one allowed by --expect.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lab.hpp"

using namespace gp_test;
namespace fs = std::filesystem;

namespace {

class AuditLab : public PerEngine {};

struct TempDir {
    ScratchDir scratch{"audit", true};
    fs::path path = scratch.path();
};

std::vector<CsvRow> rows_changed(const std::vector<CsvRow>& rows, const std::string& change) {
    std::vector<CsvRow> out;
    for (const auto& r : rows)
        if (r.at("change") == change) out.push_back(r);
    return out;
}

}  // namespace

TEST_P(AuditLab, NewGhostAndGoneListenerFailTheAuditUntilExpected) {
    GP_REQUIRE_LAB();
    Lab lab(20);  // 198.18.0.10 ... 198.18.0.29; the scanner is 198.18.0.1; the rest of the /24 is empty
    lab.listen(
        {"198.18.0.10:22", "198.18.0.10:80", "198.18.0.11:443", "198.18.0.12:8080", "198.18.0.29:50000"});
    const auto closing = lab.listen({"198.18.0.11:3306"});
    TempDir dir;
    // syn sweeps every port; connect (a full TCP handshake per port) a range that holds every listener.
    const std::string ports = GetParam() == "syn" ? "1-65535" : "1-5000,8080,50000";
    const std::vector<std::string> scan{"198.18.0.0/24", "-p", ports, "--timeout", "500ms", "-q"};

    // Discovery alone finds exactly the live hosts.
    auto live = run(lab.in_scanner(args({"198.18.0.0/24", "--discovery-only", "--timeout", "500ms", "-q"})),
                    std::chrono::seconds(60));
    ASSERT_EQ(live.exit_code, 0) << live.err;
    std::set<std::string> up;
    std::istringstream lines(live.out);
    for (std::string host, rest; lines >> host && std::getline(lines, rest);) up.insert(host);
    std::set<std::string> expected_up{"198.18.0.1"};
    for (int i = 10; i < 30; ++i) expected_up.insert("198.18.0." + std::to_string(i));
    EXPECT_EQ(up, expected_up) << live.out;
    auto with = [&](std::vector<std::string> extra) {
        auto argv = scan;
        argv.insert(argv.end(), extra.begin(), extra.end());
        return lab.in_scanner(args(argv));
    };

    // Night 1: no report yet in the folder, so nothing to compare with; the report is named by the date.
    auto first = run(with({"-o", (dir.path / "night1.csv").string(), "--baseline",
                           "latest:" + dir.path.string(), "--fail-on", "new"}),
                     std::chrono::seconds(120));
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto night1 = parse_csv_report(read_file(dir.path / "night1.csv"));
    EXPECT_EQ(keys(night1, "open"),
              (std::set<std::string>{"198.18.0.10:22", "198.18.0.10:80", "198.18.0.11:443",
                                     "198.18.0.11:3306", "198.18.0.12:8080", "198.18.0.29:50000"}));

    // Night 2: 3306 closed, 1642 opened.
    lab.stop_listening(closing);
    lab.listen({"198.18.0.12:1642"});
    auto second = run(with({"-o", (dir.path / "night2.csv").string(), "--baseline",
                            "latest:" + dir.path.string(), "--fail-on", "new"}),
                      std::chrono::seconds(120));
    EXPECT_EQ(second.exit_code, 1) << second.err;
    EXPECT_NE(second.err.find("finding: 198.18.0.12 1642/tcp isis-am"), std::string::npos) << second.err;
    const auto night2 = parse_csv_report(read_file(dir.path / "night2.csv"));
    const auto added = rows_changed(night2, "new");
    ASSERT_EQ(added.size(), 1u) << read_file(dir.path / "night2.csv");
    EXPECT_EQ(added[0].at("host") + ":" + added[0].at("port"), "198.18.0.12:1642");
    EXPECT_NE(added[0].at("labels").find("ghost"), std::string::npos);
    const auto gone = rows_changed(night2, "gone");
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0].at("host") + ":" + gone[0].at("port"), "198.18.0.11:3306");
    EXPECT_EQ(gone[0].at("state"), "closed");
    EXPECT_EQ(rows_changed(night2, "unchanged").size(), 5u);

    // The same comparison with the new listener in the allowlist: expected, not a finding.
    const auto expect = dir.path / "expected.txt";
    std::ofstream(expect) << "# the isis-am test rig\n198.18.0.12 1642/tcp lab rig\n";
    auto third = run(with({"--format", "csv", "--baseline", (dir.path / "night1.csv").string(), "--expect",
                           expect.string(), "--fail-on", "new"}),
                     std::chrono::seconds(120));
    EXPECT_EQ(third.exit_code, 0) << third.err;
    const auto night3 = parse_csv_report(third.out);
    const auto allowed = rows_changed(night3, "new");
    ASSERT_EQ(allowed.size(), 1u);
    EXPECT_NE(allowed[0].at("labels").find("expected"), std::string::npos);

    // diff of the two nightly reports says the same.
    auto diff = run({ghostport_binary(), "diff", (dir.path / "night1.csv").string(),
                     (dir.path / "night2.csv").string(), "--format", "csv", "--fail-on", "new,gone"});
    EXPECT_EQ(diff.exit_code, 1) << diff.err;
    const auto diffed = parse_csv_report(diff.out);
    EXPECT_EQ(rows_changed(diffed, "new").size(), 1u);
    EXPECT_EQ(rows_changed(diffed, "gone").size(), 1u);
    EXPECT_EQ(diffed.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditLab, ::testing::Values("syn", "connect"),
                         [](const auto& info) { return info.param; });
