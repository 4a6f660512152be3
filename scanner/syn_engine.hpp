// SPDX-License-Identifier: GPL-2.0-or-later
// The raw SYN engine: half-open scanning with raw IP packets out (raw_sender) and libpcap in (capture).
//
// Design notes
// - Two threads. The sender walks the shuffled probe order, paces with RateControl, retransmits from the
//   ProbeTable's timers and decides every probe. The receiver drains the captures, parses and authenticates
//   replies (the SYN cookie: no per-probe lookup is needed to reject foreign traffic) and hands matches to
//   the sender through a single-producer, single-consumer ring.
// - Each try of a probe leaves from its own source port (base + try), so a reply tells which try it answers:
//   RTT is sampled without Karn's ambiguity (first and latest tries), and a reply to a retransmission is the
//   drop evidence RateControl backs off on.
// - Tries: the first goes alone; once it times out, every try left goes in one round, spread over a quarter
//   of a timeout, so a probe that never gets an answer is decided after two timeouts (one, for a host
//   presumed down) whatever the retry budget. A try's silence counts only once the host has answered a
//   probe sent after it, or after the host's slowest recent round trip and a quarter: a queue that holds
//   every answer back (this machine's, the path's) cannot turn closed and open ports into filtered ones.
//   A probe to an answering host is not decided before the retry budget has seen the path's loss.
// - Rate: slow start doubles per slowest round trip and ends when round trips grow past each host's
//   shortest (a queue building), before the queue overflows; drops this machine makes itself are not
//   counted as the path's loss, so they do not raise the retry budget.
// - Routes: RouteResolver gives each target's source address and interface; a capture is opened on every
//   interface a target's route uses, the first time one does.
// - Memory: the ProbeTable (72 bytes per probe in flight, --concurrency entries, default 262144 = 18 MiB),
//   the captures' kernel buffers (16 MiB each), the reply ring (1 MiB) and per-host marks and round trips in
//   direct-mapped tables of at most 65536 slots; nothing grows with the target count.
#pragma once

#include "scanner/engine.hpp"

namespace ghostport::scanner {

class SynEngine final : public Engine {
  public:
    explicit SynEngine(const EngineOptions& options) : options_(options) {}
    EngineStats run(const TargetSource& source, const EngineHooks& hooks) override;

  private:
    EngineOptions options_;
    double learned_rate_ = 0;  // where the last run's rate control ended: the next wave starts there
};

}  // namespace ghostport::scanner
