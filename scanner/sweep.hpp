// SPDX-License-Identifier: GPL-2.0-or-later
// A subnet sweep: host discovery and the port sweep of the hosts it finds up, overlapped. Discovery runs in a
// thread of its own; the port sweep takes the hosts that have come up so far as one wave (a TargetSource of
// their own) whenever discovery has gone quiet for a moment or the oldest waiting host has waited long
// enough, so the first live hosts' ports are being probed while dead addresses are still being retried.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "scanner/discovery.hpp"
#include "scanner/engine.hpp"
#include "scanner/target_source.hpp"

namespace ghostport::scanner {

struct SweepHooks {
    EngineHooks engine;  // on_progress gets counters over every wave so far (total grows as hosts come up)
    std::function<void(const HostUp&)> on_host_up;  // from the discovery thread
};

struct SweepResult {
    EngineStats stats;               // over every wave
    std::vector<bool> up;            // per host of the TargetSet: discovery found it up
    std::uint64_t hosts_up = 0;      // how many are up
    bool discovery_complete = true;  // false when stopped before every host was decided
};

// Discovers the hosts of `hosts`, sweeping `ports` on each as it comes up (same seed for every wave). With a
// shard (count > 1), the sweep waits for discovery to end and runs one wave of every live host, so shards
// that see the same live hosts split them exactly. Returns when every live host is swept or on *stop.
SweepResult sweep(Engine& engine, Discovery& discovery, const TargetSet& hosts,
                  const std::vector<std::uint16_t>& ports, std::uint64_t seed, Shard shard,
                  const SweepHooks& hooks);

}  // namespace ghostport::scanner
