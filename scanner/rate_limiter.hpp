// SPDX-License-Identifier: GPL-2.0-or-later
// Paces probes to at most `rate` per second without busy-waiting and without bursting to catch up after a
// stall.
#pragma once

#include <chrono>
#include <cstdint>

namespace ghostport::scanner {

// A virtual-clock limiter: each probe is scheduled one interval after the previous one. The schedule may
// run ahead of real time by at most `burst` probes (so batches can go out together), and it never lags
// behind real time: after a stall the schedule restarts from now, so no catch-up burst follows.
//
// A reserved slot bounds when a probe may go, not when it does: a sender whose wake-up comes late (a busy
// machine, a stalled event loop) sends together with the ones whose slots come after its own, and many late
// wake-ups make a burst. admit() is the check at the moment of sending, on the times probes really go: it
// keeps every window of T seconds to at most rate x T + burst probes, whatever the wake-ups did.
class RateLimiter {
  public:
    using clock = std::chrono::steady_clock;

    // rate <= 0 means unlimited.
    explicit RateLimiter(double rate, std::uint32_t burst = 16);

    // Reserves the next slot; returns how long the caller must wait before sending (zero when it may go now).
    clock::duration reserve(clock::time_point now);
    // Called right before sending: zero, and the send is counted, when a probe going at `now` keeps the
    // rate on the real send times; otherwise how long to wait before asking again (nothing is counted).
    clock::duration admit(clock::time_point now);
    bool unlimited() const { return interval_ns_ <= 0; }

  private:
    double interval_ns_;  // nanoseconds between probes
    double burst_ns_;
    double next_ns_ = -1;  // virtual send time of the next slot, ns since epoch of steady_clock
    double sent_ns_ = -1;  // the same schedule, advanced by the real send times that admit() counted
};

}  // namespace ghostport::scanner
