// SPDX-License-Identifier: GPL-2.0-or-later
// The raw SYN engine: one sender thread (walk, pace, retransmit, decide) and one receiver thread (capture,
// parse, authenticate); see syn_engine.hpp.
#include "scanner/syn_engine.hpp"

#include <poll.h>
#include <sys/prctl.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "probes/reply.hpp"
#include "probes/syn_cookie.hpp"
#include "probes/syn_template.hpp"
#include "scanner/capture.hpp"
#include "scanner/host_rtt.hpp"
#include "scanner/link_drops.hpp"
#include "scanner/probe_table.hpp"
#include "scanner/rate_control.hpp"
#include "scanner/raw_access.hpp"
#include "scanner/raw_sender.hpp"
#include "scanner/retry_budget.hpp"
#include "scanner/route.hpp"
#include "scanner/rtt_estimator.hpp"
#include "scanner/source_ports.hpp"

namespace ghostport::scanner {

namespace {

using clock = std::chrono::steady_clock;
using us = std::chrono::microseconds;

constexpr std::uint32_t default_window = 1u << 18;  // probes in flight at most
constexpr std::size_t route_slots = 65536;          // direct-mapped host -> source cache
constexpr auto default_min_timeout = std::chrono::milliseconds(20);
constexpr std::uint32_t send_burst = 256;       // probes per sender iteration at most
constexpr std::uint32_t send_batch = 32;        // probes per sender iteration when it can wait for them
constexpr std::size_t max_provisional = 65536;  // probes remembered as armed with a provisional timeout
// The path counts as measured (see path_measured()) once this many hosts have answered and the scan has
// listened for this many times the slowest round trip seen.
constexpr std::uint64_t measured_hosts = 8;
constexpr std::uint64_t measured_peaks = 4;
// Probes a host is sent, never answering any, before it may be presumed down (see note_probe()).
constexpr std::uint32_t probes_for_down = 16;
constexpr std::uint64_t presumed_down_gap_ns =
    5'000'000;  // between the tries of a presumed-down host's probe
// Once the floor is lifted, a probe to a host not heard from is decided this long after its last try timed
// out, not at once: the tries go on time, but an answer that reaches the sender late (a receiving thread or
// the capture relay held up on a busy machine; the round trips are stamped by the kernel, so they do not
// show it) still counts. It costs the end of the scan this much, once.
constexpr std::uint64_t lifted_grace_ns = 100'000'000;
// How long tries go one per round after this machine dropped packets itself (an overflow it drains
// meanwhile).
constexpr std::uint64_t local_drop_memory_ns = 300'000'000;
// While hosts answer for the first time, the probes sent to them before are re-armed at most this often.
constexpr std::uint64_t shorten_period_ns = 10'000'000;

// The probe table's capacity: the window, but never more than the probes the scan can have in flight at
// once (all of them), so a small scan does not build (and fault in) a 16 MB table for a handful of probes.
std::uint32_t table_capacity(const EngineOptions& opt, const TargetSource& source) {
    const std::uint64_t window = opt.concurrency ? opt.concurrency : default_window;
    return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(source.size(), 1, window));
}

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now().time_since_epoch()).count());
}

// A matched reply, from the receiver to the sender.
struct Event {
    std::uint64_t host = 0;
    std::uint64_t at_ns = 0;
    std::uint16_t port = 0;
    std::uint8_t attempt = 0;
    probes::ReplyMatch match = probes::ReplyMatch::unrelated;
};

// Single producer (receiver), single consumer (sender); the producer waits when it is full.
class EventRing {
  public:
    explicit EventRing(std::size_t capacity) : slots_(std::bit_ceil(capacity)) {}
    bool push(const Event& e) {
        const auto tail = tail_.load(std::memory_order_relaxed);
        if (tail - head_.load(std::memory_order_acquire) == slots_.size()) return false;
        slots_[tail & (slots_.size() - 1)] = e;
        tail_.store(tail + 1, std::memory_order_release);
        return true;
    }
    template <class F>
    std::size_t drain(F&& f) {
        const auto tail = tail_.load(std::memory_order_acquire);
        auto head = head_.load(std::memory_order_relaxed);
        std::size_t n = 0;
        for (; head != tail; ++head, ++n) f(slots_[head & (slots_.size() - 1)]);
        head_.store(head, std::memory_order_release);
        return n;
    }

  private:
    std::vector<Event> slots_;
    alignas(64) std::atomic<std::uint64_t> head_{0};
    alignas(64) std::atomic<std::uint64_t> tail_{0};
};

// One source address and the probe template for it.
struct Source {
    probes::SynTemplate probe;
    int channel;
};

// The captures, opened by the sender as routes reveal interfaces, read by the receiver.
class CaptureSet {
  public:
    CaptureSet(RawAccess& raw, std::uint16_t sport_low, std::uint16_t sport_high)
        : raw_(raw), low_(sport_low), high_(sport_high) {}
    void ensure(const std::string& ifname) {
        std::lock_guard g(mutex_);
        for (auto& c : captures_)
            if (c->interface() == ifname) return;
        captures_.push_back(raw_.capture({ifname, CaptureKind::syn_replies, low_, high_}));
        generation_.fetch_add(1, std::memory_order_release);
    }
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    std::vector<Capture*> snapshot() {
        std::lock_guard g(mutex_);
        std::vector<Capture*> out;
        for (auto& c : captures_) out.push_back(c.get());
        return out;
    }

  private:
    RawAccess& raw_;
    std::uint16_t low_, high_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Capture>> captures_;
    std::atomic<std::uint64_t> generation_{0};
};

struct Receiver {
    const TargetSource& source;
    const probes::SipKey& key;
    std::uint16_t sport_low, sport_high;
    CaptureSet& captures;
    EventRing& ring;
    std::atomic<bool>& done;
    std::atomic<std::uint64_t> dropped{0};  // by the captures, and on the way out of their interfaces

    probes::LinkType link = probes::LinkType::raw_ip;

    static void on_frame(void* self, std::span<const std::uint8_t> frame, std::uint64_t at_ns) {
        static_cast<Receiver*>(self)->handle(frame, at_ns);
    }

    void handle(std::span<const std::uint8_t> frame, std::uint64_t at_ns) {
        auto reply = probes::parse_reply(frame, link);
        if (!reply || reply->dport < sport_low || reply->dport > sport_high) return;
        auto match = probes::match_reply(key, *reply);
        auto host = match == probes::ReplyMatch::unrelated ? std::nullopt : source.host_index(reply->src);
        if (!host) return;  // not a reply to this scan
        Event e{*host, at_ns, reply->sport, static_cast<std::uint8_t>(reply->dport - sport_low), match};
        while (!ring.push(e)) {
            if (done.load(std::memory_order_relaxed)) return;
            std::this_thread::sleep_for(us(50));
        }
    }

    void run() {
        std::vector<Capture*> caps;
        std::vector<pollfd> fds;
        std::uint64_t seen_generation = ~0ull;
        auto last_stats = clock::now();
        LinkDrops links;
        int quiet_ticks = 0;  // reads in a row that found no frame
        while (!done.load(std::memory_order_acquire)) {
            if (captures.generation() != seen_generation) {
                seen_generation = captures.generation();
                caps = captures.snapshot();
                fds.clear();
                for (auto* c : caps) fds.push_back({c->fd(), POLLIN, 0});
            }
            if (fds.empty()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                continue;
            }
            // While replies flow, read on a 100 us tick rather than sleeping in poll(): a thread waiting on
            // the capture is woken for every frame, and at 100k+ replies a second those wake-ups cost more
            // than everything else the receive path does. After 5 ms without a frame it waits in poll().
            if (quiet_ticks >= 50) ::poll(fds.data(), fds.size(), 5);
            int frames = 0;
            for (auto* c : caps) {
                link = c->link();
                for (int n; (n = c->dispatch(&Receiver::on_frame, this, 512)) > 0;) frames += n;
            }
            quiet_ticks = frames > 0 ? 0 : quiet_ticks + 1;
            if (quiet_ticks < 50) std::this_thread::sleep_for(us(100));
            if (clock::now() - last_stats > std::chrono::milliseconds(10)) {
                last_stats = clock::now();
                std::uint64_t total = 0;
                for (auto* c : caps) {
                    total += c->dropped();
                    links.watch(c->interface());  // the interfaces we capture on are those we send through
                }
                dropped.store(total + links.total(), std::memory_order_relaxed);
            }
        }
    }
};

class SynScan {
  public:
    // `learned_rate`: the rate an earlier run of the same engine ended at (a previous discovery wave), or 0.
    SynScan(const EngineOptions& opt, const TargetSource& source, const EngineHooks& hooks,
            double learned_rate)
        : opt_(opt),
          source_(source),
          hooks_(hooks),
          key_(probes::random_key()),
          table_(table_capacity(opt, source)),
          rate_(rate_options(opt, learned_rate)),
          retries_(opt.retries, opt.max_retries),
          global_rtt_(opt.timeout, min_timeout(opt), opt.timeout),
          rtt_(source.host_count(), RttEstimator(opt.timeout, min_timeout(opt), opt.timeout)),
          route_cache_(std::bit_ceil(
              std::min<std::uint64_t>(route_slots, std::max<std::uint64_t>(1, source.host_count())))),
          marks_(route_cache_.size()),
          sender_(opt.raw ? *opt.raw : local_raw_access()),
          ring_(1u << 15) {
        std::random_device rd;
        const unsigned tries = retries_.max_retries() + 1;
        // Outside the kernel's ephemeral range, so no connection of this machine (-sV's conversations among
        // them) ever shares a port with these probes.
        sport_low_ = raw_source_window(ephemeral_port_range(), tries, rd());
        sport_high_ = static_cast<std::uint16_t>(sport_low_ + tries - 1);
        captures_ =
            std::make_unique<CaptureSet>(opt.raw ? *opt.raw : local_raw_access(), sport_low_, sport_high_);
    }

    EngineStats run() {
        Receiver receiver{source_, key_, sport_low_, sport_high_, *captures_, ring_, receiver_done_};
        std::thread receiver_thread([&] {
            ::prctl(PR_SET_NAME, "gp-receive");  // seen in top -H, perf and /proc/PID/task/TID/comm
            receiver.run();
        });
        struct Joiner {
            std::atomic<bool>& done;
            std::thread& t;
            ~Joiner() {
                done = true;
                t.join();
            }
        } joiner{receiver_done_, receiver_thread};
        ::prctl(PR_SET_TIMERSLACK, 1000UL);  // sleeps of tens of microseconds, not the default 50 us slack

        stats_.total = source_.size();
        trace_ = std::getenv("GHOSTPORT_TRACE") != nullptr;
        start_ = next_trace_ = now_ns();
        auto next_progress = clock::now();
        while (true) {
            if (hooks_.stop && hooks_.stop->load(std::memory_order_relaxed)) break;
            std::uint64_t now = now_ns();
            ring_.drain([&](const Event& e) { on_event(e); });
            table_.expire(now, [&](ProbeTable::Id id) { on_timeout(id, now); });
            const std::uint64_t dropped = receiver.dropped.load(std::memory_order_relaxed);
            on_local_drops(dropped - dropped_seen_);
            dropped_seen_ = dropped;
            rate_.update(now, ns_of(global_rtt_.srtt()), ns_of(global_rtt_.peak()));
            // A probe's first try is answered on a retry, if lost, about a timeout and a round trip later.
            if (global_rtt_.has_sample())
                retries_.mature(now - start_, ns_of(2 * std::max(global_rtt_.rto(), global_rtt_.peak())));
            // The first answers measure the path, and each host that answers its own round trip: the probes
            // sent to it before are re-armed with it (every few milliseconds while new hosts answer).
            if (!provisional_.empty() &&
                (answered_hosts_ > shortened_hosts_ || hosts_down_ > shortened_down_) &&
                now >= next_shorten_) {
                shorten_provisional(now);
                shortened_hosts_ = answered_hosts_;
                shortened_down_ = hosts_down_;
                next_shorten_ = now + shorten_period_ns;
            }
            if (!path_measured_ && global_rtt_.has_sample() && path_measured(now)) {
                path_measured_ = true;
                shorten_provisional(now);  // the floor is lifted from the probes armed under it
            }
            if (trace_ && now >= next_trace_) {
                std::fprintf(stderr,
                             "t=%5.0f ms rate %8.0f next %llu pending %u retry %d rto %lld peak %lld\n",
                             static_cast<double>(now - start_) / 1e6, rate_.rate(),
                             static_cast<unsigned long long>(next_), table_.pending(), table_.has_retry(),
                             static_cast<long long>(global_rtt_.rto().count()),
                             static_cast<long long>(global_rtt_.peak().count()));
                next_trace_ = now + 20'000'000;
            }
            std::uint32_t sent = send(now);
            if (next_ >= source_.size() && table_.pending() == 0) break;
            if (hooks_.on_progress && clock::now() >= next_progress) {
                hooks_.on_progress(stats_);
                next_progress = clock::now() + std::chrono::milliseconds(250);
            }
            // Tokens come at the rate: send them in batches rather than one sendmmsg a packet.
            if (sent < send_batch) std::this_thread::sleep_for(us(idle_sleep_us()));
        }
        if (hooks_.on_progress) hooks_.on_progress(stats_);
        if (trace_)
            std::fprintf(stderr,
                         "syn: %llu attempts, rate %.0f/s, %llu backoffs, srtt-rto %lld us, drops %llu, "
                         "retries %u, answered by an earlier try %llu\n",
                         static_cast<unsigned long long>(stats_.attempts), rate_.rate(),
                         static_cast<unsigned long long>(rate_.backoffs()),
                         static_cast<long long>(global_rtt_.rto().count()),
                         static_cast<unsigned long long>(dropped_seen_), retries_.retries(),
                         static_cast<unsigned long long>(spurious_));
        return stats_;
    }

    // The rate the run ended at, for the next run of the same engine.
    double final_rate() const { return rate_.rate(); }

  private:
    static std::chrono::milliseconds min_timeout(const EngineOptions& o) {
        auto m = o.min_timeout.count() > 0 ? o.min_timeout : default_min_timeout;
        return std::min(m, o.timeout);
    }
    // A later wave starts where the previous one ended, not from scratch: the path is the same.
    static RateControlOptions rate_options(const EngineOptions& o, double learned_rate) {
        RateControlOptions r;
        r.min_rate = o.min_rate;
        r.max_rate = o.max_rate;
        if (learned_rate > 0) r.initial = learned_rate;
        if (o.max_rate > 0) r.initial = std::min(r.initial, o.max_rate);
        if (o.min_rate > 0) r.initial = std::max(r.initial, o.min_rate);
        return r;
    }

    // The timeout of every try of a probe to `host` sent at `now`: its own RTO when measured. A host that
    // has not answered yet (down, filtered, or not reached so far) gets the scan's RTO or the slowest round
    // trip of the scan, whichever is longer, but, until the path is measured, never less than what is left
    // of the initial timeout since the scan began: early on only the nearest hosts have answered, so the
    // slowest round trip seen says nothing yet about the others. Not doubled per try, as nmap does not: the
    // rate control answers congestion, and an earlier try still counts when answered late (each try has its
    // own source port), so a reply slower than one timeout has all the tries' time to arrive.
    std::uint64_t timeout_ns(std::uint64_t host, std::uint64_t now) {
        const RttEstimator& own = rtt_.of(host);
        if (own.has_sample()) {
            // A host whose round trips barely vary (rttvar near zero) still waits an eighth of its round
            // trip more: queues on the path and in this machine move every answer a little.
            const auto jitter_floor = own.srtt() + own.srtt() / 8;
            return ns_of(std::clamp(jitter_floor, own.rto(), std::max(own.rto(), us{opt_.timeout})));
        }
        if (!global_rtt_.has_sample()) return ns_of(own.rto());
        const std::uint64_t initial = ns_of(opt_.timeout), elapsed = now - start_;
        const std::uint64_t scan = ns_of(std::max(global_rtt_.rto(), global_rtt_.peak()));
        if (path_measured_) return std::min(initial, scan);
        return std::min(initial, std::max(scan, elapsed < initial ? initial - elapsed : 0));
    }

    // Whether the round trips seen so far stand for the hosts not heard from yet, so that the initial
    // timeout's floor (timeout_ns()) can go: `measured_hosts` hosts have answered, and the scan has listened
    // for `measured_peaks` times the slowest of their round trips. While round trips as long as the time
    // listened keep arriving (a path of 20-200 ms seen 150 ms in), the floor stays; on a path whose replies
    // all come within a few milliseconds (a /16 sweep of a LAN), it goes after a fraction of the initial
    // timeout, where waiting it out would cost more than the sweep itself. Only in the first half of the
    // initial timeout: later the floor has little left to save, and the probes re-armed at the lift would
    // mostly go again in one burst.
    bool path_measured(std::uint64_t now) const {
        const std::uint64_t elapsed = now - start_;
        return answered_hosts_ >= measured_hosts && elapsed < ns_of(opt_.timeout) / 2 &&
               elapsed >= measured_peaks * ns_of(std::max(global_rtt_.peak(), us{1}));
    }
    template <class D>
    static std::uint64_t ns_of(D d) {
        return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
    }

    unsigned idle_sleep_us() const {
        // Until a batch is due at the current rate, within [20 us, 1 ms].
        double wait = send_batch * 1e6 / std::max(1.0, rate_.rate());
        return static_cast<unsigned>(std::clamp(wait, 20.0, 1000.0));
    }

    void emit(const ProbeKey& key, core::PortState state, core::Reason reason, std::uint32_t rtt_us) {
        core::PortResult r;
        r.host = source_.hosts().at(key.host);
        r.port = key.port;
        r.state = state;
        r.reason = reason;
        r.rtt_us = rtt_us;
        r.scanned_at = std::chrono::system_clock::now();
        ++stats_.done;
        if (state == core::PortState::open) ++stats_.open;
        if (hooks_.on_result) hooks_.on_result(r);
    }

    void on_event(const Event& e) {
        ProbeTable::Id id = table_.find({e.host, e.port});
        if (id == ProbeTable::none) return;  // a duplicate, or an answer after the probe was decided
        auto& entry = table_[id];
        std::uint32_t rtt_us = 0;
        // Each try leaves from its own port, so the answer names its try: no Karn ambiguity. The send time is
        // kept for the first and the latest try.
        const std::uint64_t sent = e.attempt == entry.tries ? entry.sent_ns
                                   : e.attempt == 0         ? entry.first_ns
                                                            : 0;
        if (sent != 0 && e.at_ns >= sent) {
            auto sample = us((e.at_ns - sent) / 1000);
            if (!rtt_.of(e.host).has_sample()) ++answered_hosts_;
            rtt_.sample(e.host, sample);
            note_rtt(e.host, static_cast<std::uint64_t>(sample.count()));
            global_rtt_.sample(sample);
            rtt_us = static_cast<std::uint32_t>(sample.count());
        }
        // A try without its own send time was sent at or after the first.
        note_answered(e.host, sent != 0 ? sent : entry.first_ns);
        if (e.attempt < entry.round_first) ++spurious_;
        ++answered_;
        // An answer to a retry stands for a try lost on the path, unless this machine dropped that many
        // tries (or answers) itself: those say nothing of the path's loss or congestion.
        bool retried = e.attempt > 0;
        if (retried && local_drops_unanswered_ >= 1) {
            local_drops_unanswered_ -= 1;
            retried = false;
        }
        rate_.on_answer(retried && e.attempt >= entry.round_first);
        retries_.on_answer(retried, entry.first_ns - start_);
        switch (e.match) {
            case probes::ReplyMatch::syn_ack:
                emit(entry.key, core::PortState::open, core::Reason::syn_ack, rtt_us);
                break;
            case probes::ReplyMatch::rst:
                emit(entry.key, core::PortState::closed, core::Reason::rst, rtt_us);
                break;
            case probes::ReplyMatch::unreachable:
                emit(entry.key, core::PortState::filtered, core::Reason::unreachable, rtt_us);
                break;
            case probes::ReplyMatch::unrelated:
                return;
        }
        table_.finish(id);
    }

    // Probes sent before any RTT was known wait the initial timeout (1 s by default), and those to hosts not
    // heard from before the path is measured wait out its floor; when the first answers come, as further
    // hosts answer (a probe to a host that has answered gets the host's own timeout), and again when the path
    // is measured, those still unanswered get the timeout they would get if sent now with their send time.
    // The list is kept until the path is measured (probes armed under the floor join it).
    // A first try to a host since presumed down times out now: its round begins.
    void shorten_provisional(std::uint64_t now) {
        for (ProbeTable::Id id : provisional_) {
            if (!table_.armed(id)) continue;
            auto& entry = table_[id];
            std::uint64_t deadline = entry.sent_ns + timeout_ns(entry.key.host, entry.sent_ns);
            if (entry.tries == 0 && entry.copies == 0 && presumed_down(entry.key.host)) deadline = now;
            if (deadline < entry.deadline_ns) table_.rearm(id, deadline);
        }
        if (path_measured_) {
            provisional_.clear();
            provisional_.shrink_to_fit();
        }
    }

    void on_timeout(ProbeTable::Id id, std::uint64_t now) {
        auto& entry = table_[id];
        if (entry.copies > 0) {  // a round goes on whatever the retry budget became since it began
            ++entry.tries;
            --entry.copies;
            table_.push_retry(id);
            return;
        }
        // The latest try waited its whole timeout; while the host's answers are late, that says nothing.
        if (const std::uint64_t until = silence_counts_from(entry); now < until) {
            table_.arm(id, entry.sent_ns, std::min(until, now + recheck_ns(entry.key.host)));
            return;  // its send times unchanged, and looked at again shortly
        }
        if (first_timeout_ns_ == 0) first_timeout_ns_ = now;
        // Extra tries are for answers that get lost; a host that has answered nothing yet (down, or
        // dropping everything) gets the minimum.
        const bool answering = rtt_.of(entry.key.host).has_sample();
        const unsigned retries = answering ? retries_.retries() : opt_.retries;
        if (entry.tries < retries) {
            // Every try left goes in one round (spread over a quarter of a timeout, see queue()): a probe
            // that never gets an answer (a filtered port, a down host) is decided after two timeouts, not one
            // per try. Not while this machine drops packets itself: it drops them in bursts, which tries that
            // close together would all fall into; one try per round then, a timeout apart.
            entry.round_first = static_cast<std::uint8_t>(entry.tries + 1);
            entry.copies = static_cast<std::uint8_t>(local_drops_lately(now) ? 1 : retries - entry.tries);
            ++entry.tries;
            --entry.copies;
            table_.push_retry(id);
        } else if (answering && retries < retries_.max_retries() && !loss_measured(now)) {
            // The tries were counted with a budget that has not seen the path's loss yet (the answers to
            // the first retries are still on their way): decided later, by the budget they show.
            table_.arm(id, entry.sent_ns, now + recheck_ns(entry.key.host));
        } else if (path_measured_ && !entry.grace && !rtt_.of(entry.key.host).has_sample()) {
            entry.grace = true;  // re-armed with its send times unchanged: a late answer still measures
            table_.arm(id, entry.sent_ns, entry.deadline_ns + lifted_grace_ns);
        } else {
            emit(entry.key, core::PortState::filtered, core::Reason::no_response, 0);
            table_.finish(id);
        }
    }

    // What the engine knows of a host beyond its round trips, direct-mapped like the route cache.
    struct HostMark {
        std::uint64_t host = ~std::uint64_t{0};
        std::uint64_t answered_sent_ns = 0;
        std::uint64_t min_rtt_us = ~std::uint64_t{0};
        std::uint64_t recent_peak_us = 0;  // the slowest recent round trip (eased toward each sample)
        std::uint64_t first_sent_ns = 0;   // the first probe to the host (0: none yet)
        std::uint32_t probes = 0;          // probes sent to it (first tries)
        bool down = false;                 // presumed down (see note_probe())
    };

    // Silence proves nothing while the host's answers are late: a queue on the way (this machine's, the
    // path's, the host's) can hold every answer back longer than the timeout that the round trips measured
    // before it filled. So the latest try of a probe to a host that has answered before counts as
    // unanswered (sent again, or decided) only once the host has answered a probe sent after it (the
    // answers are flowing past it), or once it has waited for the host's slowest recent round trip and a
    // quarter more (20 ms at least); until then it is looked at again every few milliseconds. Recent: the
    // slowest round trip, eased toward each later one, so a queue that has drained no longer counts.
    // Returns when its silence counts (0: now).
    std::uint64_t silence_counts_from(const ProbeTable::Entry& entry) const {
        const RttEstimator& own = rtt_.of(entry.key.host);
        if (!own.has_sample() || answered_sent(entry.key.host) >= entry.sent_ns) return 0;
        const HostMark m = mark_of(entry.key.host);
        const us peak = m.recent_peak_us ? us(m.recent_peak_us) : own.peak();
        const auto wait = std::max(peak + peak / 4, peak + us(20'000));
        return entry.sent_ns + std::min(ns_of(wait), ns_of(opt_.timeout));
    }
    // Whether the retry budget rests on the path's loss: the retries sent first (when the first tries
    // began to time out) have had two of the scan's slowest round trips to be answered; until then the loss
    // it sees is too low. Within twice the initial timeout.
    bool loss_measured(std::uint64_t now) {
        if (!loss_measured_ && first_timeout_ns_ != 0) {
            const auto wait =
                std::min(2 * std::max(global_rtt_.peak(), global_rtt_.srtt()), 2 * us{opt_.timeout});
            loss_measured_ = now >= first_timeout_ns_ + ns_of(wait);
        }
        return loss_measured_;
    }
    std::uint64_t recheck_ns(std::uint64_t host) const {
        return std::clamp<std::uint64_t>(ns_of(rtt_.of(host).srtt()) / 8, 2'000'000, 20'000'000);
    }
    // `host`'s mark, taken over from the host that held its slot if need be.
    HostMark& mark(std::uint64_t host) {
        HostMark& m = marks_[host & (marks_.size() - 1)];
        if (m.host != host) m = HostMark{.host = host};
        return m;
    }
    // `host`'s mark, or a fresh one when another host holds its slot.
    HostMark mark_of(std::uint64_t host) const {
        const HostMark& m = marks_[host & (marks_.size() - 1)];
        return m.host == host ? m : HostMark{.host = host};
    }
    bool presumed_down(std::uint64_t host) const { return mark_of(host).down && !rtt_.of(host).has_sample(); }
    // Counts a new probe to `host`. A host that has been sent many probes and has answered none within
    // twice the slowest round trip of the scan (or its RTO, if longer) since its first is presumed down: the
    // tries of its probes go in the first round, a few milliseconds apart, rather than a timeout after the
    // first (which waits out the initial timeout's floor while the path is not measured). A slow host taken
    // for down costs only those tries: the decision still waits what a host not heard from waits.
    void note_probe(std::uint64_t host, std::uint64_t now) {
        HostMark& m = mark(host);
        if (m.first_sent_ns == 0) m.first_sent_ns = now;
        ++m.probes;
        if (m.down || m.probes < probes_for_down || !global_rtt_.has_sample() || rtt_.of(host).has_sample())
            return;
        const std::uint64_t scan = ns_of(std::max(global_rtt_.rto(), global_rtt_.peak()));
        if (now - m.first_sent_ns < 2 * scan) return;
        m.down = true;
        ++hosts_down_;
    }
    // The send time of the latest try `host` answered (0: none known).
    std::uint64_t answered_sent(std::uint64_t host) const { return mark_of(host).answered_sent_ns; }
    void note_rtt(std::uint64_t host, std::uint64_t rtt_us) {
        HostMark& m = mark(host);
        if (m.min_rtt_us != ~std::uint64_t{0}) {
            const std::uint64_t excess = rtt_us > m.min_rtt_us ? rtt_us - m.min_rtt_us : 0;
            rate_.on_queue_delay(excess * 1000);
        }
        m.min_rtt_us = std::min(m.min_rtt_us, rtt_us);
        m.recent_peak_us =
            std::max(rtt_us, m.recent_peak_us - (m.recent_peak_us - std::min(rtt_us, m.recent_peak_us)) / 8);
    }
    void note_answered(std::uint64_t host, std::uint64_t sent_ns) {
        HostMark& m = mark(host);
        m.answered_sent_ns = std::max(m.answered_sent_ns, sent_ns);
    }

    // Whether this machine dropped packets itself in the last local_drop_memory_ns.
    bool local_drops_lately(std::uint64_t now) const {
        return last_local_drop_ns_ != 0 && now < last_local_drop_ns_ + local_drop_memory_ns;
    }

    // Probes (or answers) this machine dropped: the send buffer, an interface's queue, the capture. As many
    // answers to retries as they would have had (the share of tries answered so far) are not counted as loss.
    void on_local_drops(std::uint64_t count) {
        if (count == 0) return;
        last_local_drop_ns_ = now_ns();
        rate_.on_overload(count);
        const double answered_share =
            stats_.attempts
                ? std::min(1.0, static_cast<double>(answered_) / static_cast<double>(stats_.attempts))
                : 1.0;
        local_drops_unanswered_ += static_cast<double>(count) * answered_share;
    }

    // The source (address, template, socket) for `host`, or nullopt when no route reaches it.
    std::optional<std::uint16_t> source_for(std::uint64_t host_index, const core::Address& host) {
        auto& slot = route_cache_[host_index & (route_cache_.size() - 1)];
        if (slot.host == host_index + 1)
            return slot.source == no_route ? std::nullopt : std::optional(slot.source);
        slot.host = host_index + 1;
        slot.source = no_route;
        auto route = resolver_.lookup(host);
        if (!route) return std::nullopt;
        captures_->ensure(route->ifname);  // before the first probe that needs it, so no reply is missed
        auto it = source_ids_.find(route->source);
        if (it == source_ids_.end()) {
            sources_.push_back({probes::SynTemplate(route->source), sender_.channel_for(route->source)});
            it = source_ids_.emplace(route->source, static_cast<std::uint16_t>(sources_.size() - 1)).first;
        }
        slot.source = it->second;
        return it->second;
    }

    // Writes and queues try `entry.tries` of the entry's probe (flushing the batch first when it is full).
    void queue(ProbeTable::Id id, std::uint64_t now) {
        auto& entry = table_[id];
        const Source& src = sources_[entry.source];
        if (sender_.full(src.channel)) flush();
        const core::Address dst = source_.hosts().at(entry.key.host);
        const auto sport = static_cast<std::uint16_t>(sport_low_ + entry.tries);
        const std::uint32_t seq = probes::syn_cookie(key_, src.probe.source(), dst, sport, entry.key.port);
        auto bytes = src.probe.patch(sender_.buffer(src.channel), dst, sport, entry.key.port, seq,
                                     static_cast<std::uint16_t>(seq >> 16));
        sender_.commit(src.channel, dst, bytes.size(), table_.tag(id));
        const std::uint64_t timeout = timeout_ns(entry.key.host, now);
        // The tries of a round are spread over a quarter of a timeout, so that one burst of loss (a queue
        // that overflows for a while) does not take them all; the last waits the whole timeout. A
        // presumed-down host's round (the first) goes within milliseconds: it most likely answers none of
        // them.
        const unsigned round_size = entry.tries - entry.round_first + 1u + entry.copies;
        std::uint64_t wait = timeout;
        if (entry.copies) {
            wait = timeout / (4 * round_size);
            if (entry.round_first == 0 || presumed_down(entry.key.host))
                wait = std::min<std::uint64_t>(wait, presumed_down_gap_ns);
        }
        table_.arm(id, now, now + wait);
        const bool provisional =
            !global_rtt_.has_sample() || (!path_measured_ && !rtt_.of(entry.key.host).has_sample());
        if (provisional && provisional_.size() < max_provisional) provisional_.push_back(id);
        ++stats_.attempts;
    }

    void flush() {
        sender_.flush([&](std::uint64_t tag, int err) {
            // The report may come after the probe was decided and its slot reused: only a live use counts.
            const ProbeTable::Id id = table_.live(tag);
            if (id == ProbeTable::none) return;
            switch (err) {
                case ENOBUFS:
                case EAGAIN:
                    on_local_drops(1);  // it stays armed and will be retried
                    break;
                case ENETUNREACH:
                case EHOSTUNREACH:
                    emit(table_[id].key, core::PortState::filtered, core::Reason::unreachable, 0);
                    table_.finish(id);
                    break;
                default:  // EPERM: a local firewall dropped it; it times out like any lost probe
                    break;
            }
        });
    }

    // Sends what the rate allows: retries first, then new probes. Returns how many were queued.
    std::uint32_t send(std::uint64_t now) {
        std::uint32_t allowed = rate_.allowance(now, send_burst), queued = 0;
        while (queued < allowed) {
            ProbeTable::Id id = table_.pop_retry();
            if (id == ProbeTable::none) {
                if (next_ >= source_.size() || table_.full()) break;
                ProbeTarget t = source_.at(next_++);
                auto src = source_for(t.host_index, t.host);
                if (!src) {
                    emit({t.host_index, t.port}, core::PortState::filtered, core::Reason::unreachable, 0);
                    continue;
                }
                id = table_.insert({t.host_index, t.port});
                table_[id].source = *src;
                note_probe(t.host_index, now);
                // A host that has let many first tries time out without ever answering is most likely down:
                // every try of its next probes goes in the first round, a few milliseconds apart, as the
                // second round would send them all anyway. Decided a timeout after the last, not two.
                if (presumed_down(t.host_index) && !local_drops_lately(now))
                    table_[id].copies = static_cast<std::uint8_t>(opt_.retries);
            }
            queue(id, now);
            ++queued;
        }
        if (queued == allowed && (table_.has_retry() || (next_ < source_.size() && !table_.full())))
            rate_.note_limited();
        flush();  // also when nothing was queued: it reports what the sender's helper thread had refused
        if (queued) rate_.sent(queued);
        return queued;
    }

    static constexpr std::uint16_t no_route = 0xFFFF;
    struct RouteSlot {
        std::uint64_t host = 0;  // host index + 1; 0 = empty
        std::uint16_t source = no_route;
    };

    EngineOptions opt_;
    const TargetSource& source_;
    const EngineHooks& hooks_;
    probes::SipKey key_;
    ProbeTable table_;
    RateControl rate_;
    RetryBudget retries_;
    RttEstimator global_rtt_;
    HostRtt rtt_;
    std::vector<RouteSlot> route_cache_;
    std::vector<HostMark> marks_;  // direct-mapped like the route cache: for a scan of more hosts, a host
                                   // whose slot another holds counts as not answered (it waits longer)
    RouteResolver resolver_;
    RawSender sender_;
    std::vector<Source> sources_;
    std::map<core::Address, std::uint16_t> source_ids_;
    std::unique_ptr<CaptureSet> captures_;
    EventRing ring_;
    std::atomic<bool> receiver_done_{false};
    std::uint16_t sport_low_ = 0, sport_high_ = 0;
    std::uint64_t next_ = 0, dropped_seen_ = 0;
    std::vector<ProbeTable::Id> provisional_;  // armed with a provisional timeout (shorten_provisional())
    std::uint64_t answered_hosts_ = 0;         // hosts with a round trip sampled
    std::uint64_t answered_ = 0;               // answers matched to a pending probe
    double local_drops_unanswered_ = 0;        // see on_local_drops()
    std::uint64_t first_timeout_ns_ = 0;       // when the first try of any probe first timed out (0: not yet)
    bool loss_measured_ = false;               // see loss_measured()
    std::uint64_t last_local_drop_ns_ = 0;     // when on_local_drops() last had any (0: never)
    std::uint64_t spurious_ = 0;               // answers to a try after a later one was due (for the trace)
    std::uint64_t hosts_down_ = 0;             // hosts presumed down so far
    // answered_hosts_ and hosts_down_ at the last shortening of the provisional timeouts, and the next one
    std::uint64_t shortened_hosts_ = 0, shortened_down_ = 0, next_shorten_ = 0;
    bool path_measured_ = false;
    bool trace_ = false;
    std::uint64_t start_ = 0, next_trace_ = 0;
    EngineStats stats_;
};

}  // namespace

bool syn_engine_permitted() {
    return raw_sockets_permitted();
}

EngineStats SynEngine::run(const TargetSource& source, const EngineHooks& hooks) {
    if (source.size() == 0) return {};
    SynScan scan(options_, source, hooks, learned_rate_);
    EngineStats stats = scan.run();
    learned_rate_ = scan.final_rate();
    return stats;
}

}  // namespace ghostport::scanner
