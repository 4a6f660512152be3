// SPDX-License-Identifier: GPL-2.0-or-later
// The HTML report format: one self-contained page (inline CSS and SVG, nothing fetched) for a security
// review.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/report.hpp"

namespace ghostport::output {

// Writes the report as one HTML5 document in UTF-8 that needs nothing outside itself: the CSS and the two
// charts (inline SVG) are in the page, there is no script, no link and no URL, and a Content-Security-Policy
// meta tag forbids every fetch (default-src 'none'; style-src 'unsafe-inline'; img-src data:). Sections,
// in this order, each a <section> with this id:
//   summary  the title and the scan summary: command line, times, engine, hosts, ports, state counts,
//            ghosts, registry (a warning when stale), prevalence source; a PARTIAL banner when meta.partial;
//   diff     only when meta.has_baseline(): the change counts, then tables of the new, gone and changed
//            rows (with change_detail); rows labelled expected are listed apart with their expect_note;
//   ghosts   the ghost rows (table id "ghost-table"), in sort_rows order;
//   rows     every row (table id "row-table"), in sort_rows order;
//   ranges   a bar chart of the open rows per IANA range (well-known, registered, dynamic);
//   rarity   a histogram of the open rows' rarity, 10 bins of width 1 over 0..10 (the last one holds 10).
// A -sV report (meta.service_scan) adds a Detected column after Service to the ghost and row tables: the
// detected service in words (detail::detected_text) and a <details> listing extra info, TLS, the
// certificate's subject, alternative names, issuer, not-after and fingerprint, the CPE and the banner.
// In every row table a port open on several hosts (output::group_rows) is one row whose Host cell is a
// <details> "open on 4 of 5 hosts" listing the hosts (and hostnames); its Hostname and RTT cells are empty.
// An unknown rarity (no prevalence data) shows as "-".
// The charts count rows in state open (an all-open row is a whole host, not a port in a range); a rarity is
// binned as printed (one decimal), and a non-finite one is not counted. Every string that comes from the
// report passes through detail::html_escape. Stream errors are left in out's state for the caller.
void write_html(std::ostream& out, const core::Report& report);

namespace detail {

// The text made safe as HTML character data and as a double-quoted attribute value: & < > " ' become
// character references; ill-formed UTF-8 (each maximal subpart), control characters (C0, DEL, C1),
// noncharacters and bidirectional formatting characters (which could reorder what a reviewer reads) become
// U+FFFD. Everything else passes as UTF-8.
std::string html_escape(std::string_view text);

}  // namespace detail

}  // namespace ghostport::output
