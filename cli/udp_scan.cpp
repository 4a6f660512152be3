// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/udp_scan.hpp"

#include <fmt/format.h>

#include "cli/checkpointed_scan.hpp"
#include "cli/scan_options.hpp"
#include "cli/scan_setup.hpp"
#include "probes/udp_payloads.hpp"
#include "scanner/discovery.hpp"
#include "scanner/sweep.hpp"

namespace ghostport::cli {

namespace {

// Host discovery pays above this many ports per host, as for TCP (scan_command.cpp).
constexpr std::size_t discovery_pays_above = 2;

}  // namespace

namespace {

// The hooks of a UDP sweep: `hooks`, with each answer named into `collector`.
scanner::EngineHooks naming_hooks(UdpPart& part, ResultCollector& collector,
                                  const scanner::EngineHooks& hooks) {
    scanner::EngineHooks out = hooks;
    out.on_answer = [&part, &collector](const core::PortResult& r, std::size_t probe,
                                        std::string_view answer) {
        collector.add_service(r, probes::identify_datagram(part.defs, *part.matcher, probe, answer));
    };
    return out;
}

}  // namespace

scanner::EngineStats sweep_udp_hosts(
    ScanSetup& s, ResultCollector& collector, const scanner::EngineHooks& hooks,
    const scanner::TargetSet& hosts,
    std::function<bool(std::uint64_t host_index, std::uint16_t port)> decided) {
    UdpPart& part = *s.udp_part;
    part.engine->skip(std::move(decided));
    return part.engine->run(scanner::TargetSource(hosts, s.udp_ports, s.seed, s.shard),
                            naming_hooks(part, collector, hooks));
}

SweepOutcome run_udp(const ScanOptions& o, ScanSetup& s, ResultCollector& collector,
                     const scanner::EngineHooks& hooks, const SweepOutcome* tcp) {
    SweepOutcome out;
    UdpPart& part = *s.udp_part;
    const scanner::EngineHooks udp_hooks = naming_hooks(part, collector, hooks);
    if (tcp && tcp->discovered) {
        // The TCP sweep's discovery (and its answers) said which hosts are up: probe those.
        out.discovered = true;
        out.host_up = tcp->host_up;
        out.discovery_complete = tcp->discovery_complete;
        scanner::TargetSet up;
        for (std::uint64_t i = 0; i < s.targets.size(); ++i)
            if (tcp->host_up[i] || collector.responded(s.targets.at(i)))
                up.add(scanner::AddressRange::single(s.targets.at(i)));
        up.finalize();
        out.stats = part.engine->run(scanner::TargetSource(up, s.udp_ports, s.seed, s.shard), udp_hooks);
        return out;
    }
    out.discovered =
        !tcp && !o.no_discovery && s.targets.size() > 1 && s.udp_ports.size() > discovery_pays_above;
    if (out.discovered) {
        auto discovery = scanner::make_discovery(s.engine_name, discovery_options(s.engine_opt));
        scanner::SweepHooks sweep_hooks;
        sweep_hooks.engine = udp_hooks;
        auto swept =
            scanner::sweep(*part.engine, *discovery, s.targets, s.udp_ports, s.seed, s.shard, sweep_hooks);
        out.stats = swept.stats;
        out.host_up = std::move(swept.up);
        out.discovery_complete = swept.discovery_complete;
        return out;
    }
    out.stats = part.engine->run(scanner::TargetSource(s.targets, s.udp_ports, s.seed, s.shard), udp_hooks);
    return out;
}

}  // namespace ghostport::cli
