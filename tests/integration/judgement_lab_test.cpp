// SPDX-License-Identifier: GPL-2.0-or-later
// The judgement of a scan in a namespace lab (issue 14): a port shared by a fleet stays a ghost with its
// worldwide rarity, a host answering on every port is a finding, and without prevalence data the rarity is
// unknown rather than guessed.
#include <sstream>
#include <string>

#include "lab.hpp"

using namespace gp_test;

namespace {

bool has_label(const CsvRow& r, const std::string& label) {
    std::stringstream s(r.at("labels"));
    for (std::string l; std::getline(s, l, ';');)
        if (l == label) return true;
    return false;
}

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

class JudgementLab : public PerEngine {};

}  // namespace

// Five hosts, four with 1642 open (a backdoor on most of a fleet): every one of the four rows is a ghost with
// rarity >= 9, open on 4 hosts and fleet-wide; the table says "4 of 5" on one line.
TEST_P(JudgementLab, APortOnFourOfFiveHostsStaysAGhost) {
    GP_REQUIRE_LAB();
    Lab lab(5);
    lab.listen(
        {"198.18.0.10:1642", "198.18.0.11:1642", "198.18.0.12:1642", "198.18.0.13:1642", "198.18.0.14:22"});
    const auto csv = run(lab.in_scanner(args({"198.18.0.10-14", "-p", "22,1642", "--format", "csv"})));
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const auto rows = parse_csv_report(csv.out);
    std::size_t isis = 0;
    for (const auto& row : rows) {
        if (row.at("port") != "1642") continue;
        ++isis;
        SCOPED_TRACE(row.at("host"));
        EXPECT_EQ(row.at("state"), "open");
        EXPECT_TRUE(has_label(row, "ghost"));
        EXPECT_TRUE(has_label(row, "fleet-wide"));
        EXPECT_FALSE(has_label(row, "locally-common"));
        EXPECT_GE(std::stod(row.at("rarity")), 9.0);
        EXPECT_EQ(row.at("hosts_open"), "4");
    }
    EXPECT_EQ(isis, 4u);

    const auto table = run(lab.in_scanner(args({"198.18.0.10-14", "-p", "22,1642"})));
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("open on 4 of 5 hosts  1642/tcp"), std::string::npos) << table.out;
    EXPECT_EQ(count_of(table.out, "1642/tcp"), 1u) << table.out;
    for (const char* host :
         {"\n    198.18.0.10\n", "\n    198.18.0.11\n", "\n    198.18.0.12\n", "\n    198.18.0.13\n"})
        EXPECT_NE(table.out.find(host), std::string::npos) << host << table.out;
}

// A host answering on more ports than --port-threshold is one all-open row, and it is a finding: it says how
// many of its open ports would be ghosts, and --fail-on all-open and new fire on it (new even when it was
// all-open in the baseline already).
TEST_P(JudgementLab, AnAllOpenHostIsAFinding) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    // 4 (unassigned) and 1642 (almost never seen open) would be ghosts; 22, 80, 443 would not.
    lab.listen({"198.18.0.10:4", "198.18.0.10:22", "198.18.0.10:80", "198.18.0.10:443", "198.18.0.10:1642"});
    ScratchDir dir("judge-allopen");
    const std::vector<std::string> scan{"198.18.0.10", "-p", "1-1700", "--port-threshold", "3"};

    auto extra = scan;
    extra.insert(extra.end(), {"-o", dir / "base.csv", "--fail-on", "all-open"});
    const auto first = run(lab.in_scanner(args(extra)));
    EXPECT_EQ(first.exit_code, 1) << first.err;
    EXPECT_NE(first.err.find("finding: 198.18.0.10 all ports"), std::string::npos) << first.err;
    const auto rows = parse_csv_report(read_file(dir / "base.csv"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("state"), "all-open");
    EXPECT_NE(rows[0].at("description").find("answered SYN-ACK on 5 of 1700 tcp ports"), std::string::npos)
        << rows[0].at("description");
    EXPECT_NE(rows[0].at("description").find("2 of the 5 open ports seen would be ghosts"), std::string::npos)
        << rows[0].at("description");

    extra = scan;
    extra.insert(extra.end(), {"--format", "csv", "--baseline", dir / "base.csv", "--fail-on", "new"});
    const auto again = run(lab.in_scanner(args(extra)));
    EXPECT_EQ(again.exit_code, 1) << again.err;
    EXPECT_NE(again.err.find("all-open"), std::string::npos) << again.err;

    extra = scan;
    extra.insert(extra.end(), {"--format", "csv"});
    EXPECT_EQ(run(lab.in_scanner(args(extra))).exit_code, 0) << "no --fail-on: no finding asked for";
}

// Without prevalence data: the rarity is unknown (empty in CSV, null in JSON, "-" in the table), only the
// registry makes a ghost, one line says why and how to get the data, and --fail-on rarity>=N is refused.
TEST_P(JudgementLab, WithoutThePrevalenceFileTheRarityIsUnknown) {
    GP_REQUIRE_LAB();
    Lab lab(1);
    lab.listen({"198.18.0.10:4", "198.18.0.10:1642"});
    const std::vector<std::string> scan{"198.18.0.10", "-p", "4,1642", "--no-prevalence"};

    auto extra = scan;
    extra.insert(extra.end(), {"--format", "csv"});
    const auto csv = run(lab.in_scanner(args(extra)));
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(count_of(csv.err, "no prevalence data"), 1u) << csv.err;
    EXPECT_NE(csv.err.find("install nmap-common or pass --prevalence FILE"), std::string::npos) << csv.err;
    const auto rows = parse_csv_report(csv.out);
    ASSERT_EQ(rows.size(), 2u);
    for (const auto& row : rows) {
        SCOPED_TRACE(row.at("port"));
        EXPECT_EQ(row.at("rarity"), "");
        EXPECT_EQ(has_label(row, "ghost"), row.at("port") == "4");  // unassigned; 1642's p is not guessed
    }

    extra = scan;
    extra.insert(extra.end(), {"--format", "json"});
    const auto json = run(lab.in_scanner(args(extra)));
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_EQ(count_of(json.out, "\"rarity\":null"), 2u) << json.out;

    const auto table = run(lab.in_scanner(args(scan)));
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("prevalence: none: rarity unknown"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("-  ghost;unassigned;privileged"), std::string::npos) << table.out;

    extra = scan;
    extra.insert(extra.end(), {"--fail-on", "rarity>=9"});
    const auto refused = run(lab.in_scanner(args(extra)));
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("--fail-on rarity>=N needs prevalence data"), std::string::npos)
        << refused.err;
}

INSTANTIATE_TEST_SUITE_P(Engines, JudgementLab, ::testing::Values("syn", "connect"),
                         [](const auto& info) { return info.param; });
