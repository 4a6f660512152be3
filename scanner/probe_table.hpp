// SPDX-License-Identifier: GPL-2.0-or-later
// The SYN engine's only per-probe state: the probes sent but not yet decided, each with its retransmission
// timer. Its capacity is fixed when the scan starts, so memory never grows with the number of targets.
//
// Design notes
// - Entries live in one array, its memory reserved at construction and its entries made as they are first
//   needed (then recycled), so a large table costs no page faults before the probes that fill it. A chained
//   hash (intrusive `hnext`) finds an entry by (host index, port) when a reply arrives; a timing wheel
//   (intrusive `wnext`, 1 ms ticks) finds the entries whose retransmission timer ran out; a FIFO ring holds
//   entries waiting to be sent again. No allocation after construction.
// - An entry is removed from the hash and the wheel (doubly linked) as soon as it is finished, so a duplicate
//   reply finds nothing; a finished entry still in the retry ring is freed when the ring reaches it.
// - Timer order within one tick is arbitrary; an entry fires at the first tick boundary at or after its
//   deadline. Deadlines farther than the wheel's horizon are re-filed until due.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace ghostport::scanner {

struct ProbeKey {
    std::uint64_t host = 0;  // index in the target set
    std::uint16_t port = 0;
    bool operator==(const ProbeKey&) const = default;
};

class ProbeTable {
  public:
    using Id = std::uint32_t;
    static constexpr Id none = ~Id{0};

    struct Entry {
        ProbeKey key;
        std::uint64_t first_ns = 0;     // when the first try went out
        std::uint64_t sent_ns = 0;      // when the latest try went out
        std::uint64_t deadline_ns = 0;  // when the latest try times out
        std::uint16_t source = 0;       // free for the engine: which source address the probe leaves from
        std::uint8_t tries = 0;         // tries sent so far minus one (0 = first try)
        bool grace = false;             // free for the engine: the last try's wait was extended
        std::uint8_t round_first = 0;   // free for the engine: the first try of the latest round
        std::uint8_t copies = 0;        // free for the engine: tries of the latest round still to go
      private:
        friend class ProbeTable;
        std::uint32_t generation = 0;                 // bumped each time the slot is reused
        Id hnext = none, wnext = none, wprev = none;  // wprev: none when first in its wheel slot
        std::uint32_t wslot = 0;
        std::uint8_t flags = 0;
    };

    // `capacity` entries at most (rounded up to a power of two); the wheel has `wheel_ticks` ticks of 1 ms.
    explicit ProbeTable(std::uint32_t capacity, std::uint32_t wheel_ticks = 8192);

    std::uint32_t capacity() const { return capacity_; }
    // Entries in use, finished ones waiting to be freed included.
    std::uint32_t used() const { return used_; }
    bool full() const { return free_.empty() && entries_.size() == capacity_; }
    // Unfinished entries: probes still waiting for an answer or a retry.
    std::uint32_t pending() const { return pending_; }

    // A new unfinished entry for `key` (tries 0, not armed); none when the table is full. The caller makes
    // sure the key is not already pending.
    Id insert(const ProbeKey& key);
    // The unfinished entry for `key`, or none.
    Id find(const ProbeKey& key) const;
    Entry& operator[](Id id) { return entries_[id]; }
    const Entry& operator[](Id id) const { return entries_[id]; }

    // A tag naming this use of the slot (its id and generation), for a report that may arrive after the
    // entry was finished and the slot reused (a send error from the sender's helper thread).
    std::uint64_t tag(Id id) const { return std::uint64_t{entries_[id].generation} << 32 | id; }
    // The unfinished entry a tag names, or none when that use is over (finished, freed or reused) or the
    // tag is not one this table made. Never reads outside the table.
    Id live(std::uint64_t tag) const;

    // Records that the entry's latest try was sent at `now_ns` and times out at `deadline_ns`.
    void arm(Id id, std::uint64_t now_ns, std::uint64_t deadline_ns);
    bool armed(Id id) const { return (entries_[id].flags & flag_armed) != 0; }
    // Moves an armed entry's deadline (e.g. earlier, once its host's RTT is measured).
    void rearm(Id id, std::uint64_t deadline_ns);
    // Queues the entry to be sent again (it must be unarmed: just returned by expire()).
    void push_retry(Id id);
    // The next entry waiting to be sent again, or none; finished ones are skipped (and freed).
    Id pop_retry();
    bool has_retry() const { return retry_count_ > 0; }

    // The probe is decided: it leaves the hash now, and its slot is freed as soon as nothing links it. An
    // entry already finished or freed is left alone.
    void finish(Id id);

    // Calls on_timeout(id) for every unfinished armed entry whose deadline is <= now_ns. The entry is unarmed
    // when called; the callback must push_retry() or finish() it.
    template <class F>
    void expire(std::uint64_t now_ns, F&& on_timeout) {
        if (!started_) return;  // nothing was ever armed
        const std::uint64_t now_tick = now_ns / tick_ns;
        std::uint64_t steps = 0;
        const std::uint64_t mask = wheel_.size() - 1;
        // A tick is visited once it has wholly passed, so every entry filed in it is due.
        while (cursor_ < now_tick && steps <= mask) {
            Id id = wheel_[cursor_ & mask];
            wheel_[cursor_ & mask] = none;
            while (id != none) {
                Entry& e = entries_[id];
                Id next = e.wnext;
                e.wnext = e.wprev = none;
                // Finished entries are never here: finish() takes them out of the wheel.
                if (e.deadline_ns > now_ns) {
                    file(id);  // filed a wheel turn early: stays armed
                } else {
                    e.flags &= static_cast<std::uint8_t>(~flag_armed);
                    on_timeout(id);
                }
                id = next;
            }
            ++cursor_;
            ++steps;
        }
        if (cursor_ < now_tick) cursor_ = now_tick;  // a stall longer than the wheel: every slot was visited
    }

    static constexpr std::uint64_t tick_ns = 1'000'000;

  private:
    static constexpr std::uint8_t flag_pending = 1, flag_armed = 2, flag_queued = 4, flag_finished = 8;

    std::size_t bucket_of(const ProbeKey& key) const;
    void file(Id id);  // puts an armed entry in the wheel slot of its deadline
    void release(Id id);
    void unlink(Id id);  // takes an armed entry out of its wheel slot

    std::uint32_t capacity_;
    std::vector<Entry> entries_;  // capacity_ reserved; grows up to it, never reallocated
    std::vector<Id> buckets_;
    std::vector<Id> free_;  // finished entries, to be reused before a new one is made
    std::vector<Id> wheel_;
    std::unique_ptr<Id[]> retry_;  // ring of capacity_ slots, written before read
    std::size_t retry_head_ = 0, retry_count_ = 0;
    std::uint64_t cursor_ = 0;  // next wheel tick to visit (set by the first arm to its send time)
    bool started_ = false;
    std::uint32_t used_ = 0, pending_ = 0;
};

}  // namespace ghostport::scanner
