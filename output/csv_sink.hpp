// SPDX-License-Identifier: GPL-2.0-or-later
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

// Writes the header row, the names of detail::row_field_names joined with ',':
//   host,hostname,port,proto,state,reason,port_range,service,description,known_as,registry_status,
//   prevalence,rarity,labels,rtt_ms,scanned_at,detected_service,product,version,extra_info,tls,
//   cert_subject,cert_san,cert_issuer,cert_not_after,fingerprint,cpe,banner,hosts_open
// then one record per row in sort_rows order, each line ending in "\n". proto is tcp or udp (53/tcp and
// 53/udp are two records), state open, closed, filtered, all-open or open|filtered, reason syn-ack, rst,
// no-response, unreachable, udp-response or port-unreach (core::to_string). Fields are quoted only when they
// hold a comma, quote or line break (the service's strings pass byte for byte otherwise); prevalence has up
// to 6 significant digits, rarity 1 decimal (empty when unknown: no prevalence data), rtt_ms 3 decimals,
// hosts_open a count, labels are semicolon-separated, scanned_at
// is ISO 8601 UTC with milliseconds. The service fields (ReportRow::service) are empty for a row that was
// not identified. The report's metadata is not written (the JSON summary carries it). A report compared with
// a baseline (meta.has_baseline()) has one more column after the last, change: new, gone, changed,
// unchanged, or "" (not a listener).
void write_csv(std::ostream& out, const core::Report& report);

// Reads text written by write_csv, now or by an earlier version, back into rows, in file order (CRLF or LF
// line ends, an optional UTF-8 BOM, blank lines ignored). Every layout of detail::row_field_layouts is
// accepted (16 fields: no service identification; 28; 29 with hosts_open), each with or without the change
// column; a layout without the service fields reads as rows not identified, one without hosts_open (or an
// empty one) as 0. An empty rarity (or "nan") reads as unknown. The label locally-common, which earlier
// versions wrote, is accepted and dropped. port_range must agree with the port. ServiceInfo::soft,
// cert_self_signed and conversations are not in the format and read as 0/false. Throws core::InputError "line
// N: ..." (N is the line where the record starts) for a missing or wrong header, a wrong field count, an
// unclosed quote, or a bad address, port, proto, state, reason, port_range, registry_status, number, label,
// timestamp or change.
std::vector<core::ReportRow> read_csv_report(std::string_view text);

namespace detail {

inline constexpr std::string_view change_field_name = "change";

// Which fields a record holds: the first `fields` of row_field_names (a count of row_field_layouts), then
// the change column when `change`.
struct RowLayout {
    std::size_t fields = 0;
    bool change = false;
    std::size_t columns() const { return fields + (change ? 1 : 0); }
};

// The layout a CSV header's field count (and last name) says, or nullopt when no layout has that many
// fields; the names themselves are for the caller to check.
std::optional<RowLayout> layout_of_header(const std::vector<std::string>& header);

// One record's fields (layout.columns() of them, in that layout's order) as a row; throws core::InputError
// "line N: bad FIELD ..." like read_csv_report. The JSON report reader shares it.
core::ReportRow parse_row(const std::vector<std::string>& fields, RowLayout layout, std::size_t line);

// "2026-11-22T10:00:00.123Z" (fraction optional, 1 to 9 digits) as a time point; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_timestamp_field(std::string_view text);

}  // namespace detail

}  // namespace ghostport::output
