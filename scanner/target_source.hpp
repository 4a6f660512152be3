// The scheduler's view of a scan: probe i of hosts x ports, in permuted order.
#pragma once

#include <cstdint>
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
    // Throws core::InputError when hosts x ports overflows 2^63.
    TargetSource(const TargetSet& hosts, std::vector<std::uint16_t> ports, std::uint64_t seed,
                 Shard shard = {});

    // Probes in this shard (all of them without sharding).
    std::uint64_t size() const { return size_; }
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
};

}  // namespace ghostport::scanner
