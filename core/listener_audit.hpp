// SPDX-License-Identifier: GPL-2.0-or-later
// The audits of a listener report: comparison with a baseline listener report (--baseline, `ghostport
// diff`), the --expect allowlist and --fail-on, with the same files and conditions as a scan's.
#pragma once

#include <string>
#include <vector>

#include "core/diff.hpp"
#include "core/expect.hpp"
#include "core/findings.hpp"
#include "core/listener_report.hpp"

namespace ghostport::core {

// Rows are keyed by (namespace, proto, address, port); the rows of one key (SO_REUSEPORT, one socket per
// worker) are one listener whose executables are the union of theirs. Sets `change` and `change_detail` on
// every row of `rows` and appends the baseline's rows of each key `rows` lacks, marked gone ("was
// listening"). A key in both is changed when both sides know their executables (a report read without root
// may know none) and the sets differ: "exe /usr/sbin/sshd -> /tmp/x"; otherwise unchanged. A new row says
// "was not listening". Counts are of rows.
DiffCounts compare_listeners(std::vector<ListenerRow>& rows, const std::vector<ListenerRow>& baseline);

// Whether an expect line names the listener: its proto and port, and its host: `*`; an address or block
// holding the bound address (a listener bound to all addresses is reachable at every address of the
// machine, so any address line matches it); a name equal to `hostname` (this machine's), case-insensitive.
// service= is not judged (a listener report does not identify services).
bool expect_matches(const ExpectEntry& entry, const Listener& l, const std::string& hostname);

// Labels every row (gone ones too) that an entry of `list` matches: label_expected and the entry's note.
// Returns how many rows it labelled.
std::uint64_t apply_expect(const ExpectList& list, std::vector<ListenerRow>& rows,
                           const std::string& hostname);

// The row as a scan report row (host = the bound address, state open, or its change), so FailOn's
// conditions judge it as they judge a scan's.
ReportRow as_report_row(const ListenerRow& row);

struct ListenerFinding {
    const ListenerRow* row;
    std::string why;  // FailOn::reasons
};
// The rows that meet a --fail-on condition, in row order. `borrowed` never matches (no -sV here).
std::vector<ListenerFinding> listener_findings(const std::vector<ListenerRow>& rows, const FailOn& fail_on);

// A finding line for people: "tcp 0.0.0.0:1642 (host) pid 812 nc user nobody exe /usr/bin/nc rarity 9.5:
// new"; names escaped with escape_name, "no process visible" when the row has no owner.
std::string finding_text(const ListenerFinding& f);

}  // namespace ghostport::core
