// What the two report fuzzers do with a report they parsed: diff it against itself (the --baseline path)
// and write it back as CSV and JSON, so hostile field values also pass through the comparison and writers.
#pragma once

#include <sstream>

#include "core/diff.hpp"
#include "output/csv_sink.hpp"
#include "output/json_sink.hpp"

namespace gp_fuzz {

inline void exercise_report(const ghostport::core::Report& report) {
    using namespace ghostport;
    auto rows = report.rows;
    core::compare_with_baseline(rows, report.rows, [](const core::PortResult&) { return true; });
    std::ostringstream csv, json;
    output::write_csv(csv, report);
    output::write_json(json, report);
}

}  // namespace gp_fuzz
