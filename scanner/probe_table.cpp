// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/probe_table.hpp"

#include <algorithm>
#include <bit>

namespace ghostport::scanner {

ProbeTable::ProbeTable(std::uint32_t capacity, std::uint32_t wheel_ticks)
    : capacity_(std::bit_ceil(std::max<std::uint32_t>(capacity, 2))),
      buckets_(capacity_, none),
      wheel_(std::bit_ceil(std::max<std::uint32_t>(wheel_ticks, 2)), none),
      retry_(std::make_unique_for_overwrite<Id[]>(capacity_)) {
    // Reserved, not touched: a table of 131,072 entries is 9 MB, whose page faults cost tens of
    // milliseconds before the first probe on a virtual machine if they all come at once.
    entries_.reserve(capacity_);
    free_.reserve(capacity_);
}

std::size_t ProbeTable::bucket_of(const ProbeKey& key) const {
    std::uint64_t h = (key.host * 0x9E3779B97F4A7C15ull) ^ (key.port * 0xC2B2AE3D27D4EB4Full);
    h ^= h >> 29;
    return static_cast<std::size_t>(h) & (buckets_.size() - 1);
}

ProbeTable::Id ProbeTable::insert(const ProbeKey& key) {
    Id id;
    if (!free_.empty()) {
        id = free_.back();
        free_.pop_back();
    } else if (entries_.size() < capacity_) {
        id = static_cast<Id>(entries_.size());
        entries_.emplace_back();
    } else {
        return none;
    }
    Entry& e = entries_[id];
    const std::uint32_t generation = e.generation + 1;
    e = Entry{};
    e.generation = generation;
    e.key = key;
    e.flags = flag_pending;
    std::size_t b = bucket_of(key);
    e.hnext = buckets_[b];
    buckets_[b] = id;
    ++used_;
    ++pending_;
    return id;
}

ProbeTable::Id ProbeTable::find(const ProbeKey& key) const {
    for (Id id = buckets_[bucket_of(key)]; id != none; id = entries_[id].hnext)
        if (entries_[id].key == key) return id;
    return none;
}

void ProbeTable::arm(Id id, std::uint64_t now_ns, std::uint64_t deadline_ns) {
    Entry& e = entries_[id];
    if (e.tries == 0) e.first_ns = now_ns;
    e.sent_ns = now_ns;
    e.deadline_ns = deadline_ns;
    e.flags |= flag_armed;
    if (!started_) {  // the wheel starts at the first send, not at the first deadline
        cursor_ = now_ns / tick_ns;
        started_ = true;
    }
    file(id);
}

void ProbeTable::file(Id id) {
    Entry& e = entries_[id];
    const std::uint64_t tick = std::max(e.deadline_ns / tick_ns, cursor_);
    const auto slot = static_cast<std::uint32_t>(tick & (wheel_.size() - 1));
    e.wslot = slot;
    e.wprev = none;
    e.wnext = wheel_[slot];
    if (e.wnext != none) entries_[e.wnext].wprev = id;
    wheel_[slot] = id;
}

void ProbeTable::unlink(Id id) {
    Entry& e = entries_[id];
    if (e.wprev == none)
        wheel_[e.wslot] = e.wnext;
    else
        entries_[e.wprev].wnext = e.wnext;
    if (e.wnext != none) entries_[e.wnext].wprev = e.wprev;
    e.wnext = e.wprev = none;
    e.flags &= static_cast<std::uint8_t>(~flag_armed);
}

void ProbeTable::rearm(Id id, std::uint64_t deadline_ns) {
    if (!armed(id)) return;
    unlink(id);
    entries_[id].deadline_ns = deadline_ns;
    entries_[id].flags |= flag_armed;
    file(id);
}

void ProbeTable::push_retry(Id id) {
    entries_[id].flags |= flag_queued;
    retry_[(retry_head_ + retry_count_) & (capacity_ - 1)] = id;
    ++retry_count_;  // at most one slot per entry, so the ring never overflows
}

ProbeTable::Id ProbeTable::pop_retry() {
    while (retry_count_ > 0) {
        Id id = retry_[retry_head_];
        retry_head_ = (retry_head_ + 1) & (capacity_ - 1);
        --retry_count_;
        Entry& e = entries_[id];
        e.flags &= static_cast<std::uint8_t>(~flag_queued);
        if (!(e.flags & flag_finished)) return id;
        release(id);  // finished while queued (a queued entry is never armed)
    }
    return none;
}

ProbeTable::Id ProbeTable::live(std::uint64_t tag) const {
    const auto id = static_cast<Id>(tag & 0xFFFF'FFFFu);
    if (id >= entries_.size()) return none;
    const Entry& e = entries_[id];
    if ((e.flags & (flag_pending | flag_finished)) != flag_pending) return none;
    return e.generation == static_cast<std::uint32_t>(tag >> 32) ? id : none;
}

void ProbeTable::finish(Id id) {
    Entry& e = entries_[id];
    if ((e.flags & (flag_pending | flag_finished)) != flag_pending) return;
    // Unlink from the hash chain.
    Id* link = &buckets_[bucket_of(e.key)];
    while (*link != id) link = &entries_[*link].hnext;
    *link = e.hnext;
    e.hnext = none;
    e.flags |= flag_finished;
    --pending_;
    if (e.flags & flag_armed) unlink(id);
    if (!(e.flags & flag_queued)) release(id);
}

void ProbeTable::release(Id id) {
    entries_[id].flags = 0;
    free_.push_back(id);
    --used_;
}

}  // namespace ghostport::scanner
