// SPDX-License-Identifier: GPL-2.0-or-later
// How many times the SYN engine sends a probe that gets no answer: enough that an open port is missed only
// when every try is lost, with a probability under one in a million at the loss the scan measures.
//
// Design notes
// - The per-try loss is estimated as the share of answers that came only to a retransmission (the first
//   try, or its answer, was lost), among the probes whose first try went long enough ago for a lost one to
//   have been answered on a retry (mature()); until enough have matured, among all the answers so far
//   (which reads low while probes go out: their late answers are not in yet). The larger of the two applies,
//   and the minimum until enough answers are in.
// - Tries are raised (never lowered below the minimum) to the smallest n with loss^n <= 1e-6, within the
//   maximum: 3 tries up to 1% loss, 5 at 6% (3% each way), 7 at 13%. Only probes that never get an answer
//   (filtered ports, down hosts) pay for the extra tries; every answered one stops at its answer.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
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
    static constexpr std::uint64_t min_answers = 500;       // answers before the measured loss counts
    static constexpr std::uint64_t bucket_ns = 10'000'000;  // answers are kept by their first try's time
    static constexpr std::size_t buckets = 512;             // so many buckets wait to mature, at most

    RetryBudget(unsigned min_retries, unsigned max_retries)
        : min_(min_retries), max_(std::max(min_retries, max_retries)), retries_(min_retries) {}

    // A probe was answered; `retransmitted`: the answer was to a try after the first; `first_ns`: when its
    // first try went (any clock, the one mature() is given).
    void on_answer(bool retransmitted, std::uint64_t first_ns) {
        ++all_.answers;
        if (retransmitted) ++all_.late;
        if (all_.answers >= min_answers && (all_.answers & 255) == 0) update();
        const std::uint64_t b = first_ns / bucket_ns;
        if (b < matured_) {  // its bucket has matured already: counts at once
            count({1, retransmitted ? 1u : 0u});
            return;
        }
        while (b >= matured_ + buckets) fold(matured_++);  // never more than `buckets` waiting
        Bucket& slot = ring_[b % buckets];
        ++slot.answers;
        if (retransmitted) ++slot.late;
    }
    // The answers to first tries sent before `now_ns - wait_ns` count: those probes have had the time to
    // be answered on a retry when their first try or its answer was lost. Counted earlier, the prompt
    // answers of the latest probes would be in and their late ones not yet, and the loss would read low
    // while the probes are still being sent: a probe would then finish a round with too few tries and
    // need a second round, a timeout more at the end of the scan.
    void mature(std::uint64_t now_ns, std::uint64_t wait_ns) {
        if (now_ns < wait_ns) return;
        const std::uint64_t upto = (now_ns - wait_ns) / bucket_ns;
        while (matured_ < upto) fold(matured_++);
    }
    // Retries a probe gets now.
    unsigned retries() const { return retries_; }
    // Whether enough answers have matured for retries() to rest on them.
    bool measured() const { return matured_answers_.answers >= min_answers; }
    // The most it may ever get (source ports are reserved for this many tries, plus one).
    unsigned max_retries() const { return max_; }

  private:
    struct Bucket {
        std::uint64_t answers = 0, late = 0;
    };
    void fold(std::uint64_t b) {
        Bucket& slot = ring_[b % buckets];
        if (slot.answers) count(slot);
        slot = {};
    }
    void count(const Bucket& add) {
        matured_answers_.answers += add.answers;
        matured_answers_.late += add.late;
        update();
    }
    // The tries for the matured loss or for all the answers so far, whichever calls for more: before
    // enough answers have matured, the loss is read on all of them, as it comes.
    void update() {
        unsigned r = min_;
        for (const Bucket* b : {&matured_answers_, &all_})
            if (b->answers >= min_answers) {
                const double loss = static_cast<double>(b->late) / static_cast<double>(b->answers);
                r = std::max(r, retries_for_loss(loss, min_, max_));
            }
        retries_ = r;
    }

    unsigned min_, max_, retries_;
    Bucket matured_answers_, all_;  // the answers counted by mature(), and every answer
    std::uint64_t matured_ = 0;     // buckets below this have matured
    std::array<Bucket, buckets> ring_{};
};

}  // namespace ghostport::scanner
