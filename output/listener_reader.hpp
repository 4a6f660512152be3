// SPDX-License-Identifier: GPL-2.0-or-later
// Reading a listener report back (CSV or JSON Lines, as write_listener_csv/json wrote it): the baseline of
// `ghostport listeners --baseline` and the inputs of `ghostport diff` when they are listener reports.
#pragma once

#include <string>
#include <string_view>

#include "core/listener_report.hpp"

namespace ghostport::output {

// Whether the text is a listener report: its first non-blank line (after an optional UTF-8 BOM) is a JSON
// object whose record is "listener", "forwarded" or "listener_summary", or a CSV header starting
// "proto,address,port,pid,". A scan report is not.
bool is_listener_report(std::string_view text);

// Reads a listener report. CSV: the header must start with listener_field_names (then change,change_detail
// and outside as written, in any order after them); names are unescaped (core::unescape_name), an exe ending
// in " (deleted)" is marked deleted; the metadata stays default. JSON: the rows, forwarded ports and the
// summary's metadata. Throws core::InputError "line N: ..." for a bad header, field count, address, port,
// proto, pid, label or record, or a JSON report without its summary.
core::ListenerReport read_listener_report(std::string_view text);

// Reads FILE (errors prefixed with "FILE: "; "FILE: cannot read it" when it cannot be read).
core::ListenerReport read_listener_report_file(const std::string& path);

// Whether FILE is a listener report (false when it cannot be read: the caller's reader says why).
bool is_listener_report_file(const std::string& path);

}  // namespace ghostport::output
