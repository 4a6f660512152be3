#include "scanner/target_source.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::scanner {

namespace {
std::uint64_t checked_product(std::uint64_t hosts, std::uint64_t ports) {
    if (ports != 0 && hosts > (1ull << 63) / ports)
        throw core::InputError(fmt::format("{} hosts x {} ports is too many probes for one scan", hosts, ports));
    return hosts * ports;
}
}  // namespace

TargetSource::TargetSource(const TargetSet& hosts, std::vector<std::uint16_t> ports, std::uint64_t seed)
    : hosts_(hosts), ports_(std::move(ports)), permutation_(checked_product(hosts.size(), ports_.size()), seed) {}

ProbeTarget TargetSource::at(std::uint64_t i) const {
    // Host varies fastest in the permuted index, so a shuffled walk spreads over hosts.
    std::uint64_t x = permutation_(i), h = hosts_.size();
    return {hosts_.at(x % h), x % h, ports_[x / h]};
}

}  // namespace ghostport::scanner
