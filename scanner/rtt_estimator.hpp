// SPDX-License-Identifier: GPL-2.0-or-later
// Per-host retransmission timeout from measured round trips, as RFC 6298 (and nmap) compute it.
#pragma once

#include <algorithm>
#include <chrono>

namespace ghostport::scanner {

class RttEstimator {
  public:
    using us = std::chrono::microseconds;

    // initial: the timeout before any sample; [min_rto, max_rto] bounds every timeout.
    RttEstimator(us initial, us min_rto, us max_rto) : initial_(initial), min_(min_rto), max_(max_rto) {}

    // One measured round trip (a SYN answered by SYN-ACK or RST).
    void sample(us rtt) {
        peak_ = std::max(peak_, rtt);
        double r = static_cast<double>(rtt.count());
        if (!has_sample_) {
            srtt_ = r;
            rttvar_ = r / 2;
            has_sample_ = true;
        } else {
            rttvar_ = 0.75 * rttvar_ + 0.25 * std::abs(srtt_ - r);
            srtt_ = 0.875 * srtt_ + 0.125 * r;
        }
    }

    bool has_sample() const { return has_sample_; }
    // The smoothed round trip; zero until the first sample.
    us srtt() const { return us{static_cast<long long>(srtt_)}; }
    // The longest round trip sampled; zero until the first sample.
    us peak() const { return peak_; }
    // srtt + 4 * rttvar, clamped to [min, max]; the initial timeout until the first sample.
    us rto() const {
        if (!has_sample_) return std::clamp(initial_, min_, max_);
        return std::clamp(us{static_cast<long long>(srtt_ + 4 * rttvar_)}, min_, max_);
    }
    // The timeout for retry number `attempt` (0 = first try): doubles per retry, capped at max.
    us timeout(unsigned attempt) const { return std::min(max_, us{rto().count() << std::min(attempt, 10u)}); }

  private:
    us initial_, min_, max_;
    double srtt_ = 0, rttvar_ = 0;
    us peak_{0};
    bool has_sample_ = false;
};

}  // namespace ghostport::scanner
