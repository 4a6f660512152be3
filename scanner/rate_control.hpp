// SPDX-License-Identifier: GPL-2.0-or-later
// The SYN engine's pacing: a send rate that starts moderate, grows while replies keep coming back on the
// first try, and backs off when drops appear. Pure arithmetic on the events it is told about; no clock.
//
// Design notes
// - Evidence of drops, in the spirit of nmap's congestion control: a probe that went unanswered and then
//   was answered on a retransmission (the first try or its answer was lost), a capture that reports dropped
//   packets, and a send that the kernel refused for lack of buffers. Random loss on the path also produces
//   answered retransmissions, at a steady share that does not rise with the rate; congestion makes that share
//   rise. So the controller smooths the late share over epochs, learns the lowest value once the start has
//   settled (the path's own loss), and backs off when the share exceeds both 15% and that floor plus 10
//   points; capture drops and send errors always count.
// - Slow start doubles the rate per epoch (10 ms), or per slowest round trip when that is longer (the
//   answers of the farthest hosts to the faster probes must come back before they can vouch for it), while
//   the sender could use the whole allowance, up to the rate at the last back-off; above it the rate grows
//   5% per epoch or half (smoothed) round trip. The rate never runs ahead of twice what the sender really
//   achieved lately (when the CPU, not the pacing, is the limit), so a back-off always slows the wire down.
//   A back-off multiplies the rate by 0.7 and holds it for `hold` (or two round trips, when longer) so the
//   evidence already in flight does not cut it twice.
// - Queueing ends slow start before a queue overflows: when most round trips of an epoch (the median, so a
//   few answers held up on this machine do not count) are longer than their host's shortest by more than
//   2 ms (or 2% of the round trip), the rate halves to the last one answered without a queue and climbs back
//   from there, never while the queue lasts: each step (half a round trip) goes half way to the rate at
//   which the queue began, or 5% when that is more. A queue that was noise (a busy machine) so costs a few
//   steps, not a climb of 5% steps that a one-second scan never finishes.
// - Local drops (capture, send buffer, an interface's queue) are seen as they happen, so they may cut again
//   after a short hold, until the queue they overflow drains. Such a cut goes at once to the rate that got
//   through lately (the answers of the last epochs per second, divided by the share of probes answered over
//   the scan), within [0.25, 0.7] of the rate: a slow start that overshot a queue several times over comes
//   down in one step, not in a series of 0.7 cuts while the queue overflows.
// - Allowance: a token bucket refilled at the current rate, holding at most a few milliseconds' worth, so a
//   stall never turns into a catch-up burst. Bounded by [min_rate, max_rate].
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ghostport::scanner {

struct RateControlOptions {
    double initial = 25'000;  // packets per second at the start
    double min_rate = 0;      // never slower than this (0: down to floor_rate)
    double max_rate = 0;      // never faster than this (0: up to ceiling_rate)
    std::uint64_t epoch_ns = 10'000'000;
    std::uint64_t hold_ns = 100'000'000;          // after a back-off on late answers (or two round trips)
    std::uint64_t overload_hold_ns = 30'000'000;  // after a back-off on local drops, which are seen at once
};

class RateControl {
  public:
    static constexpr double floor_rate = 100, ceiling_rate = 10'000'000;

    explicit RateControl(const RateControlOptions& options = {});

    double rate() const { return rate_; }
    std::uint64_t backoffs() const { return backoffs_; }

    // A probe was answered: on its first try, or only after a retransmission.
    void on_answer(bool after_retransmission) { (after_retransmission ? late_ : prompt_)++; }
    // A round trip was measured `excess_ns` longer than the shortest of its host.
    void on_queue_delay(std::uint64_t excess_ns) {
        ++delays_;
        if (excess_ns > queue_threshold_ns_) ++delayed_;
    }
    // Packets the capture dropped, or sends the kernel refused (ENOBUFS): direct evidence of overload.
    void on_overload(std::uint64_t count) { overload_ += count; }

    // Packets that may be sent at `now_ns` (at most `limit`); call sent() with what was really sent.
    std::uint32_t allowance(std::uint64_t now_ns, std::uint32_t limit);
    void sent(std::uint32_t n) {
        tokens_ -= n;
        epoch_sent_ += n;
    }
    // Whether the sender wanted to send more than it was allowed this epoch (the rate is what limits it).
    void note_limited() { limited_ = true; }

    // Ends an epoch when one is due: judges the evidence and adjusts the rate. `rtt_ns`: the scan's smoothed
    // round trip, `slowest_rtt_ns` its slowest (0 while unknown).
    void update(std::uint64_t now_ns, std::uint64_t rtt_ns = 0, std::uint64_t slowest_rtt_ns = 0);

  private:
    void clamp();
    double answered_rate() const;  // probes per second the recent answers stand for (0: unknown)

    RateControlOptions opt_;
    double rate_, ssthresh_;
    double tokens_ = 0;
    std::uint64_t last_refill_ns_ = 0, epoch_start_ns_ = 0, grown_ns_ = 0;
    std::uint64_t hold_until_ns_ = 0, overload_hold_until_ns_ = 0;
    bool started_ = false, limited_ = false;
    std::uint64_t prompt_ = 0, late_ = 0, overload_ = 0, epoch_sent_ = 0, delays_ = 0, delayed_ = 0;
    std::uint64_t queue_threshold_ns_ = 2'000'000;  // excess round trip that counts as queueing
    double achieved_ = 0;                           // the sender's recent best rate
    double queue_rate_ = 0;     // the rate at which slow start last met a queue (0: a cut on drops since)
    double late_share_ = -1;    // smoothed share of answers that came only after a retransmission
    double loss_floor_ = 0.05;  // lowest smoothed late share seen since the start settled
    std::uint64_t judged_ = 0;  // epochs with enough answers to judge
    std::uint64_t backoffs_ = 0;
    std::uint64_t answers_total_ = 0, sent_total_ = 0;
    struct Recent {
        std::uint64_t answers = 0, ns = 0;
    };
    std::array<Recent, 5> recent_{};  // the last epochs
    std::size_t recent_at_ = 0;
};

}  // namespace ghostport::scanner
