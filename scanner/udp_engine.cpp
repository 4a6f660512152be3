// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/udp_engine.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "scanner/raw_access.hpp"
#include "scanner/udp_raw.hpp"
#include "scanner/udp_socket.hpp"

namespace ghostport::scanner {

namespace {

constexpr std::size_t max_hosts_at_once = 4096;
constexpr std::uint64_t slots_at_once = 1u << 20;  // (host, port) pairs in the window
constexpr std::size_t events_per_tick = 4096;      // a flood cannot starve the timers

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

// The targets as (host index -> ports), in host order: directly from the host and port lists when the source
// is every pair, else collected from its walk (a shard or a resumed part).
class HostFeed {
  public:
    explicit HostFeed(const TargetSource& source) : source_(source) {
        whole_ = source.skipped() == 0 && source.size() == source.host_count() * source.ports().size();
        if (whole_) return;
        for (std::uint64_t i = 0; i < source.size(); ++i) {
            const ProbeTarget t = source.at(i);
            walk_[t.host_index].push_back(t.port);
        }
        it_ = walk_.begin();
    }
    bool empty() const { return whole_ ? next_ >= source_.host_count() : it_ == walk_.end(); }
    // The next host and its ports.
    std::pair<std::uint64_t, std::vector<std::uint16_t>> next() {
        if (whole_) {
            const std::uint64_t i = next_++;
            return {i, source_.ports()};
        }
        auto out = std::move(*it_);
        ++it_;
        return {out.first, std::move(out.second)};
    }

  private:
    const TargetSource& source_;
    bool whole_ = true;
    std::uint64_t next_ = 0;
    std::map<std::uint64_t, std::vector<std::uint16_t>> walk_;
    std::map<std::uint64_t, std::vector<std::uint16_t>>::iterator it_;
};

}  // namespace

EngineStats UdpEngine::run(const TargetSource& source, const EngineHooks& hooks) {
    EngineStats stats;
    stats.total = source.size();
    if (source.size() == 0) return stats;
    std::unique_ptr<UdpTransport> path;
    if (raw_)
        path = std::make_unique<UdpRawTransport>(options_.raw ? *options_.raw : local_raw_access());
    else
        path = std::make_unique<UdpSocketTransport>();
    UdpTransport& transport = *path;
    UdpSchedulerOptions so;
    so.timeout = options_.timeout;
    so.retries = options_.retries;
    so.proofs = options_.retries == 0 ? 1 : 2;
    so.max_rate = options_.max_rate;
    so.seed = std::random_device{}();
    UdpScheduler scheduler(
        so, payloads_,
        [&](const core::Address& host, std::uint16_t port, std::string_view bytes) {
            return transport.send(host, port, bytes);
        },
        [&](const UdpDecision& d) {
            ++stats.done;
            if (d.result.state == core::PortState::open) {
                ++stats.open;
                if (hooks.on_answer && d.probe) hooks.on_answer(d.result, *d.probe, d.answer);
            }
            if (hooks.on_result) hooks.on_result(d.result);
        });
    HostFeed feed(source);
    const std::size_t ports = std::max<std::size_t>(1, source.ports().size());
    const std::size_t window =
        std::clamp<std::size_t>(static_cast<std::size_t>(slots_at_once / ports), 1, max_hosts_at_once);
    auto next_progress = std::chrono::steady_clock::now();
    const auto on_event = [&](const UdpEvent& e) { scheduler.on_event(e); };
    while (true) {
        if (hooks.stop && hooks.stop->load(std::memory_order_relaxed)) break;
        while (!feed.empty() && scheduler.active_hosts() < window) {
            auto [index, host_ports] = feed.next();
            if (skip_) {
                const auto before = host_ports.size();
                std::erase_if(host_ports, [&, i = index](std::uint16_t p) { return skip_(i, p); });
                stats.done += before - host_ports.size();
            }
            scheduler.add_host(index, source.hosts().at(index), std::move(host_ports));
        }
        transport.drain(on_event, events_per_tick);
        const std::uint64_t now = now_ns();
        const std::uint64_t due = scheduler.tick(now);
        stats.attempts = scheduler.sent();
        if (hooks.on_progress && std::chrono::steady_clock::now() >= next_progress) {
            hooks.on_progress(stats);
            next_progress = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
        }
        if (due == 0 && feed.empty()) break;
        if (due > now) {
            const auto ms = std::min<std::uint64_t>((due - now + 999'999) / 1'000'000, 100);
            transport.wait(static_cast<int>(ms));
        }
    }
    if (hooks.on_progress) hooks.on_progress(stats);
    return stats;
}

std::unique_ptr<UdpEngine> make_udp_engine(std::string_view name, const EngineOptions& options,
                                           UdpPayloadsFor payloads) {
    if (name != "syn" && name != "connect")
        throw core::InputError(fmt::format("unknown engine '{}' (available: connect, syn)", name));
    return std::make_unique<UdpEngine>(options, std::move(payloads), name == "syn");
}

}  // namespace ghostport::scanner
