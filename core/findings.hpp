// SPDX-License-Identifier: GPL-2.0-or-later
// --fail-on: which rows of a report are findings, so that cron, systemd and CI can alert on exit status 1.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"

namespace ghostport::core {

// The conditions of `--fail-on new,gone,changed,ghost,all-open,rarity>=N,unexpected,borrowed`. A row
// labelled expected (by --expect) is never a finding.
//   new / gone / changed: the row's change against the baseline (needs a baseline); `new` also fires on
//   every all-open row (a host answering on every port hides which listeners are new). Only open and
//   all-open rows are listeners: a UDP port moving from closed to open|filtered is changed, never new;
//   open|filtered -> open is new;
//   ghost: an open row labelled ghost;   all-open: an all-open row (baseline or not);
//   rarity>=N: an open row whose rarity is known and at least N (0..10; the caller refuses the condition
//   when there is no prevalence data, see needs_rarity);
//   unexpected: an open row that no --expect line matches (needs --expect), or that a line matches by host
//   and port but names another service (the row's expect_note says which: "expected ssh, found http");
//   borrowed: an open row labelled borrowed (needs -sV: a service that is not its port's registered one);
//   label=NAME: an open row with that label (any of labels_to_string's names); unassigned and deleted-exe
//   are short for label=unassigned and label=deleted-exe.
struct FailOn {
    bool added = false, gone = false, changed = false, ghost = false, unexpected = false, borrowed = false,
         all_open = false;
    std::optional<double> min_rarity;
    Labels any_label = 0;  // label=NAME conditions

    // Parses the comma-separated list; throws InputError naming the bad item.
    static FailOn parse(std::string_view spec);
    bool needs_baseline() const { return added || gone || changed; }
    // Whether a condition can only be met when open ports were identified (scan -sV).
    bool needs_service_scan() const { return borrowed; }
    // Whether a condition needs rarities (prevalence data): rarity>=N.
    bool needs_rarity() const { return min_rarity.has_value(); }

    // Why the row is a finding ("new", "ghost", "all-open", "rarity 9.5 >= 9", "borrowed by ssh",
    // "unexpected (expected ssh, found http)", ...), "" when it is not one.
    std::string reasons(const ReportRow& row) const;
};

struct Finding {
    const ReportRow* row;
    std::string why;
};
std::vector<Finding> findings(const std::vector<ReportRow>& rows, const FailOn& fail_on);

}  // namespace ghostport::core
