// SPDX-License-Identifier: GPL-2.0-or-later
// Per-host round-trip estimators for any number of hosts in bounded memory.
//
// Design notes
// - A direct-mapped table of at most `max_slots` estimators, each tagged with the host index that owns it.
//   Scans of up to max_slots hosts give every host its own slot. Beyond that, a host whose slot another
//   host holds has no estimator of its own: it gets the fresh (unsampled) one, whose timeout is the initial,
//   longest one, so a far host never inherits a near host's short timeout. A sample takes the slot over.
// - Not thread-safe: the caller locks (the connect engine stripes locks by slot()).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "scanner/rtt_estimator.hpp"

namespace ghostport::scanner {

class HostRtt {
  public:
    static constexpr std::size_t default_slots = 65536;

    // A table for `hosts` hosts (at most `max_slots` slots, at least one), each slot starting as `fresh`.
    HostRtt(std::uint64_t hosts, const RttEstimator& fresh, std::size_t max_slots = default_slots)
        : slots_(static_cast<std::size_t>(
                     std::clamp<std::uint64_t>(hosts, 1, std::max<std::size_t>(1, max_slots))),
                 Slot{no_host, fresh}),
          fresh_(fresh) {}

    // The slot `host` maps to (for lock striping).
    std::size_t slot(std::uint64_t host) const { return static_cast<std::size_t>(host % slots_.size()); }

    // `host`'s own estimator when it has one, else the fresh one: never another host's.
    const RttEstimator& of(std::uint64_t host) const {
        const Slot& s = slots_[slot(host)];
        return s.host == host ? s.estimator : fresh_;
    }

    // Adds a round trip measured to `host`, taking its slot over from any other host that held it.
    void sample(std::uint64_t host, RttEstimator::us rtt) {
        Slot& s = slots_[slot(host)];
        if (s.host != host) s = Slot{host, fresh_};
        s.estimator.sample(rtt);
    }

  private:
    static constexpr std::uint64_t no_host = std::numeric_limits<std::uint64_t>::max();
    struct Slot {
        std::uint64_t host;
        RttEstimator estimator;
    };
    std::vector<Slot> slots_;
    RttEstimator fresh_;
};

}  // namespace ghostport::scanner
