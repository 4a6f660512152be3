// SPDX-License-Identifier: GPL-2.0-or-later
// The set of hosts to scan: disjoint address intervals (IPv4 first, then IPv6) addressed by a dense index.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"

namespace ghostport::scanner {

using u128 = unsigned __int128;

// An inclusive interval of addresses of one family; IPv4 values live in the low 32 bits.
struct AddressRange {
    core::Family family = core::Family::v4;
    u128 lo = 0, hi = 0;
    static AddressRange single(const core::Address& a);
};

u128 to_u128(const core::Address& a);
core::Address from_u128(core::Family family, u128 value);

class TargetSet {
  public:
    void add(const AddressRange& r) { (r.family == core::Family::v4 ? v4_ : v6_).push_back(r); }
    void exclude(const AddressRange& r) { excluded_.push_back(r); }
    void name(const core::Address& a, std::string hostname) { names_.emplace(a, std::move(hostname)); }

    // Merges overlaps (so each address appears once), removes the excluded ranges and builds the index.
    // Throws core::InputError when the set holds more than 2^63 addresses.
    void finalize();

    std::uint64_t size() const { return total_; }
    // The index-th address, 0 <= index < size(); valid after finalize().
    core::Address at(std::uint64_t index) const;
    // The index of `a` (the inverse of at()), or nullopt when `a` is not in the set.
    std::optional<std::uint64_t> index_of(const core::Address& a) const;
    // The hostname the user gave for this address, or "".
    const std::string& hostname(const core::Address& a) const;

  private:
    std::vector<AddressRange> v4_, v6_, excluded_;
    std::vector<AddressRange> ranges_;   // final, sorted, disjoint
    std::vector<std::uint64_t> starts_;  // index of each range's first address
    std::uint64_t total_ = 0;
    std::map<core::Address, std::string> names_;
};

}  // namespace ghostport::scanner
