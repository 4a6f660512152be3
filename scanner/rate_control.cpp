// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/rate_control.hpp"

#include <algorithm>
#include <cmath>

namespace ghostport::scanner {

namespace {
constexpr std::uint64_t min_answers = 400;  // first-try answers an epoch needs before its late share counts
constexpr double bucket_seconds = 0.002;    // the allowance holds at most 2 ms of sending
constexpr std::uint64_t settle_epochs = 10;
constexpr double min_threshold = 0.15;  // late share that always means drops beyond the path's own
constexpr double margin = 0.10;         // late share above the path's own loss that means congestion
constexpr std::uint64_t min_queue_delay_ns = 2'000'000;  // queueing below this is jitter
constexpr std::uint64_t min_delays = 50;                 // round trips an epoch needs before they count
}  // namespace

RateControl::RateControl(const RateControlOptions& options)
    : opt_(options), rate_(options.initial), ssthresh_(ceiling_rate) {
    clamp();
}

void RateControl::clamp() {
    double lo = opt_.min_rate > 0 ? opt_.min_rate : floor_rate;
    double hi = opt_.max_rate > 0 ? opt_.max_rate : ceiling_rate;
    rate_ = std::clamp(rate_, lo, std::max(lo, hi));
}

std::uint32_t RateControl::allowance(std::uint64_t now_ns, std::uint32_t limit) {
    if (!started_) {
        started_ = true;
        last_refill_ns_ = epoch_start_ns_ = now_ns;
        tokens_ = 1;
    }
    if (now_ns > last_refill_ns_) {
        double cap = std::max(1.0, rate_ * bucket_seconds);
        tokens_ = std::min(cap, tokens_ + rate_ * static_cast<double>(now_ns - last_refill_ns_) * 1e-9);
        last_refill_ns_ = now_ns;
    }
    if (tokens_ < 1) return 0;
    return static_cast<std::uint32_t>(std::min<double>(limit, std::floor(tokens_)));
}

double RateControl::answered_rate() const {
    std::uint64_t answers = 0, ns = 0;
    for (const auto& r : recent_) {
        answers += r.answers;
        ns += r.ns;
    }
    if (ns == 0 || sent_total_ == 0 || answers_total_ == 0) return 0;
    const double answered_share = static_cast<double>(answers_total_) / static_cast<double>(sent_total_);
    return static_cast<double>(answers) * 1e9 / static_cast<double>(ns) / answered_share;
}

void RateControl::update(std::uint64_t now_ns, std::uint64_t rtt_ns, std::uint64_t slowest_rtt_ns) {
    if (!started_ || now_ns - epoch_start_ns_ < opt_.epoch_ns) return;
    const std::uint64_t answers = prompt_ + late_;
    const double share = answers ? static_cast<double>(late_) / static_cast<double>(answers) : 0.0;
    const bool overloaded = overload_ > 0 && now_ns >= overload_hold_until_ns_;
    bool congested = false;
    // Judged only while first tries are being answered in numbers: once only retries are left (the end of a
    // scan), every answer is a late one and says nothing about congestion.
    if (prompt_ >= min_answers) {
        // Smoothed, because a late answer arrives a timeout after the prompt ones of its time.
        late_share_ = late_share_ < 0 ? share : 0.75 * late_share_ + 0.25 * share;
        // The path's own loss is learnt once retransmissions have had time to be answered.
        if (++judged_ > settle_epochs) loss_floor_ = std::min(loss_floor_, late_share_);
        if (late_share_ > std::max(min_threshold, loss_floor_ + margin)) congested = true;
    }
    // What the targets answered lately, per second: once a queue between here and them overflows, what gets
    // through it.
    answers_total_ += answers;
    sent_total_ += epoch_sent_;
    recent_[recent_at_++ % recent_.size()] = {answers, now_ns - epoch_start_ns_};
    // Most round trips longer than their host's shortest by more than a trace of jitter: a queue is building
    // (the median, not the mean, so that a few answers held up on this machine do not count).
    const bool queueing = delays_ >= min_delays && 2 * delayed_ > delays_;
    queue_threshold_ns_ = std::max(min_queue_delay_ns, rtt_ns / 50);
    if (queueing && rate_ < ssthresh_ && !overloaded && !congested) {
        // Slow start found the bottleneck before it overflowed. When the rate doubled within the last
        // slowest round trip, the doubling made the queue: back to the rate before it (answered without a
        // queue). Otherwise the rate had been answered without a queue for a whole round trip, and the
        // bottleneck moved (a busy machine): 10% down. From there the rate climbs back toward where the
        // queue began.
        const bool doubled_lately =
            grown_ns_ > 0 && now_ns - grown_ns_ <= std::max(rtt_ns, slowest_rtt_ns) + 2 * opt_.epoch_ns;
        queue_rate_ = rate_;
        rate_ *= doubled_lately ? 0.5 : 0.9;
        ssthresh_ = rate_;
        hold_until_ns_ = now_ns + std::max(opt_.hold_ns, rtt_ns);
        ++backoffs_;
    } else if (overloaded || (congested && now_ns >= hold_until_ns_)) {
        double cut = rate_ * 0.7;
        if (overloaded) cut = std::clamp(0.9 * answered_rate(), rate_ * 0.25, cut);
        ssthresh_ = cut;
        rate_ = cut;
        queue_rate_ = 0;
        hold_until_ns_ = now_ns + std::max(opt_.hold_ns, 2 * rtt_ns);
        overload_hold_until_ns_ = now_ns + opt_.overload_hold_ns;
        ++backoffs_;
    } else if (!congested && !queueing && overload_ == 0 && limited_ && now_ns >= hold_until_ns_) {
        // Doubling waits the slowest round trip for its evidence (the answers of the near hosts come first
        // and would let it double too soon); the other steps, half a round trip. Below the rate at which slow
        // start met a queue, each step goes half way to it (a queue that was noise costs a few steps, not a
        // slow climb in 5% steps); the queue, if real, stops the climb before that rate.
        const bool slow_start = rate_ < ssthresh_;
        const std::uint64_t wait = slow_start ? std::max(rtt_ns, slowest_rtt_ns) : rtt_ns / 2;
        if (now_ns - grown_ns_ >= std::max(opt_.epoch_ns, wait)) {
            rate_ = slow_start ? 2 * rate_ : std::max(1.05 * rate_, (rate_ + queue_rate_) / 2);
            grown_ns_ = now_ns;
        }
    }
    if (limited_) {
        const double achieved =
            static_cast<double>(epoch_sent_) * 1e9 / static_cast<double>(now_ns - epoch_start_ns_);
        // What the sender can do: the best recent epoch, fading 10% an epoch, so that one epoch in which
        // the sender was not scheduled does not drag the rate down with it.
        achieved_ = std::max(achieved, achieved_ * 0.9);
        rate_ = std::min(rate_, std::max(2 * achieved_, opt_.initial));
    }
    clamp();
    prompt_ = late_ = overload_ = epoch_sent_ = delays_ = delayed_ = 0;
    limited_ = false;
    epoch_start_ns_ = now_ns;
}

}  // namespace ghostport::scanner
