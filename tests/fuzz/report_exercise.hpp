// SPDX-License-Identifier: GPL-2.0-or-later
// What the two report fuzzers do with a report they parsed: diff it against itself (the --baseline path)
// and write it in every format, so hostile field values also pass through the comparison and every sink.
#pragma once

#include <sstream>

#include "core/diff.hpp"
#include "output/format.hpp"

namespace gp_fuzz {

inline void exercise_report(const ghostport::core::Report& report) {
    using namespace ghostport;
    auto rows = report.rows;
    core::compare_with_baseline(rows, report.rows, [](const core::PortResult&) { return true; });
    for (output::Format f : {output::Format::table, output::Format::csv, output::Format::json,
                             output::Format::xml, output::Format::html}) {
        std::ostringstream out;
        output::write_report(out, report, f, output::TableOptions{.color = true, .show_state = true});
    }
}

}  // namespace gp_fuzz
