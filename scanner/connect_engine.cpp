// SPDX-License-Identifier: GPL-2.0-or-later
// The connect engine: pools of Asio coroutines that race a non-blocking connect() against an RTT-derived
// deadline.
#include "scanner/connect_engine.hpp"

#include <netinet/tcp.h>
#include <sys/socket.h>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "scanner/fd_limit.hpp"
#include "scanner/host_rtt.hpp"
#include "scanner/rate_limiter.hpp"
#include "scanner/rtt_estimator.hpp"

namespace ghostport::scanner {

namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using us = std::chrono::microseconds;

// How a single connection attempt ended.
enum class Outcome { open, refused, unreachable, timed_out, abandoned };

constexpr std::size_t lock_stripes = 64;
constexpr auto monitor_period = std::chrono::milliseconds(100);
constexpr auto reaper_period = std::chrono::milliseconds(10);
constexpr auto default_min_timeout = std::chrono::milliseconds(100);

tcp::endpoint to_endpoint(const core::Address& a, std::uint16_t port) {
    if (a.is_v4()) return {asio::ip::address_v4(a.v4()), port};
    asio::ip::address_v6::bytes_type b;
    std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
    return {asio::ip::address_v6(b), port};
}

// What all threads share: the walk position, per-host timing, pacing and counters.
struct Shared {
    Shared(const TargetSource& s, const EngineHooks& h, const EngineOptions& o)
        : source(s),
          hooks(h),
          opt(o),
          rtt(s.host_count(),
              RttEstimator(
                  o.timeout,
                  std::min(o.min_timeout.count() > 0 ? o.min_timeout : default_min_timeout, o.timeout),
                  o.timeout)),
          // At most a millisecond's worth of probes at once (1 to 16), so no 100 ms window exceeds the cap
          // by more than 1%.
          limiter(o.max_rate, static_cast<std::uint32_t>(std::clamp(o.max_rate / 1000, 1.0, 16.0))) {}

    const TargetSource& source;
    const EngineHooks& hooks;
    EngineOptions opt;
    std::atomic<std::uint64_t> next{0}, done{0}, open{0}, attempts{0};
    std::atomic<bool> stopping{false};
    std::atomic<unsigned> live_workers{0};

    HostRtt rtt;
    std::array<std::mutex, lock_stripes> rtt_locks;
    std::mutex limiter_lock;
    RateLimiter limiter;

    // The timeout for this attempt, and whether it rests on a measured RTT yet (one lock for both).
    std::pair<us, bool> timing(std::uint64_t host, unsigned attempt) {
        std::lock_guard g(rtt_locks[rtt.slot(host) % lock_stripes]);
        const RttEstimator& own = rtt.of(host);
        return {own.timeout(attempt), own.has_sample()};
    }
    void sample(std::uint64_t host, us rtt_measured) {
        std::lock_guard g(rtt_locks[rtt.slot(host) % lock_stripes]);
        rtt.sample(host, rtt_measured);
    }
    // The wait before the next probe's slot (reserve), or before a probe about to go may (admit).
    clock::duration pace(bool reserve) {
        if (limiter.unlimited()) return clock::duration::zero();
        std::lock_guard g(limiter_lock);
        return reserve ? limiter.reserve(clock::now()) : limiter.admit(clock::now());
    }
    void check_stop() {
        if (hooks.stop && hooks.stop->load(std::memory_order_relaxed)) stopping = true;
    }
    EngineStats stats() const { return {source.size(), done.load(), open.load(), attempts.load()}; }
};

// One worker's socket and the attempt it is waiting on. Only the worker and its thread's reaper touch it.
struct Slot {
    explicit Slot(asio::io_context& io) : socket(io), timer(io) {}
    ~Slot() {
        if (spare >= 0) ::close(spare);
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    tcp::socket socket;
    // A socket whose last attempt was refused (or unreachable) and that the kernel has reset for another
    // connect() (see attempt_connect()), or -1; of address family spare_family.
    int spare = -1;
    int spare_family = 0;
    asio::steady_timer timer;  // pacing and back-off only; deadlines are the reaper's job
    std::uint64_t host = 0;
    unsigned attempt = 0;
    clock::time_point start{}, deadline{};
    bool waiting = false, provisional = false, timed_out = false, abandoned = false;
    bool suspended = false;  // whether the last attempt waited (for the reactor or a back-off)
};

// One event-loop thread's share of the scan. Only that thread touches it, except for the monitor timer,
// which other threads reach through asio::post.
struct EventLoop {
    asio::io_context io{1};
    std::vector<std::unique_ptr<Slot>> slots;
    unsigned live = 0;  // workers still running on this loop
    asio::steady_timer reaper_timer{io};
    asio::steady_timer monitor_timer{io};  // used on the first loop only
};

// Per-thread deadline sweeper: one timer for all of a thread's slots instead of one per probe. Every
// reaper_period it times out the attempts past their deadline and, once a stop is requested, abandons all.
// A deadline set before the host's RTT was known is recomputed, as it shrinks once the RTT is learned.
awaitable<void> reaper(EventLoop& loop, Shared& shared) {
    while (loop.live > 0) {
        loop.reaper_timer.expires_after(reaper_period);
        boost::system::error_code ec;
        co_await loop.reaper_timer.async_wait(asio::redirect_error(use_awaitable, ec));
        const auto now = clock::now();
        for (auto& slot : loop.slots) {
            if (shared.stopping) slot->timer.cancel();  // pacing waits can reach seconds ahead at low rates
            if (!slot->waiting) continue;
            if (slot->provisional) {
                auto [timeout, measured] = shared.timing(slot->host, slot->attempt);
                slot->deadline = std::min(slot->deadline, slot->start + timeout);
                slot->provisional = !measured;
            }
            if (shared.stopping)
                slot->abandoned = true;
            else if (now >= slot->deadline)
                slot->timed_out = true;
            else
                continue;
            slot->waiting = false;
            slot->socket.cancel(ec);
        }
    }
}

bool is_transient(int err) {
    return err == ENOBUFS || err == ENOMEM || err == EMFILE || err == ENFILE || err == EADDRNOTAVAIL ||
           err == EAGAIN;
}

// The kernel's first SYN retransmission comes TCP_TIMEOUT_INIT (1 s) after connect(). An attempt ends
// before it (with room for a late timer on a busy machine), unless --timeout asks for longer waits.
constexpr auto kernel_syn_retransmit = std::chrono::milliseconds(1000);
constexpr auto attempt_cap = std::chrono::milliseconds(850);

// Whether a connected socket is connected to itself: TCP simultaneous open, when the kernel picked the
// target port as the socket's own ephemeral port on a loopback address. Nothing listens there.
bool connected_to_itself(int fd) {
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0)
        return false;
    return local_len == peer_len && std::memcmp(&local, &peer, local_len) == 0;
}

// Closes the attempt's socket; an established connection is reset (SO_LINGER 0) so no TIME_WAIT is left.
void finish(Slot& slot, bool connected) {
    boost::system::error_code ignored;
    if (connected) slot.socket.set_option(asio::socket_base::linger(true, 0), ignored);
    slot.socket.close(ignored);
}

// Sets up a wait on `fd`, a socket whose connect() is in progress: the kernel retransmits an unanswered SYN
// on its own schedule (at 1 s, 3 s, ...), packets --max-rate never sees, so it may send one at most (the
// attempt ends before it would go: a retry is ghostport's own, paced like every probe); then the socket
// joins the thread's reactor. Returns 0, or the errno that kept it from the reactor (the fd is closed then).
int adopt(Slot& slot, int fd, const tcp::endpoint& ep) {
    const int syn_tries = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &syn_tries, sizeof syn_tries);
    boost::system::error_code ec;
    slot.socket.assign(ep.protocol(), fd, ec);
    if (ec) ::close(fd);
    return ec.value();
}

// A socket for an attempt to `ep`: the slot's spare when it has one of that family, else a new non-blocking
// one. Returns the fd, or -1 with errno set.
int socket_for(Slot& slot, const tcp::endpoint& ep) {
    const int family = ep.protocol().family();
    if (slot.spare >= 0) {
        const int fd = std::exchange(slot.spare, -1);
        if (slot.spare_family == family) return fd;
        ::close(fd);
    }
    return ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
}

// One connection attempt: a non-blocking connect() and, unless the answer is already in, a wait for
// writability decided by the kernel's answer or by the reaper at the deadline.
// On a fast path (a lab's veth, loopback, a LAN) the answer is often processed before connect() returns: the
// RST or SYN-ACK arrives in the softirq that sending the SYN ran, and is applied when connect() releases the
// socket. So connect() is called a second time at once, and tells all three cases apart (Linux): 0 for
// connected, EALREADY while the SYN is unanswered, or the attempt's error (ECONNREFUSED, EHOSTUNREACH & co.),
// in which case the kernel also resets the socket to unconnected, ready for another connect() to another
// port. A refused attempt so costs two connect() calls and nothing else: no socket or close (the socket is
// the slot's spare for the next attempt), no reactor registration, no readiness wait, no coroutine
// suspension. Only an attempt still in progress joins the reactor (epoll add and modify) and waits; a
// connected socket is reset (SO_LINGER 0) and closed, as is one that timed out.
awaitable<Outcome> attempt_connect(Slot& slot, const tcp::endpoint& ep, Shared& shared) {
    slot.suspended = false;
    for (int tries = 0;; ++tries) {
        boost::system::error_code ec;
        const bool reused = slot.spare >= 0 && slot.spare_family == ep.protocol().family();
        const int fd = socket_for(slot, ep);
        int err = fd < 0 ? errno : 0;
        if (fd >= 0) {
            slot.start = clock::now();
            err = ::connect(fd, ep.data(), static_cast<socklen_t>(ep.size())) == 0 ? 0 : errno;
            if (reused && (err == EINVAL || err == EISCONN || err == EALREADY)) {
                ::close(fd);  // the kernel did not reset it after all: start over with a new socket
                --tries;
                continue;
            }
            shared.attempts.fetch_add(1, std::memory_order_relaxed);
            if (err == EINPROGRESS) {
                const int answer =
                    ::connect(fd, ep.data(), static_cast<socklen_t>(ep.size())) == 0 ? 0 : errno;
                if (answer == EALREADY || answer == 0 || answer == EISCONN) {
                    // Still waiting for the answer, or connected: the reactor's path below.
                    err = answer == EALREADY ? EINPROGRESS : 0;
                    if (const int adopt_err = adopt(slot, fd, ep); adopt_err != 0) err = adopt_err;
                } else if (answer == EINPROGRESS || answer == EINVAL || answer == EBADF) {
                    // Not the kernel behaviour relied on above: this socket is not reused.
                    err = EINPROGRESS;
                    if (const int adopt_err = adopt(slot, fd, ep); adopt_err != 0) err = adopt_err;
                } else {
                    err = answer;  // refused or unreachable; the kernel reset the socket for reuse
                    slot.spare = fd;
                    slot.spare_family = ep.protocol().family();
                }
            } else if (err != 0) {
                ::close(fd);
            } else if (const int adopt_err = adopt(slot, fd, ep); adopt_err != 0) {
                err = adopt_err;
            }
            if (err == EINPROGRESS) {
                slot.timed_out = slot.abandoned = false;
                auto [timeout, measured] = shared.timing(slot.host, slot.attempt);
                if (shared.opt.timeout <= kernel_syn_retransmit) timeout = std::min<us>(timeout, attempt_cap);
                slot.provisional = !measured;
                slot.deadline = slot.start + timeout;
                // The answer is SO_ERROR: ECONNREFUSED, or EHOSTUNREACH & co. (an ICMP error leaves the
                // socket in SYN_SENT, so only SO_ERROR reports it). SO_ERROR 0 means connected -- or a
                // wake-up before the handshake finished (a readiness event queued for the socket that had
                // this descriptor before): connect() again tells the two apart (EISCONN, or EALREADY and we
                // wait on).
                slot.suspended = true;
                while (err == EINPROGRESS || err == EALREADY) {
                    slot.waiting = true;
                    co_await slot.socket.async_wait(tcp::socket::wait_write,
                                                    asio::redirect_error(use_awaitable, ec));
                    slot.waiting = false;
                    if (slot.abandoned || slot.timed_out) {
                        finish(slot, false);
                        co_return slot.abandoned ? Outcome::abandoned : Outcome::timed_out;
                    }
                    const int sfd = slot.socket.native_handle();
                    socklen_t len = sizeof err;
                    if (getsockopt(sfd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
                    if (err == 0) {
                        err = ::connect(sfd, ep.data(), static_cast<socklen_t>(ep.size())) == 0 ? 0 : errno;
                        if (err == EISCONN) err = 0;
                    }
                }
                // A socket connected to itself found no listener: the port is closed, as its RST would say.
                const bool self = err == 0 && connected_to_itself(slot.socket.native_handle());
                finish(slot, err == 0);
                if (self) err = ECONNREFUSED;
            } else if (err == 0) {  // connected at once (a loopback connect() may): adopted above
                const bool self = connected_to_itself(slot.socket.native_handle());
                finish(slot, true);
                if (self) err = ECONNREFUSED;
            }
            if (err == 0 || err == ECONNREFUSED) {
                shared.sample(slot.host, std::chrono::duration_cast<us>(clock::now() - slot.start));
                co_return err == 0 ? Outcome::open : Outcome::refused;
            }
            if (err == ETIMEDOUT) co_return Outcome::timed_out;
            if (!is_transient(err)) co_return Outcome::unreachable;  // host/net unreachable, prohibited
        }
        // Out of buffers, descriptors or local ports for a moment: back off briefly, then try again.
        if (shared.stopping) co_return Outcome::abandoned;
        if (tries >= 50) co_return Outcome::unreachable;
        slot.suspended = true;
        slot.timer.expires_after(std::chrono::milliseconds(10));
        co_await slot.timer.async_wait(asio::redirect_error(use_awaitable, ec));
    }
}

// Attempts in a row that a worker may decide without waiting before it lets the rest of its thread run.
constexpr unsigned max_burst = 16;

// Waits for the next --max-rate slot, then until sending now keeps the rate on the real send times (a
// wake-up may come late, together with later slots'). Returns false when the scan stops meanwhile.
awaitable<bool> paced(Slot& slot, Shared& shared) {
    for (bool reserve = true;; reserve = false) {
        const auto wait = shared.pace(reserve);
        if (wait == clock::duration::zero()) {
            if (reserve) continue;
            co_return true;
        }
        boost::system::error_code ec;
        slot.timer.expires_after(wait);
        co_await slot.timer.async_wait(asio::redirect_error(use_awaitable, ec));
        if (shared.stopping) co_return false;
    }
}

awaitable<void> worker(Slot& slot, EventLoop& loop, EventLoop& first, Shared& shared) {
    unsigned burst = 0;  // attempts decided in a row without waiting
    while (!shared.stopping) {
        // An attempt answered before connect() returned never suspends the coroutine: now and then give
        // the thread's other coroutines (the reaper, the monitor and its stop flag) their turn.
        if (burst >= max_burst) {
            burst = 0;
            co_await asio::post(loop.io, use_awaitable);
            if (shared.stopping) break;
        }
        std::uint64_t i = shared.next.fetch_add(1, std::memory_order_relaxed);
        if (i >= shared.source.size()) break;
        if (!co_await paced(slot, shared)) break;
        const ProbeTarget target = shared.source.at(i);
        const auto ep = to_endpoint(target.host, target.port);
        slot.host = target.host_index;
        Outcome outcome = Outcome::abandoned;
        for (slot.attempt = 0;; ++slot.attempt) {
            // A retry is a probe like any other: paced by --max-rate (the first try was paced above).
            if (slot.attempt > 0 && !co_await paced(slot, shared)) {
                outcome = Outcome::abandoned;
                break;
            }
            outcome = co_await attempt_connect(slot, ep, shared);
            burst = slot.suspended ? 0 : burst + 1;
            if (outcome != Outcome::timed_out || slot.attempt >= shared.opt.retries || shared.stopping) break;
        }
        if (outcome == Outcome::abandoned || (outcome == Outcome::timed_out && shared.stopping)) break;

        core::PortResult r;
        r.host = target.host;
        r.port = target.port;
        r.proto = core::Proto::tcp;
        switch (outcome) {
            case Outcome::open:
                r.state = core::PortState::open, r.reason = core::Reason::syn_ack;
                break;
            case Outcome::refused:
                r.state = core::PortState::closed, r.reason = core::Reason::rst;
                break;
            case Outcome::unreachable:
                r.state = core::PortState::filtered, r.reason = core::Reason::unreachable;
                break;
            default:
                r.state = core::PortState::filtered, r.reason = core::Reason::no_response;
                break;
        }
        if (outcome == Outcome::open || outcome == Outcome::refused)
            r.rtt_us =
                static_cast<std::uint32_t>(std::chrono::duration_cast<us>(clock::now() - slot.start).count());
        r.scanned_at = std::chrono::system_clock::now();
        if (outcome == Outcome::open) shared.open.fetch_add(1, std::memory_order_relaxed);
        shared.done.fetch_add(1, std::memory_order_relaxed);
        if (shared.hooks.on_result) shared.hooks.on_result(r);
    }
    // The last worker wakes the sweeper and the monitor, so the scan ends without waiting out their periods.
    if (--loop.live == 0) loop.reaper_timer.cancel();
    if (shared.live_workers.fetch_sub(1) == 1)
        asio::post(first.io, [&first] { first.monitor_timer.cancel(); });
}

// Polls the stop flag and reports progress until every worker of every thread has finished.
awaitable<void> monitor(EventLoop& first, Shared& shared) {
    unsigned tick = 0;
    while (shared.live_workers.load() > 0) {
        first.monitor_timer.expires_after(monitor_period);
        boost::system::error_code ec;
        co_await first.monitor_timer.async_wait(asio::redirect_error(use_awaitable, ec));
        shared.check_stop();
        if (shared.hooks.on_progress && ++tick % 2 == 0) shared.hooks.on_progress(shared.stats());
    }
}

}  // namespace

ConnectEngine::ConnectEngine(const EngineOptions& options) : options_(options) {}

EngineStats ConnectEngine::run(const TargetSource& source, const EngineHooks& hooks) {
    EngineOptions opt = options_;
    opt.concurrency = concurrency_for(raise_fd_limit(), opt.concurrency);
    if (opt.threads == 0) opt.threads = std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
    std::uint64_t total = source.size();
    opt.concurrency =
        static_cast<unsigned>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(opt.concurrency, total)));
    opt.threads = std::min(opt.threads, opt.concurrency);

    Shared shared(source, hooks, opt);
    shared.live_workers = opt.concurrency;
    std::vector<std::unique_ptr<EventLoop>> loops;
    for (unsigned t = 0; t < opt.threads; ++t) loops.push_back(std::make_unique<EventLoop>());
    for (unsigned w = 0; w < opt.concurrency; ++w) {
        auto& loop = *loops[w % opt.threads];
        loop.slots.push_back(std::make_unique<Slot>(loop.io));
        ++loop.live;
    }
    for (auto& loop : loops) {
        for (auto& slot : loop->slots)
            asio::co_spawn(loop->io, worker(*slot, *loop, *loops[0], shared), asio::detached);
        asio::co_spawn(loop->io, reaper(*loop, shared), asio::detached);
    }
    asio::co_spawn(loops[0]->io, monitor(*loops[0], shared), asio::detached);

    std::vector<std::thread> threads;
    for (unsigned t = 1; t < opt.threads; ++t) threads.emplace_back([&loops, t] { loops[t]->io.run(); });
    loops[0]->io.run();
    for (auto& th : threads) th.join();
    auto stats = shared.stats();
    if (hooks.on_progress) hooks.on_progress(stats);
    return stats;
}

}  // namespace ghostport::scanner
