// SPDX-License-Identifier: GPL-2.0-or-later
// Gathers the engine's results from its threads: keeps the rows the report needs and counts the rest.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/service.hpp"
#include "core/walk_mark.hpp"

namespace ghostport::cli {

// Which states the report shows (--show); open ports are always kept, since they define hosts_open.
struct ShowStates {
    bool open = true, closed = false, filtered = false, open_filtered = false;
};

class ResultCollector {
  public:
    explicit ResultCollector(ShowStates show) : show_(show) {}

    // Results for these (host, port, proto) keys are kept whatever their state (the listeners of a baseline,
    // whose state now decides gone or changed). Call before the engine starts.
    void watch(std::set<core::PortKey> keys) { watched_ = std::move(keys); }

    // Thread-safe; called by the engine once per decided (host, port).
    void add(const core::PortResult& r);

    // --resume: from now on each result's walk position (position_of) is marked in `mark`, and a result at
    // a position the mark already holds (decided before an interruption, probed again) is ignored. Call
    // before the engine starts.
    using PositionFn = std::function<std::optional<std::uint64_t>(const core::PortResult&)>;
    void track(PositionFn position_of, core::WalkMark mark);
    // --resume: the results, counters and responsive hosts of the interrupted run.
    void restore(std::vector<core::PortResult> results,
                 const std::array<std::uint64_t, core::port_state_count>& counts,
                 const std::vector<core::Address>& responsive);
    // --resume: what identification had found; returns the restored open results it had not identified.
    std::vector<core::PortResult> restore_services(std::map<core::PortKey, core::ServiceInfo> services);
    // A consistent copy for a checkpoint, taken under the lock.
    struct Snapshot {
        std::vector<core::PortResult> results;
        std::array<std::uint64_t, core::port_state_count> counts{};
        std::vector<core::Address> responsive;
        std::uint64_t low = 0;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> above;
        std::map<core::PortKey, core::ServiceInfo> services;
    };
    Snapshot snapshot();

    // After the engine has returned: every host with more than `threshold` open ports of one protocol loses
    // its open results of that protocol and gets one all_open result instead (port 0, that protocol, reason
    // syn_ack for TCP, udp_response for UDP). Returns those open results (the ports seen open before the
    // host was judged all-open), by (host, protocol).
    using AllOpen = std::map<std::pair<core::Address, core::Proto>, std::vector<core::PortResult>>;
    AllOpen collapse_all_open(std::uint64_t threshold);
    std::vector<core::PortResult> take_results() { return std::move(kept_); }

    // Thread-safe; called by the identify stage once per open port it took (-sV).
    void add_service(const core::PortResult& r, core::ServiceInfo info);
    // What identification found, by (host, port, proto); after the stages have finished.
    using ServiceMap = std::map<core::PortKey, core::ServiceInfo>;
    ServiceMap take_services() { return std::move(services_); }
    std::uint64_t responsive_hosts() const { return responsive_.size(); }
    // The hosts that answered on any port, in address order (after the engine has returned).
    std::vector<core::Address> responsive_list() const { return {responsive_.begin(), responsive_.end()}; }
    // Whether the host answered on any port (after the engine has returned).
    bool responded(const core::Address& host) const { return responsive_.contains(host); }
    std::uint64_t count(core::PortState s) const { return counts_[static_cast<int>(s)]; }

  private:
    ShowStates show_;
    std::mutex mutex_;
    std::vector<core::PortResult> kept_;
    std::set<core::PortKey> watched_;
    ServiceMap services_;
    // Answered on any port (SYN-ACK, RST, a UDP reply, ICMP port unreachable).
    std::set<core::Address> responsive_;
    std::array<std::uint64_t, core::port_state_count> counts_{};
    PositionFn position_of_;
    std::unique_ptr<core::WalkMark> mark_;
};

}  // namespace ghostport::cli
