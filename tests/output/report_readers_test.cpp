// The readers of earlier reports: the JSON reader, the CSV change column, and report files in a folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/errors.hpp"
#include "output/csv_sink.hpp"
#include "output/json_sink.hpp"
#include "output/order.hpp"
#include "output/report_file.hpp"
#include "sample_report.hpp"

using namespace ghostport;
using namespace ghostport::output;
namespace fs = std::filesystem;

namespace {

std::string json_of(const core::Report& r) {
    std::ostringstream out;
    write_json(out, r);
    return out.str();
}

std::string csv_of(const core::Report& r) {
    std::ostringstream out;
    write_csv(out, r);
    return out.str();
}

core::Report with_baseline(core::Report r) {
    r.meta.baseline_source = "/var/lib/ghostport/audit-20261130.csv";
    r.meta.baseline_started_at = test::at(9, 0, 0, 0);
    r.meta.added = 1;
    r.meta.unchanged = 3;
    r.rows[0].change = core::Change::unchanged;
    r.rows[1].change = core::Change::unchanged;
    r.rows[2].change = core::Change::unchanged;
    r.rows[3].change = core::Change::added;
    r.rows[3].change_detail = "was closed";
    r.rows[3].label.labels |= core::label_expected;
    r.rows[3].expect_note = "the test rig";
    r.meta.expected = 1;
    return r;
}

std::string error_of(auto&& fn) {
    try {
        fn();
    } catch (const core::InputError& e) {
        return e.what();
    }
    return "no error";
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("gp-readers-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

}  // namespace

TEST(JsonReader, RoundTripsRowsAndSummary) {
    const auto original = with_baseline(test::sample_report());
    const core::Report back = read_json_report(json_of(original));
    EXPECT_EQ(json_of(back), json_of(original)) << "rows and every summary field survive a round trip";
    EXPECT_EQ(back.meta.seed, original.meta.seed);
    EXPECT_EQ(back.meta.started_at, original.meta.started_at);
    EXPECT_EQ(back.rows.size(), 4u);
}

TEST(JsonReader, RoundTripsAReportWithoutBaseline) {
    const auto original = test::sample_report();
    EXPECT_EQ(json_of(read_json_report(json_of(original))), json_of(original));
}

TEST(JsonReader, BadInputSaysWhichLine) {
    const std::string good = json_of(test::sample_report());
    EXPECT_EQ(error_of([] { read_json_report("{\"record\":\"port\"\n"); }), "line 1: not a JSON object");
    EXPECT_EQ(error_of([] { read_json_report("[1,2]\n"); }), "line 1: a JSON value that is not an object");
    EXPECT_EQ(error_of([] { read_json_report("{\"record\":\"port\",\"host\":\"198.18.0.1\"}\n"); }),
              "line 1: no \"hostname\" in the port record");
    EXPECT_EQ(error_of([] { read_json_report("{\"record\":\"nope\"}\n"); }),
              "line 1: record is not \"port\" or \"summary\" (not a ghostport JSON report)");
    // Truncated: the summary line is missing.
    const std::string truncated = good.substr(0, good.rfind("{\"record\":\"summary\""));
    EXPECT_EQ(error_of([&] { read_json_report(truncated); }),
              "no summary record: the JSON report is truncated or not ghostport's");
    EXPECT_EQ(error_of([&] { read_json_report(good + good); }), "line 6: a record after the summary");
    std::string bad_port = good;
    bad_port.replace(bad_port.find("\"port\":22"), 9, "\"port\":\"x\"");
    EXPECT_NE(error_of([&] { read_json_report(bad_port); }).find("bad port"), std::string::npos);
}

TEST(CsvChangeColumn, WrittenOnlyWithABaselineAndReadBack) {
    EXPECT_EQ(csv_of(test::sample_report()).find(",change\n"), std::string::npos);
    const auto original = with_baseline(test::sample_report());
    const std::string text = csv_of(original);
    EXPECT_NE(text.find(",scanned_at,change\n"), std::string::npos);
    EXPECT_NE(text.find(",new\n"), std::string::npos);
    const auto rows = read_csv_report(text);
    ASSERT_EQ(rows.size(), 4u);
    std::size_t added = 0;
    for (const auto& r : rows) added += r.change == core::Change::added;
    EXPECT_EQ(added, 1u);
    std::string bad = text;
    bad.replace(bad.find(",new\n"), 5, ",newer\n");
    EXPECT_NE(error_of([&] { read_csv_report(bad); }).find("bad change \"newer\""), std::string::npos);
}

TEST(ReportFile, TellsJsonFromCsvByContent) {
    TempDir dir;
    const auto json_path = dir.write("a.report", json_of(test::sample_report()));
    const auto csv_path = dir.write("b.report", csv_of(test::sample_report()));
    EXPECT_EQ(read_report_file(json_path).meta.engine, "connect");
    EXPECT_EQ(read_report_file(csv_path).rows.size(), 4u);
    EXPECT_EQ(read_report_file(csv_path).meta.engine, "");
    const auto empty = dir.write("empty.csv", "\n  \n");
    EXPECT_EQ(error_of([&] { read_report_file(empty); }), empty + ": empty, not a report");
    const auto bad = dir.write("bad.csv", "host,port\n");
    EXPECT_EQ(error_of([&] { read_report_file(bad); }),
              bad + ": line 1: header has 2 fields, expected 16 (not a ghostport CSV report)");
    EXPECT_EQ(error_of([&] { read_report_file((dir.path / "missing.csv").string()); }),
              (dir.path / "missing.csv").string() + ": cannot read it");
    EXPECT_EQ(error_of([&] { read_report_file(dir.path.string()); }),
              dir.path.string() + ": a directory, not a report");
}

TEST(ReportFile, NewestReportInAFolder) {
    TempDir dir;
    EXPECT_EQ(newest_report_in(dir.path.string()), std::nullopt);
    const auto old_one = dir.write("audit-20261129.csv", "x");
    const auto new_one = dir.write("audit-20261130.json", "x");
    dir.write("audit-20261201.csv.partial", "x");
    dir.write(".audit-20261201.csv.tmp-1234", "x");
    dir.write("notes.txt", "x");
    fs::create_directory(dir.path / "sub.csv");
    const auto now = fs::file_time_type::clock::now();
    fs::last_write_time(old_one, now - std::chrono::hours(48));
    fs::last_write_time(new_one, now - std::chrono::hours(24));
    fs::last_write_time(dir.path / "audit-20261201.csv.partial", now);
    EXPECT_EQ(newest_report_in(dir.path.string()), new_one);
    EXPECT_NE(
        error_of([&] { newest_report_in((dir.path / "nope").string()); }).find("cannot list the folder"),
        std::string::npos);
}
