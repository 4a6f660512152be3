// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/target_source.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::scanner {

namespace {
std::uint64_t checked_product(std::uint64_t hosts, std::uint64_t ports) {
    if (ports != 0 && hosts > (1ull << 63) / ports)
        throw core::InputError(
            fmt::format("{} hosts x {} ports is too many probes for one scan", hosts, ports));
    return hosts * ports;
}
}  // namespace

TargetSource::TargetSource(const TargetSet& hosts, std::vector<std::uint16_t> ports, std::uint64_t seed,
                           Shard shard, std::uint64_t skip)
    : hosts_(hosts),
      ports_(std::move(ports)),
      permutation_(checked_product(hosts.size(), ports_.size()), seed),
      shard_(shard),
      size_(shard.index < permutation_.size()
                ? (permutation_.size() - shard.index + shard.count - 1) / shard.count
                : 0),
      skip_(std::min(skip, size_)),
      port_position_(65536, -1) {
    for (std::size_t i = 0; i < ports_.size(); ++i) port_position_[ports_[i]] = static_cast<std::int32_t>(i);
}

std::optional<std::uint64_t> TargetSource::position_of(const core::Address& host, std::uint16_t port) const {
    const auto h = hosts_.index_of(host);
    const std::int32_t p = port_position_[port];
    if (!h || p < 0) return std::nullopt;
    const std::uint64_t j = permutation_.inverse(static_cast<std::uint64_t>(p) * hosts_.size() + *h);
    if (j < shard_.index || (j - shard_.index) % shard_.count != 0) return std::nullopt;
    return (j - shard_.index) / shard_.count;
}

Shard parse_shard(std::string_view text) {
    auto bad = [&] {
        return core::InputError(
            fmt::format("bad --shard '{}': give K/N with 1 <= K <= N <= 65536 (1/3, 2/3, 3/3)", text));
    };
    auto slash = text.find('/');
    if (slash == std::string_view::npos) throw bad();
    std::uint64_t k = 0, n = 0;
    auto number = [&](std::string_view s, std::uint64_t& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc{} && p == s.data() + s.size();
    };
    if (!number(text.substr(0, slash), k) || !number(text.substr(slash + 1), n) || k < 1 || k > n ||
        n > 65536)
        throw bad();
    return {k - 1, n};
}

ProbeTarget TargetSource::at(std::uint64_t i) const {
    // Host varies fastest in the permuted index, so a shuffled walk spreads over hosts.
    std::uint64_t x = permutation_(shard_.index + (skip_ + i) * shard_.count), h = hosts_.size();
    return {hosts_.at(x % h), x % h, ports_[x / h]};
}

}  // namespace ghostport::scanner
