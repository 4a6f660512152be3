// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/rate_limiter.hpp"

#include <algorithm>

namespace ghostport::scanner {

RateLimiter::RateLimiter(double rate, std::uint32_t burst)
    : interval_ns_(rate > 0 ? 1e9 / rate : 0), burst_ns_(interval_ns_ * std::max<std::uint32_t>(burst, 1)) {}

namespace {

double ns_of(RateLimiter::clock::time_point now) {
    return static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
}

RateLimiter::clock::duration wait_of(double ns) {
    return std::chrono::duration_cast<RateLimiter::clock::duration>(
        std::chrono::nanoseconds{static_cast<long long>(ns) + 1});
}

}  // namespace

RateLimiter::clock::duration RateLimiter::reserve(clock::time_point now) {
    if (unlimited()) return clock::duration::zero();
    const double t = ns_of(now);
    if (next_ns_ < t) next_ns_ = t;  // no catch-up after a stall
    double slot = next_ns_;
    next_ns_ += interval_ns_;
    double wait = slot + interval_ns_ - burst_ns_ - t;  // up to `burst` slots may go out ahead of schedule
    if (wait <= 0) return clock::duration::zero();
    return wait_of(wait);
}

RateLimiter::clock::duration RateLimiter::admit(clock::time_point now) {
    if (unlimited()) return clock::duration::zero();
    const double t = ns_of(now);
    const double start = std::max(sent_ns_, t);  // no credit for time nothing was sent
    const double wait = start + interval_ns_ - burst_ns_ - t;
    if (wait > 0) return wait_of(wait);
    sent_ns_ = start + interval_ns_;
    return clock::duration::zero();
}

}  // namespace ghostport::scanner
