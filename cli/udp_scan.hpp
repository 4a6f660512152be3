// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP part of `ghostport scan` (-sU): its payload definitions, its engine, and its run after the TCP
// sweep, on the hosts that sweep found up, or with host discovery of its own when only UDP is scanned.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "cli/result_collector.hpp"
#include "cli/scan_report.hpp"
#include "scanner/engine.hpp"

namespace ghostport::cli {

struct ScanOptions;
struct ScanSetup;

// Runs the UDP sweep of `s.udp_ports`: on the hosts `tcp` found up when its discovery ran, else with
// discovery of its own (more than one target and more than two ports, unless --no-discovery), else on every
// target. Answers are identified into `collector` as they come. `hooks` as for the TCP sweep.
SweepOutcome run_udp(const ScanOptions& o, ScanSetup& s, ResultCollector& collector,
                     const scanner::EngineHooks& hooks, const SweepOutcome* tcp);

// Sweeps `s.udp_ports` over `hosts` (no discovery), leaving out the pairs `decided` names (null: none), with
// answers named into `collector` as they come.
scanner::EngineStats sweep_udp_hosts(
    ScanSetup& s, ResultCollector& collector, const scanner::EngineHooks& hooks,
    const scanner::TargetSet& hosts,
    std::function<bool(std::uint64_t host_index, std::uint16_t port)> decided);

}  // namespace ghostport::cli
