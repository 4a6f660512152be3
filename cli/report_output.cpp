// SPDX-License-Identifier: GPL-2.0-or-later
// Where a finished report goes: a file written atomically, standard output, or both.
#include "cli/report_output.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "core/errors.hpp"

namespace ghostport::cli {

namespace {

void write_report(std::ostream& out, output::Format format, const core::Report& report, bool color) {
    output::TableOptions t;
    t.color = color;
    t.show_state = std::any_of(report.rows.begin(), report.rows.end(),
                               [](auto& r) { return r.result.state != core::PortState::open; });
    output::write_report(out, report, format, t);
}

}  // namespace

output::Format choose_format(const std::string& format_option, const std::string& output_path) {
    if (!format_option.empty()) {
        if (auto f = output::parse_format(format_option)) return *f;
        throw core::InputError(
            fmt::format("bad --format '{}': use table, csv, json, xml or html", format_option));
    }
    return output::format_of_path(output_path).value_or(output::Format::table);
}

void deliver_report(const core::Report& report, output::Format format,
                    std::unique_ptr<output::AtomicFile> file, bool quiet) {
    if (file) {
        write_report(file->stream(), format, report, false);
        file->commit();
        if (!quiet) write_report(std::cout, output::Format::table, report, isatty(STDOUT_FILENO));
    } else {
        write_report(std::cout, format, report, format == output::Format::table && isatty(STDOUT_FILENO));
    }
    std::cout.flush();
    if (!std::cout) throw core::RuntimeError("cannot write the report to standard output");
}

}  // namespace ghostport::cli
