// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP scan's per-host state machines: a blast of first datagrams, then oracle-backed rounds paced by the
// host's ICMP budget; see udp_scheduler.hpp.
#include "scanner/udp_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "scanner/rtt_estimator.hpp"

namespace ghostport::scanner {

namespace {

using us = std::chrono::microseconds;

constexpr std::uint64_t ms_ns = 1'000'000;
constexpr std::uint64_t s_ns = 1'000'000'000;
constexpr double default_rate = 20'000;    // datagrams per second over all hosts, without --max-rate
constexpr double initial_icmp_rate = 1.0;  // tokens per second a host is first assumed to earn (Linux's)
constexpr double min_icmp_rate = 0.02;
constexpr double max_icmp_rate = 100'000;
constexpr std::uint32_t max_group = 256;
constexpr std::uint64_t round_span_limit_ns = 2 * ms_ns;      // a round sent slower than this proves nothing
constexpr std::uint64_t oracle_grace_ns = 2 * ms_ns;          // after the oracle's answer, for stragglers
constexpr std::uint64_t quiet_before_last_try_ns = 2 * s_ns;  // Linux earns two ICMP tokens meanwhile

enum class SlotState : std::uint8_t { undecided, decided };

struct Slot {
    std::uint16_t port = 0;
    SlotState state = SlotState::undecided;
    std::uint8_t proofs = 0;         // oracle-backed rounds it stayed silent in
    std::uint8_t tries = 0;          // first-payload sends
    bool rotated = false;            // the other payloads were sent
    bool in_round = false;           // part of the round in flight
    std::uint16_t last_payload = 0;  // index into the port's payload list of the latest datagram
    std::uint64_t first_sent_ns = 0;
    std::uint64_t last_sent_ns = 0;
    std::uint64_t rotation_due_ns = 0;  // when its rotation has had time to be answered
};

// deferred: no ICMP yet after every retry. Hosts that share a kernel (several addresses of one machine) share
// its ICMP budget, and a busy sibling can starve this one, so the deferred hosts make one last try together
// once no other host is busy and no ICMP has come for a while (every budget has tokens again). If some ICMP
// came during that try (a sibling may have taken the token), those that got none are deferred again; only a
// last try during which no host at all was answered with ICMP proves that the deferred ones send none.
enum class Phase : std::uint8_t { blast, blast_wait, rounds, retry_wait, deferred, done };

struct Host {
    std::uint64_t index = 0;
    core::Address addr;
    std::vector<Slot> slots;  // sorted by port
    std::size_t undecided = 0;
    Phase phase = Phase::blast;
    std::size_t blast_next = 0;
    std::uint64_t deadline_ns = 0;
    std::uint16_t calibration = 0;  // 0: none
    std::optional<std::uint16_t> oracle;
    unsigned tries = 1;             // without an oracle: rounds of first payloads sent
    bool last_try = false;          // the deferred try was made
    std::uint64_t last_try_ns = 0;  // when
    RttEstimator rtt;
    // rounds
    std::vector<std::uint32_t> group;  // slot indexes of the round in flight
    bool round_open = false;
    bool oracle_answered = false;
    std::uint64_t oracle_at_ns = 0;
    std::uint64_t round_sent_ns = 0;
    bool round_valid = true;
    unsigned round_icmps = 0;
    std::uint64_t next_round_ns = 0;
    std::uint64_t check_ns = 0;  // between rounds: when the slots next need looking at
    std::uint64_t last_empty_ns = 0;
    double icmp_rate = initial_icmp_rate;
    std::uint32_t extra = 3;

    explicit Host(std::chrono::milliseconds timeout)
        : rtt(us(timeout), us(std::min<long long>(30'000, us(timeout).count())), us(timeout)) {}

    Slot* find(std::uint16_t port) {
        auto it = std::lower_bound(slots.begin(), slots.end(), port,
                                   [](const Slot& s, std::uint16_t p) { return s.port < p; });
        return it != slots.end() && it->port == port ? &*it : nullptr;
    }
    std::uint64_t wait_ns() const {
        return static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(rtt.rto()).count());
    }
};

}  // namespace

struct UdpScheduler::Impl {
    UdpSchedulerOptions opt;
    UdpPayloadsFor payloads_for;
    SendFn send_fn;
    DecideFn decide_fn;
    std::map<std::uint16_t, std::vector<UdpPayload>> payload_cache;
    std::vector<std::unique_ptr<Host>> hosts;
    std::map<core::Address, Host*> by_addr;
    std::set<core::Address> targets;  // every host ever added, finished ones too
    std::mt19937 rng;
    std::uint64_t undecided_total = 0, sent_total = 0;
    std::uint64_t last_icmp_ns = 0;  // the latest ICMP error accepted from any host
    // global pacing: a token bucket of datagrams
    double rate = default_rate;
    double tokens = 64;
    std::uint64_t tokens_at = 0;

    const std::vector<UdpPayload>& payloads(std::uint16_t port) {
        auto it = payload_cache.find(port);
        if (it == payload_cache.end()) {
            auto list = payloads_for ? payloads_for(port) : std::vector<UdpPayload>{};
            if (list.empty()) list.push_back({});
            it = payload_cache.emplace(port, std::move(list)).first;
        }
        return it->second;
    }

    void refill(std::uint64_t now) {
        if (tokens_at == 0) tokens_at = now;
        tokens = std::min(64.0, tokens + static_cast<double>(now - tokens_at) * rate / 1e9);
        tokens_at = now;
    }

    void send(Host& h, std::uint16_t port, std::string_view bytes) {
        send_fn(h.addr, port, bytes);  // a refused datagram is as good as lost: silence, retried as such
        ++sent_total;
        tokens -= 1;
    }

    void send_payload(Host& h, Slot& s, std::size_t which, std::uint64_t now) {
        const auto& list = payloads(s.port);
        which = std::min(which, list.size() - 1);
        s.last_payload = static_cast<std::uint16_t>(which);
        if (s.first_sent_ns == 0) s.first_sent_ns = now;
        s.last_sent_ns = now;
        send(h, s.port, list[which].bytes);
    }

    void decide(Host& h, Slot& s, core::PortState state, core::Reason reason, std::uint64_t at_ns,
                std::string_view answer = {}) {
        if (s.state == SlotState::decided) return;
        s.state = SlotState::decided;
        --h.undecided;
        --undecided_total;
        UdpDecision d;
        d.host_index = h.index;
        d.result.host = h.addr;
        d.result.port = s.port;
        d.result.proto = core::Proto::udp;
        d.result.state = state;
        d.result.reason = reason;
        if (at_ns > s.last_sent_ns && s.last_sent_ns != 0 && reason != core::Reason::no_response)
            d.result.rtt_us = static_cast<std::uint32_t>((at_ns - s.last_sent_ns) / 1000);
        d.result.scanned_at = std::chrono::system_clock::now();
        if (state == core::PortState::open) {
            d.probe = payloads(s.port)[s.last_payload].probe;
            d.answer.assign(answer.data(), answer.size());
        }
        decide_fn(d);
    }

    void sample_rtt(Host& h, const Slot& s, std::uint64_t at_ns) {
        // Only the first try's time is unambiguous.
        if (s.tries == 1 && s.proofs == 0 && !s.rotated && at_ns > s.first_sent_ns && s.first_sent_ns != 0)
            h.rtt.sample(us((at_ns - s.first_sent_ns) / 1000));
    }

    static bool port_unreachable(const UdpEvent& e) {
        return e.v6 ? (e.icmp_type == 1 && e.icmp_code == 4) : (e.icmp_type == 3 && e.icmp_code == 3);
    }
    // Destination unreachable codes that mean a filter: net/host unreachable and the prohibitions.
    static bool filtered_code(const UdpEvent& e) {
        if (e.v6) return e.icmp_type == 1 && (e.icmp_code <= 3 || e.icmp_code == 5 || e.icmp_code == 6);
        return e.icmp_type == 3 &&
               (e.icmp_code <= 2 || e.icmp_code == 9 || e.icmp_code == 10 || e.icmp_code == 13);
    }

    void on_event(const UdpEvent& e) {
        auto hit = by_addr.find(e.host);
        if (hit == by_addr.end()) return;
        Host& h = *hit->second;
        if (h.phase == Phase::done) return;
        if (e.kind == UdpEvent::Kind::icmp) {
            const bool from_host = e.offender && *e.offender == h.addr;
            // An error about this host from another scanned host is forged or misrouted: it changes nothing.
            if (!from_host && e.offender && targets.contains(*e.offender)) return;
            last_icmp_ns = std::max(last_icmp_ns, e.at_ns);
            if (port_unreachable(e)) {
                if (e.offender && !from_host) return;  // only the host itself knows its ports are closed
                if (h.oracle && e.port == *h.oracle) {
                    if (h.round_open && !h.oracle_answered) {
                        h.oracle_answered = true;
                        h.oracle_at_ns = e.at_ns;
                        ++h.round_icmps;
                    }
                    return;
                }
                if (e.port == h.calibration && h.calibration != 0) {
                    if (!h.oracle) h.oracle = h.calibration;
                    return;
                }
                Slot* s = h.find(e.port);
                if (!s || s->state == SlotState::decided || s->last_sent_ns == 0) return;
                sample_rtt(h, *s, e.at_ns);
                if (s->in_round) ++h.round_icmps;
                decide(h, *s, core::PortState::closed, core::Reason::port_unreach, e.at_ns);
                if (!h.oracle) h.oracle = s->port;
                return;
            }
            if (filtered_code(e)) {
                Slot* s = h.find(e.port);
                if (!s || s->state == SlotState::decided || s->last_sent_ns == 0) return;
                if (s->in_round && from_host) ++h.round_icmps;
                decide(h, *s, core::PortState::filtered, core::Reason::unreachable, e.at_ns);
            }
            return;
        }
        Slot* s = h.find(e.port);
        if (!s || s->state == SlotState::decided || s->last_sent_ns == 0) return;
        sample_rtt(h, *s, e.at_ns);
        decide(h, *s, core::PortState::open, core::Reason::udp_response, e.at_ns, e.bytes);
    }

    void finish_host(Host& h, std::uint64_t now) {
        for (auto& s : h.slots)
            if (s.state == SlotState::undecided)
                decide(h, s, core::PortState::open_filtered, core::Reason::no_response, now);
        h.phase = Phase::done;
    }

    // Decides the silent ports whose proofs and rotation are complete. Returns whether any port still needs
    // a round; `rotation_due` becomes the earliest time a proven port's rotation will have been answered.
    bool settle(Host& h, std::uint64_t now, std::uint64_t& rotation_due) {
        bool need_round = false;
        rotation_due = ~0ull;
        for (auto& s : h.slots) {
            if (s.state == SlotState::decided || s.in_round) continue;
            if (s.proofs >= opt.proofs) {
                if (now >= s.rotation_due_ns)
                    decide(h, s, core::PortState::open_filtered, core::Reason::no_response, now);
                else
                    rotation_due = std::min(rotation_due, s.rotation_due_ns);
            } else {
                need_round = true;
            }
        }
        return need_round;
    }

    void start_round(Host& h, std::uint64_t now) {
        h.group.clear();
        const std::uint32_t want = std::min<std::uint32_t>(max_group, 1 + h.extra);
        for (std::uint32_t i = 0; i < h.slots.size() && h.group.size() < want; ++i) {
            Slot& s = h.slots[i];
            if (s.state == SlotState::undecided && s.proofs < opt.proofs) h.group.push_back(i);
        }
        if (h.group.empty()) return;
        h.round_open = true;
        h.oracle_answered = false;
        h.round_icmps = 0;
        h.round_sent_ns = now;
        // Back to back, the oracle last: see the design notes.
        const auto t0 = std::chrono::steady_clock::now();
        for (std::uint32_t i : h.group) {
            Slot& s = h.slots[i];
            s.in_round = true;
            ++s.tries;
            send_payload(h, s, 0, now);
        }
        send(h, *h.oracle, {});
        const auto span = std::chrono::steady_clock::now() - t0;
        h.round_valid = std::chrono::duration_cast<std::chrono::nanoseconds>(span).count() <
                        static_cast<long long>(round_span_limit_ns);
        h.deadline_ns = now + h.wait_ns();
    }

    void end_round(Host& h, std::uint64_t now) {
        h.round_open = false;
        const bool proven = h.oracle_answered && h.round_valid;
        for (std::uint32_t i : h.group) {
            Slot& s = h.slots[i];
            s.in_round = false;
            if (s.state == SlotState::decided || !proven) continue;
            ++s.proofs;
            if (!s.rotated) {
                s.rotated = true;
                const auto& list = payloads(s.port);
                for (std::size_t p = 1; p < list.size(); ++p) send_payload(h, s, p, now);
                s.rotation_due_ns = now + h.wait_ns();
            }
        }
        if (h.oracle_answered) {
            // The bucket was not empty: go on at once, with a larger group.
            h.extra = std::min<std::uint32_t>(max_group, h.extra * 2);
            h.next_round_ns = now;
        } else {
            // Empty when the oracle arrived: learn the rate from what the last interval earned.
            h.extra = std::max<std::uint32_t>(1, h.extra / 2);
            if (h.round_icmps == 0) {
                h.icmp_rate = std::max(min_icmp_rate, h.icmp_rate / 1.5);
            } else if (h.last_empty_ns != 0 && h.round_sent_ns > h.last_empty_ns) {
                const double earned = static_cast<double>(h.round_icmps) /
                                      (static_cast<double>(h.round_sent_ns - h.last_empty_ns) / 1e9);
                if (h.round_icmps >= 2) h.icmp_rate = std::clamp(earned, h.icmp_rate, max_icmp_rate);
            }
            h.last_empty_ns = h.round_sent_ns;
            const auto gap = static_cast<std::uint64_t>(1.02e9 / h.icmp_rate);
            h.next_round_ns = std::max(now, h.round_sent_ns + gap);
        }
    }

    // Sends every undecided port of `h` its first payload again (and the calibration port), and waits.
    void retry_all(Host& h, std::uint64_t now) {
        ++h.tries;
        for (auto& s : h.slots)
            if (s.state == SlotState::undecided) {
                ++s.tries;
                send_payload(h, s, 0, now);
            }
        if (h.calibration) send(h, h.calibration, {});
        h.phase = Phase::retry_wait;
        h.deadline_ns = now + h.wait_ns();
    }

    // Moves host `h` along (`others_busy`: another host is not yet deferred or done); returns when it next
    // needs a tick.
    std::uint64_t step(Host& h, std::uint64_t now, bool others_busy) {
        switch (h.phase) {
            case Phase::blast:
                while (h.blast_next < h.slots.size() && tokens >= 1) {
                    Slot& s = h.slots[h.blast_next++];
                    s.tries = 1;
                    send_payload(h, s, 0, now);
                }
                if (h.blast_next < h.slots.size()) return now + 1;
                if (h.calibration) send(h, h.calibration, {});
                h.phase = Phase::blast_wait;
                h.deadline_ns = now + h.wait_ns();
                return h.deadline_ns;
            case Phase::blast_wait:
            case Phase::retry_wait:
                if (h.undecided == 0) {
                    h.phase = Phase::done;
                    return 0;
                }
                if (now < h.deadline_ns) return h.deadline_ns;
                if (h.oracle) {
                    h.phase = Phase::rounds;
                    h.last_empty_ns = 0;
                    h.next_round_ns = now;
                    return now;
                }
                if (h.tries <= opt.retries) {
                    // No ICMP at all yet: the host drops, or every datagram was lost. Try the silent ones
                    // again.
                    if (tokens < 1) return now + 1;
                    retry_all(h, now);
                    return h.deadline_ns;
                }
                if (!h.last_try || last_icmp_ns >= h.last_try_ns) {
                    h.last_try = false;
                    h.phase = Phase::deferred;
                    return now;
                }
                finish_host(h, now);
                return 0;
            case Phase::deferred:
                if (others_busy || tokens < 1 || now < last_icmp_ns + quiet_before_last_try_ns)
                    return std::max(now + 50 * ms_ns, last_icmp_ns + quiet_before_last_try_ns);
                h.last_try = true;
                h.last_try_ns = now;
                retry_all(h, now);
                return h.deadline_ns;
            case Phase::rounds: {
                if (h.round_open) {
                    std::uint64_t due = h.deadline_ns;
                    if (h.oracle_answered) due = std::min(due, h.oracle_at_ns + oracle_grace_ns);
                    if (now < due) return due;
                    end_round(h, now);
                    h.check_ns = 0;
                }
                // Between rounds nothing changes but by time: look at the slots only when something is due.
                if (now < h.check_ns && h.undecided > 0) return h.check_ns;
                std::uint64_t rotation_due = 0;
                const bool need_round = settle(h, now, rotation_due);
                if (h.undecided == 0) {
                    h.phase = Phase::done;
                    return 0;
                }
                if (!need_round) {
                    h.check_ns = std::max(rotation_due, now + 1);
                    return h.check_ns;
                }
                if (now < h.next_round_ns) {
                    h.check_ns = std::min(h.next_round_ns, rotation_due);
                    return h.check_ns;
                }
                if (tokens < 1) return now + 1;
                start_round(h, now);
                return h.deadline_ns;
            }
            case Phase::done:
                return 0;
        }
        return 0;
    }
};

UdpScheduler::UdpScheduler(const UdpSchedulerOptions& options, UdpPayloadsFor payloads, SendFn send,
                           DecideFn decide)
    : impl_(std::make_unique<Impl>()) {
    impl_->opt = options;
    impl_->payloads_for = std::move(payloads);
    impl_->send_fn = std::move(send);
    impl_->decide_fn = std::move(decide);
    impl_->rng.seed(options.seed);
    if (options.max_rate > 0) impl_->rate = options.max_rate;
    impl_->tokens = std::min(64.0, std::max(1.0, impl_->rate / 100));
}

UdpScheduler::~UdpScheduler() = default;

void UdpScheduler::add_host(std::uint64_t host_index, const core::Address& host,
                            std::vector<std::uint16_t> ports) {
    auto h = std::make_unique<Host>(impl_->opt.timeout);
    h->index = host_index;
    h->addr = host;
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    for (std::uint16_t p : ports) h->slots.push_back({.port = p});  // sorted: lookups by binary search
    h->undecided = h->slots.size();
    impl_->undecided_total += h->slots.size();
    // A calibration port: a dynamic port not scanned, likely closed, to find an oracle on a host whose
    // scanned ports are all open or silent.
    std::uniform_int_distribution<unsigned> pick(49152, 65535);
    for (int i = 0; i < 16; ++i) {
        const auto p = static_cast<std::uint16_t>(pick(impl_->rng));
        if (!h->find(p)) {
            h->calibration = p;
            break;
        }
    }
    if (h->slots.empty()) h->phase = Phase::done;
    impl_->by_addr[host] = h.get();
    impl_->targets.insert(host);
    impl_->hosts.push_back(std::move(h));
}

void UdpScheduler::on_event(const UdpEvent& event) {
    impl_->on_event(event);
}

std::uint64_t UdpScheduler::tick(std::uint64_t now_ns) {
    Impl& m = *impl_;
    m.refill(now_ns);
    std::uint64_t next = 0;
    std::size_t busy = 0;  // hosts neither deferred nor done
    for (const auto& h : m.hosts) busy += h->phase != Phase::deferred && h->phase != Phase::done;
    for (auto& h : m.hosts) {
        if (h->phase == Phase::done) continue;
        const bool self_busy = h->phase != Phase::deferred;
        const std::uint64_t due = m.step(*h, now_ns, busy > (self_busy ? 1u : 0u));
        if (h->phase == Phase::done) continue;
        if (due != 0 && (next == 0 || due < next)) next = due;
    }
    // Forget finished hosts.
    std::erase_if(m.hosts, [&](const std::unique_ptr<Host>& h) {
        if (h->phase != Phase::done) return false;
        m.by_addr.erase(h->addr);
        return true;
    });
    if (m.hosts.empty()) return 0;
    return std::min(next == 0 ? now_ns + 50 * ms_ns : next, now_ns + 50 * ms_ns);
}

std::size_t UdpScheduler::active_hosts() const {
    return impl_->hosts.size();
}

std::uint64_t UdpScheduler::undecided() const {
    return impl_->undecided_total;
}

std::uint64_t UdpScheduler::sent() const {
    return impl_->sent_total;
}

}  // namespace ghostport::scanner
