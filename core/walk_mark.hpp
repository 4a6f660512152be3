// SPDX-License-Identifier: GPL-2.0-or-later
// How far a scan has got along its shuffled walk, for --resume: every position below low() is decided, and
// the positions decided above it (probes answered out of order) are remembered in a window.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace ghostport::core {

class WalkMark {
  public:
    // Positions more than `window` above low() are not remembered (a resumed scan probes them again).
    static constexpr std::uint64_t window = 1ull << 24;

    // A mark at `low`, with the runs [a, b) of positions above it already decided (from a checkpoint).
    explicit WalkMark(std::uint64_t low = 0,
                      const std::vector<std::pair<std::uint64_t, std::uint64_t>>& above = {});

    // Records that the probe at `position` is decided.
    void mark(std::uint64_t position);
    // Whether `position` is known to be decided.
    bool decided(std::uint64_t position) const;
    std::uint64_t low() const { return low_; }
    // The decided positions above low(), as sorted runs [a, b).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> above() const;

  private:
    bool bit(std::uint64_t position) const {
        return (bits_[(position % window) / 64] >> (position % 64)) & 1u;
    }
    std::uint64_t low_ = 0;
    std::uint64_t highest_ = 0;        // one past the highest position marked above low_
    std::vector<std::uint64_t> bits_;  // ring over [low_, low_ + window)
};

}  // namespace ghostport::core
