// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP engine (scan -sU): the UdpScheduler's decisions and pacing (udp_scheduler.hpp) over raw sockets and
// libpcap (udp_raw.hpp, with the SYN engine's rights) or the kernel's UDP sockets (udp_socket.hpp, with
// none). Results carry proto udp and one of open, closed, filtered, open|filtered.
//
// Design notes
// - Hosts are taken in target order, a window of them at once (at most 4,096, fewer when each has many
//   ports, so the per-port state stays under about 16 MiB); each is finished on its own ICMP budget while the
//   others run, so a subnet goes at the sum of their budgets.
// - One thread: the scheduler is single-threaded by design, and a UDP scan's pace is the targets' ICMP
//   budgets, never this machine's CPU.
#pragma once

#include <memory>
#include <string_view>

#include "scanner/engine.hpp"
#include "scanner/udp_scheduler.hpp"

namespace ghostport::scanner {

class UdpEngine final : public Engine {
  public:
    UdpEngine(const EngineOptions& options, UdpPayloadsFor payloads, bool raw)
        : options_(options), payloads_(std::move(payloads)), raw_(raw) {}
    EngineStats run(const TargetSource& source, const EngineHooks& hooks) override;
    // Pairs of the next runs that are already decided (a resumed scan): never probed, counted as done.
    using SkipFn = std::function<bool(std::uint64_t host_index, std::uint16_t port)>;
    void skip(SkipFn decided) { skip_ = std::move(decided); }

  private:
    EngineOptions options_;
    UdpPayloadsFor payloads_;
    bool raw_;
    SkipFn skip_;
};

// The UDP engine for engine `name` ("syn": the raw path; "connect": kernel sockets). `payloads` gives each
// port its datagrams (null: one empty datagram each). Throws core::InputError for an unknown name.
std::unique_ptr<UdpEngine> make_udp_engine(std::string_view name, const EngineOptions& options,
                                           UdpPayloadsFor payloads);

}  // namespace ghostport::scanner
