// SPDX-License-Identifier: GPL-2.0-or-later
// The table format for people at a terminal: aligned columns, ghost rows marked, then a summary.
#pragma once

#include <ostream>

#include "core/report.hpp"

namespace ghostport::output {

struct TableOptions {
    bool color = false;       // ANSI colours: ghost rows bold red, warnings yellow, header bold
    bool show_state = false;  // add a STATE column ("closed/rst") when rows other than open are shown
};

// Writes one line per row in sort_rows order under a header, columns aligned:
//   marker ("!" for a ghost row, else blank), HOST ("198.18.0.5 (nas.lan)" when a hostname is set),
//   PORT ("1642/tcp"), STATE (state/reason, only when opt.show_state), RANGE, SERVICE ("-" when none,
//   " (aka netbus)" appended when known_as is set), DETECTED (only when report.meta.service_scan: what -sV
//   found, detail::detected_text: "ssh OpenSSH 9.2p1", "ssl/http nginx 1.22.1", "-"), RARITY (one decimal,
//   right-aligned; "-" when unknown), LABELS ("-" when none). An all-open row shows its description (how many
//   ports answered, how many would be ghosts) as its SERVICE. A port open on several hosts
//   (output::group_rows) is one line whose HOST reads "open on 4 of 5 hosts" (of meta.hosts_up), followed by
//   one line per host holding only the indented host (and its hostname).
// With no rows, one line instead: "no open ports found" ("no ports to show" when opt.show_state).
// Then a blank line and the summary:
//   N hosts up of M, P ports scanned (K per host), X open, G ghosts, in T.TT s ("1 host", "1 ghost")
//   registry: PATH (snapshot YYYY-MM-DD)
//   registry snapshot is older than a year: run `ghostport registry update`     (only when stale)
//   prevalence: PATH            or   prevalence: none: rarity unknown; install nmap-common or pass ...
//   PARTIAL: interrupted after D of P probes                                     (only when partial)
// P is probes_done, G counts ghost rows; counts are grouped by thousands ("1,114,095"). Text from the report
// is made terminal-safe (control characters become '?'), and lines carry no trailing spaces. No ANSI sequence
// is written unless opt.color.
void write_table(std::ostream& out, const core::Report& report, const TableOptions& opt);

}  // namespace ghostport::output
