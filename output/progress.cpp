// SPDX-License-Identifier: GPL-2.0-or-later
// The live status line on stderr: percent done, probe rate, open ports found so far, time left.
#include "output/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "output/fields.hpp"

namespace ghostport::output {

namespace detail {

std::string progress_line(std::uint64_t done, std::uint64_t total, std::uint64_t open,
                          std::chrono::steady_clock::duration elapsed) {
    const double percent =
        total == 0 ? 100.0 : std::min(100.0, 100.0 * static_cast<double>(done) / static_cast<double>(total));
    const double seconds = std::chrono::duration<double>(elapsed).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;

    std::string eta = "-:--";
    if (done >= total) {
        eta = "0:00";
    } else if (rate > 0) {
        const double left = std::ceil(static_cast<double>(total - done) / rate);
        const auto secs = static_cast<std::uint64_t>(std::min(left, 1e12));
        eta = secs >= 3600 ? fmt::format("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
                           : fmt::format("{}:{:02}", secs / 60, secs % 60);
    }
    return fmt::format("{:6.1f}%  {} probes/s  open {}  ETA {}", percent,
                       group_thousands(static_cast<std::uint64_t>(std::llround(rate))), group_thousands(open),
                       eta);
}

}  // namespace detail

Progress::Progress(bool enabled, std::FILE* stream)
    : enabled_(enabled && stream != nullptr), stream_(stream) {}

Progress::~Progress() {
    finish();
}

void Progress::update(std::uint64_t done, std::uint64_t total, std::uint64_t open,
                      std::chrono::steady_clock::duration elapsed) {
    if (!enabled_) return;
    constexpr auto interval = std::chrono::milliseconds(250);
    if (ever_drawn_ && elapsed >= last_draw_ && elapsed - last_draw_ < interval) return;
    ever_drawn_ = true;
    last_draw_ = elapsed;

    const std::string line = detail::progress_line(done, total, open, elapsed);
    const std::size_t pad = width_ > line.size() ? width_ - line.size() : 0;
    std::fprintf(stream_, "\r%s%*s", line.c_str(), static_cast<int>(pad), "");
    std::fflush(stream_);
    width_ = line.size();
    drawn_ = true;
}

void Progress::finish() {
    if (!enabled_ || !drawn_) return;
    std::fprintf(stream_, "\r%*s\r", static_cast<int>(width_), "");
    std::fflush(stream_);
    drawn_ = false;
    width_ = 0;
}

}  // namespace ghostport::output
