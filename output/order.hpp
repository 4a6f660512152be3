// SPDX-License-Identifier: GPL-2.0-or-later
// The one report order every format uses: new listeners (against a baseline) first, then ghosts, then rarity
// descending, then host, then port.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/report.hpp"

namespace ghostport::output {

// Sorts rows into report order: rows whose change is new (core::Change::added) first, then ghost rows and
// all-open rows (a host hiding its listeners, a finding) before the others, then rarity descending, then host
// address ascending (IPv4 before IPv6), then port ascending; hostname and protocol break any remaining tie.
// Rarity is compared as printed (one decimal), so rows that show the same rarity follow host and port
// order, and a report read back from CSV sorts exactly as the original did. An unknown or NaN rarity sorts
// last.
void sort_rows(std::vector<core::ReportRow>& rows);

// Rows shown as one line, for people (table and HTML): a port open on several hosts whose rows agree on
// everything but host, hostname, rtt and time (port, proto, label, change, expect note and the detected
// service) is one group; every other row is a group of its own. `rows` are the members in report order.
struct RowGroup {
    std::vector<const core::ReportRow*> rows;
    bool several() const { return rows.size() > 1; }
};

// The groups of `sorted` (in sort_rows order), each where its first member is.
std::vector<RowGroup> group_rows(const std::vector<core::ReportRow>& sorted);
std::vector<RowGroup> group_rows(const std::vector<const core::ReportRow*>& sorted);

// The words a group line shows: "open on 4 of 5 hosts" (the count is the rows' hosts_open, or the group's
// size when that is larger or not counted; "of N" is hosts_up, left out when 0).
std::string open_on_text(const RowGroup& group, std::uint64_t hosts_up);

}  // namespace ghostport::output
