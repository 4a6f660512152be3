// SPDX-License-Identifier: GPL-2.0-or-later
// The scan's report: its metadata, and the rows assembled from what the sweep and the stages after it found.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli/result_collector.hpp"
#include "cli/scan_options.hpp"
#include "cli/scan_setup.hpp"
#include "core/report.hpp"
#include "scanner/engine.hpp"

namespace ghostport::cli {

// What the sweep left, besides the collector's results.
struct SweepOutcome {
    scanner::EngineStats stats;
    bool discovered = false;         // host discovery ran
    std::vector<bool> host_up;       // with discovery: per target, found up
    bool discovery_complete = true;  // discovery was not interrupted
    bool stopped = false;            // Ctrl-C or SIGTERM came before every stage had finished
};

// The report's metadata as the scan starts (warns on standard error when the registry is stale, once per
// run).
core::Report start_report(const ScanOptions& o, const ScanSetup& s, std::uint64_t probes_planned);

// Completes `report`: counts, one labelled row per kept result with what -sV found, host names (given, else
// `names` from reverse DNS), all-open rows, the baseline and --expect marks, then the rows --show asks for.
void finish_report(core::Report& report, const ScanOptions& o, const ScanSetup& s, ResultCollector& collector,
                   const SweepOutcome& swept, const std::map<core::Address, std::string>& names);

}  // namespace ghostport::cli
