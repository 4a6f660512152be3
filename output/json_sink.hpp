// SPDX-License-Identifier: GPL-2.0-or-later
// The JSON Lines report format: one object per row, then one summary object with the scan's metadata.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/report.hpp"

namespace ghostport::output {

// Writes one JSON object per line (JSON Lines, "\n" after each), rows first in sort_rows order:
//   {"record":"port","host":...,"hostname":...,"port":1642,...,"labels":["ghost"],"rtt_ms":0.412,
//    "scanned_at":"...","detected_service":"ssh",...,"banner":"..."}
// with the CSV's field names and order after "record" (every field of detail::row_field_names, the service
// fields "" for a row not identified); port, prevalence, rarity, rtt_ms and hosts_open are numbers (null when
// not finite; rarity null when unknown: no prevalence data), labels an array of strings, every other field a
// string ("" when empty). A -sV report
// (meta.service_scan) adds "conversations" (a number) to each row.
// Then one {"record":"summary",...} object holding every ReportMeta field (timestamps ISO 8601 UTC,
// registry_stale, partial and service_scan as booleans, counts as numbers, hosts_up_list an array of
// address strings, ports_scanned and udp_ports_scanned strings, open_filtered the UDP ports that gave no
// answer) plus "ghosts", the number of ghost rows. A row's proto is "tcp" or "udp", its state open, closed,
// filtered, all-open or open|filtered, its reason syn-ack, rst, no-response, unreachable, udp-response or
// port-unreach.
// A report compared with a baseline adds "change" and "change_detail" to each row and baseline_source,
// baseline_started_at, new, gone, changed, unchanged and expected to the summary; a row labelled expected
// has "expect_note".
void write_json(std::ostream& out, const core::Report& report);

// Reads write_json's output back, now or by an earlier version: the rows in file order and the summary's
// metadata (ServiceInfo::soft and cert_self_signed are not in the format and read as false; a row without
// hosts_open reads as 0, a null rarity as unknown). A row without the service fields or conversations reads
// as not identified; a summary without service_scan, hosts_up_list, ports_scanned, udp_ports_scanned or
// open_filtered as false/empty/0. Throws
// core::InputError "line N: ..." for a line that is not a JSON object, an unknown record, a missing or bad
// field (as read_csv_report words it), a record after the summary, or no summary at all (a truncated file).
core::Report read_json_report(std::string_view text);

namespace detail {

// The text as a JSON string literal (RFC 8259), quotes included: '"' and '\' escaped with a backslash,
// control characters below U+0020 as \u00XX, ill-formed UTF-8 replaced by U+FFFD; all else passes as UTF-8.
std::string json_quote(std::string_view text);

}  // namespace detail

}  // namespace ghostport::output
