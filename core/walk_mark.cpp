// SPDX-License-Identifier: GPL-2.0-or-later
// How far a scan has got along its shuffled walk: a low-water mark and a ring bitmap above it.
#include "core/walk_mark.hpp"

#include <algorithm>

namespace ghostport::core {

WalkMark::WalkMark(std::uint64_t low, const std::vector<std::pair<std::uint64_t, std::uint64_t>>& above)
    : low_(low), highest_(low), bits_(window / 64, 0) {
    for (const auto& [a, b] : above)
        for (std::uint64_t p = a; p < b; ++p) mark(p);
}

void WalkMark::mark(std::uint64_t position) {
    if (position < low_ || position >= low_ + window) return;
    if (position != low_) {
        bits_[(position % window) / 64] |= std::uint64_t{1} << (position % 64);
        highest_ = std::max(highest_, position + 1);
        return;
    }
    ++low_;
    while (low_ < highest_ && bit(low_)) {
        bits_[(low_ % window) / 64] &= ~(std::uint64_t{1} << (low_ % 64));
        ++low_;
    }
    highest_ = std::max(highest_, low_);
}

bool WalkMark::decided(std::uint64_t position) const {
    if (position < low_) return true;
    if (position >= low_ + window) return false;
    return bit(position);
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> WalkMark::above() const {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
    for (std::uint64_t p = low_ + 1; p < highest_; ++p) {
        if (!bit(p)) continue;
        if (!runs.empty() && runs.back().second == p)
            ++runs.back().second;
        else
            runs.emplace_back(p, p + 1);
    }
    return runs;
}

}  // namespace ghostport::core
