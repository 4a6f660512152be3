// The scheduler's view of a scan: probe i of hosts x ports, in permuted order.
#pragma once

#include <cstdint>
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

class TargetSource {
public:
    // Throws core::InputError when hosts x ports overflows 2^63.
    TargetSource(const TargetSet& hosts, std::vector<std::uint16_t> ports, std::uint64_t seed);

    std::uint64_t size() const { return permutation_.size(); }
    std::uint64_t host_count() const { return hosts_.size(); }
    const std::vector<std::uint16_t>& ports() const { return ports_; }
    // The i-th probe of the shuffled walk, 0 <= i < size().
    ProbeTarget at(std::uint64_t i) const;

private:
    const TargetSet& hosts_;
    std::vector<std::uint16_t> ports_;
    Permutation permutation_;
};

}  // namespace ghostport::scanner
