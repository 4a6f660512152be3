// SPDX-License-Identifier: GPL-2.0-or-later
// Compares a report's rows with a baseline report's: which listeners are new, gone, changed or unchanged.
#pragma once

#include <functional>
#include <vector>

#include "core/report.hpp"

namespace ghostport::core {

struct DiffCounts {
    std::uint64_t added = 0, gone = 0, changed = 0, unchanged = 0;
};

// Whether this scan probed the (host, port) of a baseline listener that it has no row for. A listener that
// was probed and is absent is gone; one that was not probed (another target set, an interrupted scan) is
// left out of the comparison.
using ProbedFn = std::function<bool(const PortResult&)>;

// A listener is an open or all-open row (core::is_listener; open|filtered is not). Rows are keyed by (host,
// port, proto): 53/udp and 53/tcp are two listeners. A row that is a listener in neither report but moved
// to or from open|filtered (closed -> open|filtered) is marked changed ("state closed -> open|filtered").
// Sets `change` and `change_detail` on every row of `rows` that is a listener in either report, and appends a
// row for each baseline listener that has no row in `rows` but was probed (the baseline's row, marked gone).
// See core::Change for the meaning of each change. A listener open in both is changed when its state differs
// ("state open -> all-open"), then when -sV identified it on both sides (a named service: not "", unknown or
// tcpwrapped) and the service differs ("service ssh -> http"), an SSH host key of a type both sides saw
// differs ("ssh host key changed") or the certificate does ("certificate changed"), then when the
// registry's name for the port differs ("service http -> www"). A gone row shows the baseline's label and
// service when this scan has none.
DiffCounts compare_with_baseline(std::vector<ReportRow>& rows, const std::vector<ReportRow>& baseline,
                                 const ProbedFn& probed);

}  // namespace ghostport::core
