// SPDX-License-Identifier: GPL-2.0-or-later
// The live status line on stderr: percent done, probe rate, open ports found so far, time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace ghostport::output {

// One status line rewritten in place with '\r', e.g. "  42.1%  61,230 probes/s  open 7  ETA 0:03".
// Does nothing at all when disabled. Not thread-safe: call it from one thread.
class Progress {
  public:
    // enabled: whether to draw (the CLI enables it when stderr is a terminal and neither --no-progress nor
    // -q is given). stream: where to draw; it is not closed.
    explicit Progress(bool enabled, std::FILE* stream = stderr);
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    ~Progress();  // calls finish()

    // Redraws the line for done of total probes, open ports found, and the time since the scan started, but
    // at most once per 250 ms of elapsed (the first call always draws). The rate is done / elapsed; the ETA
    // is the remaining probes at that rate ("-:--" while the rate is unknown). Pads with spaces to cover a
    // longer previous line, and flushes the stream.
    void update(std::uint64_t done, std::uint64_t total, std::uint64_t open,
                std::chrono::steady_clock::duration elapsed);

    // Clears the line (spaces, then '\r') if one is drawn, so that later output starts on a clean line.
    void finish();

  private:
    bool enabled_;
    std::FILE* stream_;
    bool drawn_ = false;       // a line is on screen
    bool ever_drawn_ = false;  // the throttle has a reference time
    std::size_t width_ = 0;    // columns of the line on screen
    std::chrono::steady_clock::duration last_draw_{};
};

namespace detail {

// The status line's text: "  42.1%  61,230 probes/s  open 7  ETA 0:03". The percent is of total (100 when
// total is 0, capped at 100); the rate is rounded and grouped by thousands; the ETA is m:ss, or h:mm:ss from
// an hour on, rounded up, "0:00" when done, "-:--" when nothing is done yet or no time has passed.
std::string progress_line(std::uint64_t done, std::uint64_t total, std::uint64_t open,
                          std::chrono::steady_clock::duration elapsed);

}  // namespace detail

}  // namespace ghostport::output
