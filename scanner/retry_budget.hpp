// SPDX-License-Identifier: GPL-2.0-or-later
// How many times the SYN engine sends a probe that gets no answer: enough that an open port is missed only
// when every try is lost, with a probability under one in a million at the loss the scan measures.
//
// Design notes
// - The per-try loss is estimated as the share of answers that came only to a retransmission (the first
//   try, or its answer, was lost). Until enough answers are in, the minimum applies.
// - Tries are raised (never lowered below the minimum) to the smallest n with loss^n <= 1e-6, within the
//   maximum: 3 tries up to 1% loss, 5 at 6% (3% each way), 7 at 13%. Only probes that never get an answer
//   (filtered ports, down hosts) pay for the extra tries; every answered one stops at its answer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ghostport::scanner {

// The smallest number of retries r in [min_retries, max_retries] with loss^(r + 1) <= miss.
inline unsigned retries_for_loss(double loss, unsigned min_retries, unsigned max_retries,
                                 double miss = 1e-6) {
    if (max_retries <= min_retries || !(loss > 0)) return min_retries;
    if (loss >= 1) return max_retries;
    const double tries = std::ceil(std::log(miss) / std::log(loss) - 1e-9);
    const double r =
        std::clamp(tries - 1, static_cast<double>(min_retries), static_cast<double>(max_retries));
    return static_cast<unsigned>(r);
}

class RetryBudget {
  public:
    static constexpr std::uint64_t min_answers = 500;  // answers before the measured loss counts

    RetryBudget(unsigned min_retries, unsigned max_retries)
        : min_(min_retries), max_(std::max(min_retries, max_retries)), retries_(min_retries) {}

    // A probe was answered; `retransmitted`: the answer was to a try after the first.
    void on_answer(bool retransmitted) {
        ++answers_;
        if (retransmitted) ++late_;
        if (answers_ >= min_answers && (answers_ & 255) == 0) {
            const double loss = static_cast<double>(late_) / static_cast<double>(answers_);
            retries_ = retries_for_loss(loss, min_, max_);
        }
    }
    // Retries a probe gets now.
    unsigned retries() const { return retries_; }
    // The most it may ever get (source ports are reserved for this many tries, plus one).
    unsigned max_retries() const { return max_; }

  private:
    unsigned min_, max_, retries_;
    std::uint64_t answers_ = 0, late_ = 0;
};

}  // namespace ghostport::scanner
