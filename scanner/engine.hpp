// SPDX-License-Identifier: GPL-2.0-or-later
// The contract every scan engine (connect, raw SYN) fulfils, and the one factory that makes them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "core/result.hpp"
#include "scanner/target_source.hpp"

namespace ghostport::scanner {

class RawAccess;  // scanner/raw_access.hpp

struct EngineOptions {
    unsigned concurrency = 0;                  // probes in flight; 0 = sized from RLIMIT_NOFILE
    std::chrono::milliseconds timeout{1000};   // first timeout before any RTT is known, and the maximum
    std::chrono::milliseconds min_timeout{0};  // floor under the RTT-derived timeout; 0 = the engine's own
    unsigned retries = 2;                      // extra tries for a probe that timed out
    unsigned max_retries = 0;                  // syn: up to this many when measured loss calls for it
    double max_rate = 0;                       // probes per second; 0 = unlimited (syn: adaptive)
    double min_rate = 0;                       // syn: never pace below this; 0 = no floor
    unsigned threads = 0;                      // event loops; 0 = one per core, at most 2
    RawAccess* raw = nullptr;                  // syn: where raw sockets and captures come from; null: here
};

struct EngineStats {
    std::uint64_t total = 0;  // probes planned (hosts x ports)
    std::uint64_t done = 0;   // (host, port) pairs decided
    std::uint64_t open = 0;
    std::uint64_t attempts = 0;  // connection attempts or packets, retries included
};

struct EngineHooks {
    // Called once per decided (host, port), from the engine's threads (so it must be thread-safe).
    std::function<void(const core::PortResult&)> on_result;
    // UDP only: called for a port an answer opened, just before on_result, with the answer's bytes and the
    // payload definition (its index in the UDP payload definitions) that the port was last sent.
    std::function<void(const core::PortResult&, std::size_t probe, std::string_view answer)> on_answer;
    // Called about four times a second from one engine thread.
    std::function<void(const EngineStats&)> on_progress;
    // Polled about ten times a second; when true the engine stops sending, abandons probes in flight
    // (they are not reported) and returns promptly.
    const std::atomic<bool>* stop = nullptr;
};

class Engine {
  public:
    virtual ~Engine() = default;
    // Decides every probe of `source` (unless stopped) and returns the final counters.
    // Throws core::RuntimeError when the scan cannot run at all.
    virtual EngineStats run(const TargetSource& source, const EngineHooks& hooks) = 0;
};

// Whether this process may run the "syn" engine (raw sockets: root or CAP_NET_RAW).
bool syn_engine_permitted();

// The only list of engines. Names: "connect", "syn". Throws core::InputError for an unknown name.
std::unique_ptr<Engine> make_engine(std::string_view name, const EngineOptions& options);

}  // namespace ghostport::scanner
