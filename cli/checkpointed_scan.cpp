// SPDX-License-Identifier: GPL-2.0-or-later
// A scan under --resume: one walk whose position is checkpointed every 2 s and at the end.
#include "cli/checkpointed_scan.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace ghostport::cli {

scanner::DiscoveryOptions discovery_options(const scanner::EngineOptions& e) {
    scanner::DiscoveryOptions d;
    d.timeout = e.timeout;
    d.retries = 1;
    d.max_rate = e.max_rate;
    d.raw = e.raw;
    return d;
}

scanner::EngineStats Checkpointed::scan(scanner::Engine& engine, ResultCollector& collector,
                                        const scanner::EngineHooks& hooks, const std::atomic<bool>& stop) {
    ResumeState state;
    state.argv = o.argv;
    state.seed = seed;
    state.started_at = started_at;
    scanner::TargetSet live_set;
    const scanner::TargetSet* walk_hosts = &targets;
    if (discover) {
        std::vector<core::Address> live;
        if (resumed && resumed->live_hosts) {
            live = *resumed->live_hosts;
        } else {
            std::mutex mutex;
            scanner::make_discovery(engine_name, discovery_options(engine_opt))
                ->run(
                    targets,
                    [&](const scanner::HostUp& h) {
                        std::lock_guard lock(mutex);
                        live.push_back(h.host);
                    },
                    &stop);
            if (stop.load()) {
                discovery_complete = false;
                save_resume_file(o.resume_path, state, 0600, files);  // no live hosts yet: discovery again
                host_up.assign(targets.size(), false);
                return {};
            }
        }
        host_up.assign(targets.size(), false);
        for (const auto& a : live) {
            live_set.add(scanner::AddressRange::single(a));
            if (auto i = targets.index_of(a)) host_up[*i] = true;
        }
        live_set.finalize();
        walk_hosts = &live_set;
        state.live_hosts = std::move(live);
    }
    const std::uint64_t low = resumed ? resumed->low : 0;
    const bool tcp = !ports.empty();
    scanner::TargetSource walk(*walk_hosts, tcp ? ports : std::vector<std::uint16_t>{1}, seed, shard, low);
    // UDP positions follow the whole TCP walk: host index x UDP ports + the port's index.
    const std::uint64_t udp_base = tcp ? walk.size() + walk.skipped() : 0;
    std::vector<std::int32_t> udp_index(65536, -1);
    const std::uint64_t udp_count = udp_ports ? udp_ports->size() : 0;
    for (std::size_t i = 0; i < udp_count; ++i) udp_index[(*udp_ports)[i]] = static_cast<std::int32_t>(i);
    auto udp_position = [&, walk_hosts](const core::Address& host,
                                        std::uint16_t port) -> std::optional<std::uint64_t> {
        const auto h = walk_hosts->index_of(host);
        if (!h || udp_index[port] < 0) return std::nullopt;
        return udp_base + *h * udp_count + static_cast<std::uint64_t>(udp_index[port]);
    };
    collector.track(
        [&](const core::PortResult& r) {
            return r.proto == core::Proto::udp ? udp_position(r.host, r.port)
                   : tcp                       ? walk.position_of(r.host, r.port)
                                               : std::nullopt;
        },
        core::WalkMark(low, resumed ? resumed->above : decltype(resumed->above){}));
    const core::WalkMark done_before(low, resumed ? resumed->above : decltype(resumed->above){});
    if (resumed) {
        collector.restore(resumed->results, resumed->counts, resumed->responsive);
        for (const auto& r : collector.restore_services(resumed->services))
            if (identify_again) identify_again(r);
    }

    auto save = [&] {
        auto snap = collector.snapshot();
        state.low = snap.low;
        state.above = std::move(snap.above);
        state.counts = snap.counts;
        state.responsive = std::move(snap.responsive);
        state.results = std::move(snap.results);
        state.services = std::move(snap.services);
        save_resume_file(o.resume_path, state, 0600, files);
    };
    save();
    std::mutex mutex;
    std::condition_variable wake;
    bool finished = false;
    std::exception_ptr checkpoint_error;
    std::thread checkpointer([&] {
        std::unique_lock lock(mutex);
        while (!wake.wait_for(lock, interval, [&] { return finished; })) {
            lock.unlock();
            try {
                save();
            } catch (...) {
                checkpoint_error = std::current_exception();
            }
            lock.lock();
            if (checkpoint_error) break;
        }
    });
    scanner::EngineStats stats;
    try {
        if (tcp) {
            stats = engine.run(walk, hooks);
            stats.total += walk.skipped();
            stats.done += walk.skipped();
        }
        if (sweep_udp && !stop.load()) {
            const auto udp = sweep_udp(*walk_hosts, [&](std::uint64_t host, std::uint16_t port) {
                return done_before.decided(udp_base + host * udp_count +
                                           static_cast<std::uint64_t>(udp_index[port]));
            });
            stats.total += udp.total;
            stats.done += udp.done;
            stats.open += udp.open;
            stats.attempts += udp.attempts;
        }
        if (after_sweep) after_sweep();
    } catch (...) {
        {
            std::lock_guard lock(mutex);
            finished = true;
        }
        wake.notify_all();
        checkpointer.join();
        throw;
    }
    {
        std::lock_guard lock(mutex);
        finished = true;
    }
    wake.notify_all();
    checkpointer.join();
    if (checkpoint_error) std::rethrow_exception(checkpoint_error);
    // The final position: where an interrupted scan got to, or the whole scan, so that a report that
    // cannot be written (a full disk) is still recoverable with --resume.
    save();
    return stats;
}

}  // namespace ghostport::cli
