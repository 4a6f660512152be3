// SPDX-License-Identifier: GPL-2.0-or-later
// The scheduler's view of a scan: probe i of hosts x ports, in permuted order.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "scanner/permutation.hpp"
#include "scanner/target_set.hpp"

namespace ghostport::scanner {

struct ProbeTarget {
    core::Address host;
    std::uint64_t host_index;
    std::uint16_t port;
};

// One of N slices of a scan: shard `index` (0-based) of `count` takes every count-th probe of the shuffled
// walk, starting at `index`. N shards with the same seed cover every probe exactly once between them.
struct Shard {
    std::uint64_t index = 0, count = 1;
};

// Parses "K/N" (1-based: 1/3, 2/3, 3/3) into a Shard; throws core::InputError naming the text otherwise.
Shard parse_shard(std::string_view text);

class TargetSource {
  public:
    // Throws core::InputError when hosts x ports overflows 2^63. `skip`: the first `skip` probes of this
    // shard's walk are left out (a resumed scan starts where the interrupted one had decided everything).
    TargetSource(const TargetSet& hosts, std::vector<std::uint16_t> ports, std::uint64_t seed,
                 Shard shard = {}, std::uint64_t skip = 0);

    // Probes in this shard (all of them without sharding), less the skipped ones.
    std::uint64_t size() const { return size_ - skip_; }
    // The position in this shard's whole walk (skipped probes included) of the probe of `host` and `port`;
    // nullopt when that probe is not a target of this shard. at(i) is walk position skip + i.
    std::optional<std::uint64_t> position_of(const core::Address& host, std::uint16_t port) const;
    std::uint64_t skipped() const { return skip_; }
    std::uint64_t host_count() const { return hosts_.size(); }
    const TargetSet& hosts() const { return hosts_; }
    const std::vector<std::uint16_t>& ports() const { return ports_; }
    // The host index of `a` (as in ProbeTarget::host_index), or nullopt when `a` is not a target.
    std::optional<std::uint64_t> host_index(const core::Address& a) const { return hosts_.index_of(a); }
    // The i-th probe of this shard's part of the shuffled walk, 0 <= i < size().
    ProbeTarget at(std::uint64_t i) const;

  private:
    const TargetSet& hosts_;
    std::vector<std::uint16_t> ports_;
    Permutation permutation_;
    Shard shard_;
    std::uint64_t size_;
    std::uint64_t skip_;
    std::vector<std::int32_t> port_position_;  // port -> its index in ports_, -1 when not scanned
};

}  // namespace ghostport::scanner
