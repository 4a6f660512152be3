// SPDX-License-Identifier: GPL-2.0-or-later
// The listener report's formats (`ghostport listeners`): table, CSV, JSON Lines and HTML, and its field
// names.
#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/listener_report.hpp"
#include "output/format.hpp"

namespace ghostport::output {

// The columns of a listener row, in CSV order (the JSON sink uses the same names as keys, except that the
// owner columns are one "owners" array there). The list columns pid, process, user, exe, unit and container
// hold one item per owning process, in pid order, separated by ';' (an exe that was deleted ends in
// " (deleted)"); every name is escaped with core::escape_name. A report compared with a baseline adds
// change and change_detail, one read --against a scan adds outside.
inline constexpr std::array<std::string_view, 15> listener_field_names{
    "proto",     "address",   "port",     "pid",     "process", "user",   "exe",   "unit",
    "container", "namespace", "exposure", "service", "range",   "rarity", "labels"};

// Writes the report in `format` (xml has no listener form: core::InputError). Rows are written in
// core::listener_row_less order. `color` applies to the table only.
void write_listener_report(std::ostream& out, const core::ListenerReport& report, Format format, bool color);

// One line per row under a header, columns aligned: PROTO ADDRESS PORT PID PROCESS USER EXE [UNIT]
// [CONTAINER] [NAMESPACE] EXPOSURE SERVICE RANGE RARITY LABELS [CHANGE] [OUTSIDE] (UNIT, CONTAINER and
// NAMESPACE only when a row has one or --all-namespaces was given; CHANGE with a baseline, OUTSIDE with
// --against); "-" for an empty cell; ghost rows marked '!'. "nothing is listening" when there is no row.
// Then the summary: counts ("N listeners: T tcp, U udp; L loopback only, A on all addresses, G ghosts"),
// namespaces read, each sentence of meta.unseen ("not seen: ..."), registry and prevalence, the baseline's
// counts, and with --against every outside sentence and forwarded port. Everything terminal-safe.
void write_listener_table(std::ostream& out, const core::ListenerReport& report, bool color);

// The header (listener_field_names, then change,change_detail and outside as they apply) and one RFC 4180
// record per row. The metadata is not written.
void write_listener_csv(std::ostream& out, const core::ListenerReport& report);

// JSON Lines: one {"record":"listener",...} per row (the CSV's fields; port a number, rarity a number or
// null, labels an array, "owners" an array of {pid, process, user, exe, exe_deleted, unit, container},
// "dual_stack" a boolean; change, change_detail, expect_note and outside when they apply), one
// {"record":"forwarded","host","port","proto","elsewhere"} per forwarded port, then one
// {"record":"listener_summary",...} with every ListenerMeta field.
void write_listener_json(std::ostream& out, const core::ListenerReport& report);

// One self-contained HTML page (no script, nothing fetched): the summary, the unseen sentences, the
// --against sentences and the row table. Every string passes through detail::html_escape.
void write_listener_html(std::ostream& out, const core::ListenerReport& report);

namespace detail {

// Rarity with one decimal, or "" when it is unknown (no prevalence data), as the scan's CSV writes it (the
// table shows "-", JSON null).
std::string listener_rarity_text(std::optional<double> rarity);

// The text of a list column for one listener (field: "pid", "process", "user", "exe", "unit",
// "container"): the owners' values, escaped, joined with ';'.
std::string owner_column(const core::Listener& l, std::string_view field);

}  // namespace detail

}  // namespace ghostport::output
