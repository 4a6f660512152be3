// SPDX-License-Identifier: GPL-2.0-or-later
// A subnet sweep: discovery in its own thread, the port sweep in waves of the hosts found up so far.
#include "scanner/sweep.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

namespace ghostport::scanner {

namespace {

using Clock = std::chrono::steady_clock;

// A wave starts when discovery has been quiet this long with hosts waiting...
constexpr auto quiet_for = std::chrono::milliseconds(50);
// ...or when the oldest waiting host has waited this long.
constexpr auto longest_wait = std::chrono::milliseconds(300);

struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::uint64_t> waiting;  // host indexes up and not yet swept
    Clock::time_point first_waiting{}, last_up{};
    bool done = false;
    std::exception_ptr error;
};

}  // namespace

SweepResult sweep(Engine& engine, Discovery& discovery, const TargetSet& hosts,
                  const std::vector<std::uint16_t>& ports, std::uint64_t seed, Shard shard,
                  const SweepHooks& hooks) {
    SweepResult result;
    result.up.assign(hosts.size(), false);
    Shared shared;
    std::thread discoverer([&] {
        try {
            discovery.run(
                hosts,
                [&](const HostUp& up) {
                    if (hooks.on_host_up) hooks.on_host_up(up);
                    std::lock_guard lock(shared.mutex);
                    if (up.host_index >= result.up.size() || result.up[up.host_index]) return;
                    result.up[up.host_index] = true;
                    ++result.hosts_up;
                    const auto now = Clock::now();
                    if (shared.waiting.empty()) shared.first_waiting = now;
                    shared.last_up = now;
                    shared.waiting.push_back(up.host_index);
                    shared.changed.notify_all();
                },
                hooks.engine.stop);
        } catch (...) {
            std::lock_guard lock(shared.mutex);
            shared.error = std::current_exception();
        }
        std::lock_guard lock(shared.mutex);
        shared.done = true;
        shared.changed.notify_all();
    });

    const bool sharded = shard.count > 1;
    const bool trace = std::getenv("GHOSTPORT_TRACE") != nullptr;  // undocumented, like the SYN engine's
    const auto t0 = Clock::now();
    auto stopped = [&] { return hooks.engine.stop && hooks.engine.stop->load(); };
    EngineStats before;  // counters of the waves already swept
    while (!stopped()) {
        std::vector<std::uint64_t> wave;
        {
            std::unique_lock lock(shared.mutex);
            // Wake at least every 10 ms to notice the stop flag and the wave timers.
            shared.changed.wait_for(lock, std::chrono::milliseconds(10));
            if (shared.error) break;
            const auto now = Clock::now();
            const bool ready = !shared.waiting.empty() &&
                               (shared.done || (!sharded && (now - shared.last_up >= quiet_for ||
                                                             now - shared.first_waiting >= longest_wait)));
            if (!ready) {
                if (shared.done && shared.waiting.empty()) break;
                continue;
            }
            wave.swap(shared.waiting);
        }
        TargetSet wave_hosts;
        for (std::uint64_t index : wave) wave_hosts.add(AddressRange::single(hosts.at(index)));
        wave_hosts.finalize();
        TargetSource source(wave_hosts, ports, seed, shard);
        EngineHooks wave_hooks = hooks.engine;
        if (hooks.engine.on_progress) {
            wave_hooks.on_progress = [&](const EngineStats& s) {
                EngineStats all = s;
                all.total += before.total;
                all.done += before.done;
                all.open += before.open;
                all.attempts += before.attempts;
                hooks.engine.on_progress(all);
            };
        }
        if (trace)
            std::fprintf(stderr, "sweep: wave of %zu hosts at %.3f s\n", wave.size(),
                         std::chrono::duration<double>(Clock::now() - t0).count());
        const EngineStats s = engine.run(source, wave_hooks);
        if (trace)
            std::fprintf(stderr, "sweep: wave done at %.3f s\n",
                         std::chrono::duration<double>(Clock::now() - t0).count());
        before.total += s.total;
        before.done += s.done;
        before.open += s.open;
        before.attempts += s.attempts;
    }
    discoverer.join();
    if (trace)
        std::fprintf(stderr, "sweep: discovery joined at %.3f s\n",
                     std::chrono::duration<double>(Clock::now() - t0).count());
    if (shared.error) std::rethrow_exception(shared.error);
    result.stats = before;
    // Hosts found up but not swept (stopped first) count as planned and not done.
    result.stats.total += shared.waiting.size() * ports.size() / shard.count;
    result.discovery_complete = shared.done && !stopped();
    return result;
}

}  // namespace ghostport::scanner
