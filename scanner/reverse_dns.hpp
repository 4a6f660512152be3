// SPDX-License-Identifier: GPL-2.0-or-later
// Reverse DNS (PTR) names for scanned hosts, resolved on a few background threads so that a slow or dead
// name server never stalls the scan.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/address.hpp"

namespace ghostport::scanner {

namespace detail {
struct ReverseDnsState;
}

// The name `raw` as a report may show it, or nullopt when it is not a plausible hostname. A PTR record is
// text chosen by whoever controls the address's reverse zone, so it is checked before anyone prints it:
// one trailing dot is stripped; then it must be 1-253 characters of letters, digits, '-', '_' and '.',
// with no empty label and no label over 63 characters, and not only digits and dots (a PTR record saying
// "192.0.2.1" would pose as another host's address).
std::optional<std::string> clean_hostname(std::string_view raw);

// Resolves addresses to names with getnameinfo(NI_NAMEREQD): /etc/hosts and then DNS, as nsswitch says.
//
// submit() queues an address (each one once) and wakes or starts a resolver thread; at most `threads` run,
// started on demand. names() waits on a condition variable until the queue is drained or its deadline
// passes, and returns what has been found by then. A lookup can hang for many seconds (DNS timeouts) and
// getnameinfo cannot be cancelled, so the threads are detached and share their state with the object
// through a std::shared_ptr: the destructor marks the state stopped, drops the queued addresses, wakes
// idle threads and returns at once. A thread stuck in a lookup finishes later, sees the stop, and exits,
// touching only the shared state, which the last owner frees. Names are passed through clean_hostname.
// Every member function is thread-safe.
class ReverseDns {
  public:
    // Returns the raw name of an address, or nullopt when it has none; may block; called on the resolver
    // threads, possibly after the ReverseDns is gone.
    using Lookup = std::function<std::optional<std::string>(const core::Address&)>;

    // getnameinfo(NI_NAMEREQD) on up to `threads` threads (at least one).
    explicit ReverseDns(unsigned threads = 4);
    // The same machinery with another lookup (tests, other resolvers).
    ReverseDns(unsigned threads, Lookup lookup);
    // Never blocks on a lookup in progress (see above).
    ~ReverseDns();
    ReverseDns(const ReverseDns&) = delete;
    ReverseDns& operator=(const ReverseDns&) = delete;

    // Queues `host` for a lookup unless it was submitted before. Cheap; never waits for a lookup. When no
    // thread at all can be started, the address is dropped (it gets no name).
    void submit(const core::Address& host);

    // Waits until every submitted lookup is done or `deadline` passes; returns the names found so far
    // (hosts without a name, failed or unfinished lookups are absent).
    std::map<core::Address, std::string> names(std::chrono::steady_clock::time_point deadline);

  private:
    std::shared_ptr<detail::ReverseDnsState> state_;
};

}  // namespace ghostport::scanner
