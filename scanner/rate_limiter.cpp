// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/rate_limiter.hpp"

#include <algorithm>

namespace ghostport::scanner {

RateLimiter::RateLimiter(double rate, std::uint32_t burst)
    : interval_ns_(rate > 0 ? 1e9 / rate : 0), burst_ns_(interval_ns_ * std::max<std::uint32_t>(burst, 1)) {}

RateLimiter::clock::duration RateLimiter::reserve(clock::time_point now) {
    if (unlimited()) return clock::duration::zero();
    double t = static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
    if (next_ns_ < t) next_ns_ = t;  // no catch-up after a stall
    double slot = next_ns_;
    next_ns_ += interval_ns_;
    double wait = slot + interval_ns_ - burst_ns_ - t;  // up to `burst` slots may go out ahead of schedule
    if (wait <= 0) return clock::duration::zero();
    return std::chrono::duration_cast<clock::duration>(
        std::chrono::nanoseconds{static_cast<long long>(wait)});
}

}  // namespace ghostport::scanner
