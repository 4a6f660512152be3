// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/target_set.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace ghostport::scanner {

using core::Address;
using core::Family;

u128 to_u128(const Address& a) {
    if (a.is_v4()) return a.v4();
    u128 v = 0;
    for (auto b : a.bytes) v = (v << 8) | b;
    return v;
}

Address from_u128(Family family, u128 value) {
    if (family == Family::v4) return Address::from_v4(static_cast<std::uint32_t>(value));
    Address a;
    a.family = Family::v6;
    for (int i = 15; i >= 0; --i) {
        a.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value);
        value >>= 8;
    }
    return a;
}

AddressRange AddressRange::single(const Address& a) {
    return {a.family, to_u128(a), to_u128(a)};
}

namespace {

std::vector<AddressRange> merged(std::vector<AddressRange> rs) {
    std::sort(rs.begin(), rs.end(), [](const auto& a, const auto& b) { return a.lo < b.lo; });
    std::vector<AddressRange> out;
    for (const auto& r : rs) {
        if (!out.empty() && (out.back().hi == ~u128{0} || r.lo <= out.back().hi + 1))
            out.back().hi = std::max(out.back().hi, r.hi);
        else
            out.push_back(r);
    }
    return out;
}

// Removes every excluded interval (sorted, disjoint) from the sorted, disjoint `keep`.
std::vector<AddressRange> subtract(const std::vector<AddressRange>& keep,
                                   const std::vector<AddressRange>& drop) {
    std::vector<AddressRange> out;
    for (auto r : keep) {
        bool alive = true;
        for (const auto& d : drop) {
            if (d.hi < r.lo || d.lo > r.hi) continue;
            if (d.lo > r.lo) out.push_back({r.family, r.lo, d.lo - 1});
            if (d.hi >= r.hi) {
                alive = false;
                break;
            }
            r.lo = d.hi + 1;
        }
        if (alive) out.push_back(r);
    }
    return out;
}

}  // namespace

void TargetSet::finalize() {
    std::vector<AddressRange> drop4, drop6;
    for (const auto& e : excluded_) (e.family == Family::v4 ? drop4 : drop6).push_back(e);
    ranges_ = subtract(merged(v4_), merged(drop4));
    auto six = subtract(merged(v6_), merged(drop6));
    ranges_.insert(ranges_.end(), six.begin(), six.end());
    starts_.clear();
    u128 total = 0;
    for (const auto& r : ranges_) {
        starts_.push_back(static_cast<std::uint64_t>(total));
        total += r.hi - r.lo + 1;
        if (total > (u128{1} << 63)) throw core::InputError("targets expand to more than 2^63 addresses");
    }
    total_ = static_cast<std::uint64_t>(total);
}

Address TargetSet::at(std::uint64_t index) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), index);
    auto i = static_cast<std::size_t>(it - starts_.begin() - 1);
    const auto& r = ranges_[i];
    return from_u128(r.family, r.lo + (index - starts_[i]));
}

std::optional<std::uint64_t> TargetSet::index_of(const Address& a) const {
    const u128 v = to_u128(a);
    // ranges_ is sorted by (family, lo): IPv4 first, then IPv6.
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), std::pair{a.family, v},
                               [](const std::pair<Family, u128>& key, const AddressRange& r) {
                                   return key.first != r.family ? key.first < r.family : key.second < r.lo;
                               });
    if (it == ranges_.begin()) return std::nullopt;
    --it;
    if (it->family != a.family || v > it->hi) return std::nullopt;
    auto i = static_cast<std::size_t>(it - ranges_.begin());
    return starts_[i] + static_cast<std::uint64_t>(v - it->lo);
}

const std::string& TargetSet::hostname(const Address& a) const {
    static const std::string none;
    auto it = names_.find(a);
    return it == names_.end() ? none : it->second;
}

}  // namespace ghostport::scanner
