// SPDX-License-Identifier: GPL-2.0-or-later
// Parses durations given on the command line: "1500" (milliseconds), "250ms", "2s", "1m".
#pragma once

#include <chrono>
#include <string_view>

namespace ghostport::cli {

// Throws core::InputError("bad <option> '<text>': ...") when the text is not a positive duration.
std::chrono::milliseconds parse_duration(std::string_view text, std::string_view option);

}  // namespace ghostport::cli
