// The CSV report format (RFC 4180, UTF-8, one row per port): its writer, and the reader used for baselines.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"

namespace ghostport::output {

// Writes the header row
//   host,hostname,port,proto,state,reason,port_range,service,description,known_as,registry_status,
//   prevalence,rarity,labels,rtt_ms,scanned_at
// then one record per row in sort_rows order, each line ending in "\n". Fields are quoted only when they
// hold a comma, quote or line break; prevalence has up to 6 significant digits, rarity 1 decimal, rtt_ms
// 3 decimals, labels are semicolon-separated, scanned_at is ISO 8601 UTC with milliseconds.
// The report's metadata is not written (the JSON summary carries it). A report compared with a baseline
// (meta.has_baseline()) has a 17th column, change: new, gone, changed, unchanged, or "" (not a listener).
void write_csv(std::ostream& out, const core::Report& report);

// Reads text written by write_csv back into rows, in file order (CRLF or LF line ends, an optional UTF-8
// BOM, blank lines ignored). port_range must agree with the port. local_prevalence is not in the format
// and reads as 0. Throws core::InputError "line N: ..." (N is the line where the record starts) for a
// missing or wrong header, a wrong field count, an unclosed quote, or a bad address, port, proto, state,
// reason, port_range, registry_status, number, label or timestamp.
// The change column is read when the header has it.
std::vector<core::ReportRow> read_csv_report(std::string_view text);

namespace detail {

inline constexpr std::string_view change_field_name = "change";

// One record's fields (row_field_names order, then optionally change) as a row; throws core::InputError
// "line N: bad FIELD ..." like read_csv_report. The JSON report reader shares it.
core::ReportRow parse_row(const std::vector<std::string>& fields, std::size_t line);

// "2026-11-22T10:00:00.123Z" (fraction optional, 1 to 9 digits) as a time point; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_timestamp_field(std::string_view text);

}  // namespace detail

}  // namespace ghostport::output
