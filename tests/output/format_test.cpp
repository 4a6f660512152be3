// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/format.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "output/csv_sink.hpp"
#include "output/json_sink.hpp"
#include "sample_report.hpp"

using ghostport::output::Format;
using ghostport::output::parse_format;

TEST(Format, ParsesTheFiveNames) {
    EXPECT_EQ(parse_format("table"), Format::table);
    EXPECT_EQ(parse_format("csv"), Format::csv);
    EXPECT_EQ(parse_format("json"), Format::json);
    EXPECT_EQ(parse_format("xml"), Format::xml);
    EXPECT_EQ(parse_format("html"), Format::html);
    for (Format f : {Format::table, Format::csv, Format::json, Format::xml, Format::html})
        EXPECT_EQ(parse_format(ghostport::output::to_string(f)), f);
}

TEST(Format, RejectsOtherNames) {
    EXPECT_EQ(parse_format(""), std::nullopt);
    EXPECT_EQ(parse_format("CSV"), std::nullopt);
    EXPECT_EQ(parse_format("jsonl"), std::nullopt);
    EXPECT_EQ(parse_format(" table"), std::nullopt);
    EXPECT_EQ(parse_format("XML"), std::nullopt);
    EXPECT_EQ(parse_format("htm"), std::nullopt);
}

TEST(Format, FromTheFileExtension) {
    using ghostport::output::format_of_path;
    EXPECT_EQ(format_of_path("/var/lib/ghostport/audit-20261201.csv"), Format::csv);
    EXPECT_EQ(format_of_path("r.json"), Format::json);
    EXPECT_EQ(format_of_path("r.jsonl"), Format::json);
    EXPECT_EQ(format_of_path("r.xml"), Format::xml);
    EXPECT_EQ(format_of_path("review.html"), Format::html);
    EXPECT_EQ(format_of_path("review.htm"), Format::html);
    EXPECT_EQ(format_of_path("report"), std::nullopt);
    EXPECT_EQ(format_of_path(".csv"), std::nullopt);
    EXPECT_EQ(format_of_path("dir.csv/report"), std::nullopt);
    EXPECT_EQ(format_of_path(""), std::nullopt);
}

TEST(Format, WriteReportDispatchesToTheSink) {
    const auto report = ghostport::output::test::sample_report();
    const ghostport::output::TableOptions opt{.color = false, .show_state = true};
    std::ostringstream direct_csv, direct_json, direct_table, csv, json, table;
    ghostport::output::write_csv(direct_csv, report);
    ghostport::output::write_json(direct_json, report);
    ghostport::output::write_table(direct_table, report, opt);
    ghostport::output::write_report(csv, report, Format::csv);
    ghostport::output::write_report(json, report, Format::json);
    ghostport::output::write_report(table, report, Format::table, opt);
    EXPECT_EQ(csv.str(), direct_csv.str());
    EXPECT_EQ(json.str(), direct_json.str());
    EXPECT_EQ(table.str(), direct_table.str());
}
