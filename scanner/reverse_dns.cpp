// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/reverse_dns.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "scanner/socket_address.hpp"

namespace ghostport::scanner {

namespace detail {

// Owned jointly by the ReverseDns and by every resolver thread; guarded by `mu`.
struct ReverseDnsState {
    std::mutex mu;
    std::condition_variable work_cv;  // resolver threads: an address is queued, or stopping
    std::condition_variable done_cv;  // names(): pending reached zero
    ReverseDns::Lookup lookup;        // set once, before any thread starts; read without the lock
    unsigned max_threads = 1;
    unsigned threads = 0;  // resolver threads alive
    unsigned idle = 0;     // of those, the ones not inside a lookup
    std::deque<core::Address> queue;
    std::set<core::Address> seen;  // every address ever submitted (deduplication)
    std::map<core::Address, std::string> names;
    std::size_t pending = 0;  // submitted and not finished: queued plus in a lookup
    bool stopping = false;    // the ReverseDns is gone: take no more work
};

namespace {

std::optional<std::string> getnameinfo_lookup(const core::Address& host) {
    const auto address = socket_address(host);
    char name[NI_MAXHOST];
    if (getnameinfo(address.get(), address.length, name, sizeof name, nullptr, 0, NI_NAMEREQD) != 0)
        return std::nullopt;
    return std::string(name);
}

// One resolver thread: takes queued addresses until the owner is gone. Holds the state alive on its own.
void resolve_loop(std::shared_ptr<ReverseDnsState> s) {
    // Signals belong to the threads that handle them (the CLI's interrupt handling), not to resolvers.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);

    std::unique_lock lock(s->mu);
    while (true) {
        s->work_cv.wait(lock, [&] { return s->stopping || !s->queue.empty(); });
        if (s->stopping) break;
        core::Address host = s->queue.front();
        s->queue.pop_front();
        --s->idle;
        lock.unlock();
        std::optional<std::string> name;
        try {
            if (auto raw = s->lookup(host)) name = clean_hostname(*raw);
        } catch (...) {
            name.reset();  // a failed lookup: the host gets no name
        }
        lock.lock();
        ++s->idle;
        if (name && !s->stopping) s->names.emplace(host, std::move(*name));
        if (--s->pending == 0) s->done_cv.notify_all();
    }
    --s->idle;
    --s->threads;
}

}  // namespace

}  // namespace detail

std::optional<std::string> clean_hostname(std::string_view raw) {
    if (!raw.empty() && raw.back() == '.') raw.remove_suffix(1);
    if (raw.empty() || raw.size() > 253) return std::nullopt;
    std::size_t label = 0;
    bool numeric = true;
    for (char c : raw) {
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool digit = c >= '0' && c <= '9';
        if (c == '.') {
            if (label == 0) return std::nullopt;  // leading dot or empty label
            label = 0;
            continue;
        }
        if (!alpha && !digit && c != '-' && c != '_') return std::nullopt;
        if (++label > 63) return std::nullopt;
        if (!digit) numeric = false;
    }
    if (label == 0 || numeric) return std::nullopt;  // "a.." (two trailing dots), or "192.0.2.1"
    return std::string(raw);
}

ReverseDns::ReverseDns(unsigned threads) : ReverseDns(threads, detail::getnameinfo_lookup) {}

ReverseDns::ReverseDns(unsigned threads, Lookup lookup)
    : state_(std::make_shared<detail::ReverseDnsState>()) {
    state_->lookup = std::move(lookup);
    state_->max_threads = std::max(threads, 1u);
}

ReverseDns::~ReverseDns() {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
    state_->pending -= state_->queue.size();
    state_->queue.clear();
    state_->work_cv.notify_all();
    // Threads inside a lookup keep their own reference to the state and exit when it returns.
}

void ReverseDns::submit(const core::Address& host) {
    auto& s = *state_;
    std::lock_guard lock(s.mu);
    if (!s.seen.insert(host).second) return;
    s.queue.push_back(host);
    ++s.pending;
    if (s.idle < s.queue.size() && s.threads < s.max_threads) {
        try {
            std::thread(detail::resolve_loop, state_).detach();
            ++s.threads;
            ++s.idle;
        } catch (const std::system_error&) {
            // Out of threads: the ones running drain the queue; with none at all, drop the address.
            if (s.threads == 0) {
                s.queue.pop_back();
                if (--s.pending == 0) s.done_cv.notify_all();
                return;
            }
        }
    }
    s.work_cv.notify_one();
}

std::map<core::Address, std::string> ReverseDns::names(std::chrono::steady_clock::time_point deadline) {
    auto& s = *state_;
    std::unique_lock lock(s.mu);
    s.done_cv.wait_until(lock, deadline, [&] { return s.pending == 0; });
    return s.names;
}

}  // namespace ghostport::scanner
