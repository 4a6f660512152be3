// SPDX-License-Identifier: GPL-2.0-or-later
// Reading an earlier report back from a file (CSV or JSON, told apart by content), and finding the newest
// report in a folder: the inputs of --baseline, `ghostport diff` and `ghostport merge`.
#pragma once

#include <optional>
#include <string>

#include "core/report.hpp"

namespace ghostport::output {

// Reads FILE as a JSON report when its first non-blank character is '{', else as a CSV report (which has no
// metadata: meta stays default). Errors are core::InputError "FILE: line N: ...", or "FILE: cannot read it"
// for a missing or unreadable file, "FILE: empty" for an empty one.
core::Report read_report_file(const std::string& path);

// The newest report in DIR: the regular file named *.csv, *.json or *.jsonl (never *.partial or a temporary
// file) with the latest modification time, the name breaking ties. nullopt when DIR holds none; InputError
// when DIR cannot be read.
std::optional<std::string> newest_report_in(const std::string& dir);

}  // namespace ghostport::output
