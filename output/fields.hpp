// The printed forms the sinks share: the row's field names and how its numbers are written.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ghostport::output::detail {

// The fields of one report row, in CSV column order; the JSON sink uses the same names as keys.
inline constexpr std::array<std::string_view, 16> row_field_names{
    "host",       "hostname", "port",        "proto",      "state",           "reason",
    "port_range", "service",  "description", "known_as",   "registry_status", "prevalence",
    "rarity",     "labels",   "rtt_ms",      "scanned_at",
};

// Prevalence with up to 6 significant digits ("0.000123", "1.5e-07", "0"); "nan"/"inf" when not finite.
std::string format_prevalence(double prevalence);

// Rarity with one decimal ("9.7"); "nan"/"inf" when not finite.
std::string format_rarity(double rarity);

// A round-trip time in microseconds as milliseconds with exactly 3 decimals ("12.345"), computed without
// floating point so that it reads back to the same microsecond count.
std::string format_rtt_ms(std::uint32_t rtt_us);

// n with a comma between groups of three digits, for people: 61230 -> "61,230".
std::string group_thousands(std::uint64_t n);

}  // namespace ghostport::output::detail
