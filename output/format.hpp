// SPDX-License-Identifier: GPL-2.0-or-later
// The output formats by name, and the one place that maps a format to its sink.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

#include "core/report.hpp"
#include "output/table.hpp"

namespace ghostport::output {

enum class Format { table, csv, json, xml, html };

// The format named exactly "table", "csv", "json", "xml" or "html"; nullopt for anything else (no case
// folding).
std::optional<Format> parse_format(std::string_view name);

// The format a report file's extension implies: .csv, .json/.jsonl, .xml, .html/.htm; nullopt otherwise.
std::optional<Format> format_of_path(std::string_view path);

// The name parse_format accepts for the format.
std::string_view to_string(Format format);

// Writes the whole report to out in the format (rows sorted with sort_rows); table_options apply to the
// table format only. Stream errors are left in out's state for the caller to check.
void write_report(std::ostream& out, const core::Report& report, Format format,
                  const TableOptions& table_options = {});

}  // namespace ghostport::output
