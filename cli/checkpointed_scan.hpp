// SPDX-License-Identifier: GPL-2.0-or-later
// A scan under --resume: one walk whose position is checkpointed every 2 s and at the end.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/result_collector.hpp"
#include "cli/resume_file.hpp"
#include "cli/scan_options.hpp"
#include "scanner/discovery.hpp"
#include "scanner/engine.hpp"
#include "scanner/target_set.hpp"
#include "scanner/target_source.hpp"

namespace ghostport::cli {

// Discovery's options for a scan with these engine options.
scanner::DiscoveryOptions discovery_options(const scanner::EngineOptions& e);

// A scan under --resume: one walk whose position is checkpointed every 2 s and at the end. With discovery,
// the live hosts are found first (all of them, so that a resumed run walks the same hosts in the same
// order) and kept in the checkpoint; the sweep is then one walk over them.
struct Checkpointed {
    static constexpr auto interval = std::chrono::seconds(2);

    const ScanOptions& o;
    const std::optional<ResumeState>& resumed;
    std::uint64_t seed;
    std::chrono::system_clock::time_point started_at;
    const scanner::TargetSet& targets;
    const std::vector<std::uint16_t>& ports;
    scanner::Shard shard;
    bool discover;
    const std::string& engine_name;
    const scanner::EngineOptions& engine_opt;
    output::FileAccess& files;  // where the checkpoint file is created and replaced
    // -sV: called for each restored open result that identification had not finished (the stages take it).
    std::function<void(const core::PortResult&)> identify_again{};
    // -sU: the UDP ports, swept after the TCP walk and checkpointed alike, and how to sweep them over `hosts`
    // leaving out the pairs `decided` names (those a resumed scan had decided). UDP pairs are positions after
    // the TCP walk's, host by host in target order (the order the UDP engine decides them in).
    using DecidedFn = std::function<bool(std::uint64_t host_index, std::uint16_t port)>;
    const std::vector<std::uint16_t>* udp_ports = nullptr;
    std::function<scanner::EngineStats(const scanner::TargetSet& hosts, DecidedFn decided)> sweep_udp{};
    // Called once the sweep has returned, while checkpoints still go on (the stages finishing their work).
    std::function<void()> after_sweep{};
    std::vector<bool> host_up{};
    bool discovery_complete = true;

    scanner::EngineStats scan(scanner::Engine& engine, ResultCollector& collector,
                              const scanner::EngineHooks& hooks, const std::atomic<bool>& stop);
};

}  // namespace ghostport::cli
