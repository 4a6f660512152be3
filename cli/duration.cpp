// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/duration.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::cli {

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view option) {
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    std::string_view unit = text.substr(static_cast<std::size_t>(p - text.data()));
    double scale = unit.empty() || unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : -1;
    if (ec != std::errc{} || scale < 0 || !(value > 0) || value * scale > 3.6e6)
        throw core::InputError(fmt::format(
            "bad {} '{}': give a duration such as 500ms, 2s or 1m (at most 1 hour)", option, text));
    return std::chrono::milliseconds{static_cast<long long>(value * scale + 0.5)};
}

}  // namespace ghostport::cli
