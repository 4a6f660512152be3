// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/probe_table.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

using ghostport::scanner::ProbeKey;
using ghostport::scanner::ProbeTable;

namespace {
constexpr std::uint64_t ms = 1'000'000;

// Expires `t` at `now`, finishing every entry that fires; returns them in firing order.
std::vector<ProbeTable::Id> fire(ProbeTable& t, std::uint64_t now) {
    std::vector<ProbeTable::Id> fired;
    t.expire(now, [&](ProbeTable::Id id) {
        fired.push_back(id);
        t.finish(id);
    });
    return fired;
}
}  // namespace

TEST(ProbeTable, InsertFindFinish) {
    ProbeTable t(8);
    EXPECT_EQ(t.capacity(), 8u);
    auto a = t.insert({1, 80});
    auto b = t.insert({2, 80});
    EXPECT_EQ(t.find({1, 80}), a);
    EXPECT_EQ(t.find({2, 80}), b);
    EXPECT_EQ(t.find({1, 81}), ProbeTable::none);
    EXPECT_EQ(t.pending(), 2u);
    t.finish(a);
    EXPECT_EQ(t.find({1, 80}), ProbeTable::none);
    EXPECT_EQ(t.pending(), 1u);
    EXPECT_EQ(t.used(), 1u);  // not armed: freed at once
}

TEST(ProbeTable, CapacityIsABoundAndSlotsAreReused) {
    ProbeTable t(4);
    std::vector<ProbeTable::Id> ids;
    for (std::uint16_t p = 0; p < 4; ++p) ids.push_back(t.insert({7, p}));
    EXPECT_TRUE(t.full());
    EXPECT_EQ(t.insert({7, 9}), ProbeTable::none);
    t.finish(ids[2]);
    EXPECT_FALSE(t.full());
    EXPECT_NE(t.insert({7, 9}), ProbeTable::none);
}

// Entries are made as the table fills (its memory only reserved at first): a reference taken early stays
// valid while the table grows to its capacity, and a reused slot is the one that was freed.
TEST(ProbeTable, EntriesKeepTheirPlaceAsTheTableFills) {
    ProbeTable t(1024);
    const auto first = t.insert({1, 1});
    ProbeTable::Entry* at = &t[first];
    at->source = 42;
    std::vector<ProbeTable::Id> ids{first};
    for (std::uint16_t p = 2; p <= 1024; ++p) ids.push_back(t.insert({1, p}));
    EXPECT_TRUE(t.full());
    EXPECT_EQ(&t[first], at);
    EXPECT_EQ(t[first].source, 42);
    EXPECT_EQ(t.find({1, 1}), first);
    EXPECT_EQ(t.find({1, 1024}), ids.back());
    const auto old_tag = t.tag(ids[500]);
    t.finish(ids[500]);
    EXPECT_EQ(t.insert({2, 1}), ids[500]);
    EXPECT_NE(t.tag(ids[500]), old_tag);  // a new generation: a send error of the old probe names nothing
}

TEST(ProbeTable, TimersFireAtTheFirstTickAfterTheirDeadline) {
    ProbeTable t(16);
    const std::uint64_t t0 = 1000 * ms;
    auto a = t.insert({1, 1});
    auto b = t.insert({1, 2});
    t.arm(a, t0, t0 + 5 * ms);
    t.arm(b, t0, t0 + 50 * ms);
    EXPECT_TRUE(fire(t, t0 + 4 * ms).empty());
    EXPECT_EQ(fire(t, t0 + 6 * ms), std::vector<ProbeTable::Id>{a});
    EXPECT_TRUE(fire(t, t0 + 49 * ms).empty());
    EXPECT_EQ(fire(t, t0 + 52 * ms), std::vector<ProbeTable::Id>{b});
    EXPECT_EQ(t.used(), 0u);
}

TEST(ProbeTable, DeadlinesBeyondTheWheelAreRefiled) {
    ProbeTable t(4, 16);  // a 16 ms wheel
    const std::uint64_t t0 = 0;
    auto a = t.insert({1, 1});
    t.arm(a, t0, t0 + 100 * ms);
    int fired = 0;
    for (std::uint64_t now = t0; now <= t0 + 99 * ms; now += ms)
        t.expire(now, [&](ProbeTable::Id) { ++fired; });
    EXPECT_EQ(fired, 0);
    t.expire(t0 + 102 * ms, [&](ProbeTable::Id id) {
        ++fired;
        t.finish(id);
    });
    EXPECT_EQ(fired, 1);
}

TEST(ProbeTable, AnsweredEntriesLeaveTheWheelAtOnce) {
    ProbeTable t(4);
    auto a = t.insert({1, 1});
    auto b = t.insert({1, 2});
    t.arm(a, 0, 10 * ms);
    t.arm(b, 0, 10 * ms);
    t.finish(a);
    EXPECT_EQ(t.pending(), 1u);
    EXPECT_EQ(t.used(), 1u);
    t.finish(b);
    int fired = 0;
    t.expire(20 * ms, [&](ProbeTable::Id) { ++fired; });
    EXPECT_EQ(fired, 0);
    EXPECT_EQ(t.used(), 0u);
}

TEST(ProbeTable, RetryQueueSkipsFinishedEntries) {
    ProbeTable t(8);
    auto a = t.insert({1, 1});
    auto b = t.insert({1, 2});
    t.arm(a, 0, ms);
    t.arm(b, 0, ms);
    t.expire(3 * ms, [&](ProbeTable::Id id) {
        ++t[id].tries;
        t.push_retry(id);
    });
    EXPECT_TRUE(t.has_retry());
    t.finish(a);  // a late answer while waiting to be resent
    EXPECT_EQ(t.pop_retry(), b);
    EXPECT_EQ(t[b].tries, 1);
    EXPECT_EQ(t.pop_retry(), ProbeTable::none);
    EXPECT_EQ(t.used(), 1u);
}

TEST(ProbeTable, RandomWorkloadKeepsItsInvariants) {
    // Seeded simulation: probes are inserted, armed, answered or timed out and retried; every probe is
    // decided exactly once and the table ends empty.
    std::mt19937_64 rng(42);
    ProbeTable t(64, 32);
    std::set<std::pair<std::uint64_t, std::uint16_t>> decided;
    std::uint64_t now = 0, next = 0, inserted = 0;
    const std::uint64_t total = 5000;
    while (decided.size() < total) {
        now += ms / 2;
        while (next < total && !t.full()) {
            auto id = t.insert({next % 97, static_cast<std::uint16_t>(next / 97)});
            ++next;
            ++inserted;
            t.arm(id, now, now + (1 + rng() % 40) * ms);
        }
        // Answers for a few random pending keys.
        for (int i = 0; i < 8; ++i) {
            std::uint64_t k = rng() % std::max<std::uint64_t>(1, next);
            auto id = t.find({k % 97, static_cast<std::uint16_t>(k / 97)});
            if (id == ProbeTable::none) continue;
            ASSERT_TRUE(decided.insert({k % 97, k / 97}).second);
            t.finish(id);
        }
        t.expire(now, [&](ProbeTable::Id id) {
            if (t[id].tries < 2) {
                ++t[id].tries;
                t.push_retry(id);
            } else {
                ASSERT_TRUE(decided.insert({t[id].key.host, t[id].key.port}).second);
                t.finish(id);
            }
        });
        for (auto id = t.pop_retry(); id != ProbeTable::none; id = t.pop_retry())
            t.arm(id, now, now + (1 + rng() % 40) * ms);
        ASSERT_LE(t.used(), t.capacity());
        ASSERT_LT(now, 3600 * 1000 * ms);
    }
    EXPECT_EQ(inserted, total);
    EXPECT_EQ(t.pending(), 0u);
    t.expire(now + 100 * ms, [](ProbeTable::Id) { FAIL(); });
    EXPECT_EQ(t.used(), 0u);
}

TEST(ProbeTable, RearmMovesADeadlineEarlier) {
    ProbeTable t(8);
    auto a = t.insert({1, 1});
    auto b = t.insert({1, 2});
    t.arm(a, 0, 1000 * ms);
    t.arm(b, 0, 1000 * ms);
    t.rearm(a, 30 * ms);
    EXPECT_EQ(fire(t, 40 * ms), std::vector<ProbeTable::Id>{a});
    EXPECT_EQ(fire(t, 1002 * ms), std::vector<ProbeTable::Id>{b});
}

TEST(ProbeTable, AnEarlyLongDeadlineDoesNotDelayLaterShortOnes) {
    // The first probe waits a second (no RTT known yet); the next ones 20 ms. They must not wait for it.
    ProbeTable t(8);
    auto slow = t.insert({1, 1});
    t.arm(slow, 0, 1000 * ms);
    auto fast = t.insert({1, 2});
    t.arm(fast, 5 * ms, 25 * ms);
    EXPECT_EQ(fire(t, 30 * ms), std::vector<ProbeTable::Id>{fast});
}

// A send error reported after its probe was decided and the slot reused names nothing: the tag carries the
// slot's generation. Finishing twice, or finishing a freed slot, changes nothing.
TEST(ProbeTable, StaleTagsNameNothingAndDoubleFinishIsHarmless) {
    ProbeTable t(2);  // two slots: the free list hands out the lowest first
    const auto a = t.insert({1, 80});
    const std::uint64_t old_tag = t.tag(a);
    EXPECT_EQ(t.live(old_tag), a);
    t.finish(a);
    EXPECT_EQ(t.live(old_tag), ProbeTable::none) << "finished";
    t.finish(a);  // again, on a freed slot: no walk of the hash chain, no second free
    EXPECT_EQ(t.used(), 0u);
    const auto b = t.insert({2, 443});
    ASSERT_EQ(b, a) << "the freed slot is reused first";
    EXPECT_EQ(t.live(old_tag), ProbeTable::none) << "reused by another probe";
    EXPECT_EQ(t.live(t.tag(b)), b);
    EXPECT_EQ(t[t.live(t.tag(b))].key, (ProbeKey{2, 443}));
    const auto c = t.insert({3, 22});
    EXPECT_NE(c, b) << "a double finish must not have freed the slot twice";
    EXPECT_TRUE(t.full());
    EXPECT_EQ(t.insert({4, 25}), ProbeTable::none);
    EXPECT_EQ(t.live(std::uint64_t{7} << 32 | 0xFFFF'FFF0u), ProbeTable::none) << "an id past the table";
}

// The send-error path under a random workload: errors arrive late for random tags (live, stale and
// forged), and the engine's reaction (finish the live one) never breaks the table's counts.
TEST(ProbeTable, RandomLateSendErrorsKeepTheCounts) {
    std::mt19937_64 rng(0x5e4d);
    ProbeTable t(64);
    std::vector<std::uint64_t> tags;  // every tag ever made, live or not
    std::set<ProbeTable::Id> live;
    std::uint64_t now = 0;
    for (int step = 0; step < 200'000; ++step) {
        now += rng() % 3 * ms / 2;
        switch (rng() % 5) {
            case 0:
            case 1:
                if (!t.full()) {
                    const auto id = t.insert({rng() % 1000, static_cast<std::uint16_t>(step)});
                    t.arm(id, now, now + (1 + rng() % 50) * ms);
                    tags.push_back(t.tag(id));
                    live.insert(id);
                }
                break;
            case 2: {  // a late error for some tag ever made: only a live use may be finished
                if (tags.empty()) break;
                const std::uint64_t tag = tags[rng() % tags.size()];
                const auto id = t.live(tag);
                if (id != ProbeTable::none) {
                    ASSERT_TRUE(live.count(id));
                    ASSERT_EQ(t.tag(id), tag);
                    t.finish(id);
                    live.erase(id);
                }
                break;
            }
            case 3: {  // a forged tag, random bits: never names an entry that is not live
                const auto id = t.live(rng());
                ASSERT_TRUE(id == ProbeTable::none || live.count(id));
                break;
            }
            default:
                t.expire(now, [&](ProbeTable::Id id) {
                    t.finish(id);
                    t.finish(id);  // the engine may decide twice (answer and error): harmless
                    live.erase(id);
                });
        }
        ASSERT_EQ(t.pending(), live.size());
        ASSERT_LE(t.used(), t.capacity());
    }
    EXPECT_GT(tags.size(), 10'000u);
}
