// Gathers the engine's results from its threads: keeps the rows the report needs and counts the rest.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace ghostport::cli {

// Which states the report shows (--show); open ports are always kept, since they define local prevalence.
struct ShowStates {
    bool open = true, closed = false, filtered = false;
};

class ResultCollector {
  public:
    explicit ResultCollector(ShowStates show) : show_(show) {}

    // Results for these (host, port) pairs are kept whatever their state (the listeners of a baseline, whose
    // state now decides gone or changed). Call before the engine starts.
    void watch(std::set<std::pair<core::Address, std::uint16_t>> keys) { watched_ = std::move(keys); }

    // Thread-safe; called by the engine once per decided (host, port).
    void add(const core::PortResult& r);

    // After the engine has returned: every host with more than `threshold` open ports loses its open results
    // and gets one all_open result instead (port 0, reason syn_ack). Returns those hosts' open-port counts.
    std::map<core::Address, std::uint64_t> collapse_all_open(std::uint64_t threshold);
    std::vector<core::PortResult> take_results() { return std::move(kept_); }
    std::uint64_t responsive_hosts() const { return responsive_.size(); }
    std::uint64_t count(core::PortState s) const { return counts_[static_cast<int>(s)]; }

  private:
    ShowStates show_;
    std::mutex mutex_;
    std::vector<core::PortResult> kept_;
    std::set<std::pair<core::Address, std::uint16_t>> watched_;
    std::set<core::Address> responsive_;  // answered on any port (SYN-ACK or RST)
    std::uint64_t counts_[4] = {0, 0, 0, 0};
};

}  // namespace ghostport::cli
