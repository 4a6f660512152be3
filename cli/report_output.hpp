// SPDX-License-Identifier: GPL-2.0-or-later
// Where a finished report goes: the format chosen from --format or -o's extension, written atomically to
// -o FILE (with the table echoed to standard output unless quiet), or to standard output.
#pragma once

#include <memory>
#include <string>

#include "core/report.hpp"
#include "output/atomic_file.hpp"
#include "output/format.hpp"

namespace ghostport::cli {

// --format when given (InputError when it names no format), else -o's extension, else table.
output::Format choose_format(const std::string& format_option, const std::string& output_path);

// Writes the report to `file` (then commits it) and, unless quiet, the table to standard output; without a
// file, the report in `format` to standard output. Throws core::RuntimeError when standard output fails.
void deliver_report(const core::Report& report, output::Format format,
                    std::unique_ptr<output::AtomicFile> file, bool quiet);

}  // namespace ghostport::cli
