#include "scanner/rate_control.hpp"

#include <algorithm>
#include <cmath>

namespace ghostport::scanner {

namespace {
constexpr std::uint64_t min_answers = 400;  // answers an epoch needs before its late share means anything
constexpr double bucket_seconds = 0.002;    // the allowance holds at most 2 ms of sending
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

void RateControl::update(std::uint64_t now_ns) {
    if (!started_ || now_ns - epoch_start_ns_ < opt_.epoch_ns) return;
    const std::uint64_t answers = prompt_ + late_;
    const double share = answers ? static_cast<double>(late_) / static_cast<double>(answers) : 0.0;
    bool congested = overload_ > 0;
    if (answers >= min_answers) {
        double threshold = std::max({2 * loss_floor_, loss_floor_ + 0.05, 0.05});
        if (share > threshold) congested = true;
        if (!congested) loss_floor_ = std::min(loss_floor_, share);
    }
    if (congested && now_ns >= hold_until_ns_) {
        ssthresh_ = rate_ * 0.7;
        rate_ *= 0.7;
        hold_until_ns_ = now_ns + opt_.hold_ns;
        ++backoffs_;
    } else if (!congested && limited_ && now_ns >= hold_until_ns_) {
        rate_ *= rate_ < ssthresh_ ? 1.5 : 1.05;
    }
    clamp();
    prompt_ = late_ = overload_ = epoch_sent_ = 0;
    limited_ = false;
    epoch_start_ns_ = now_ns;
}

}  // namespace ghostport::scanner
