// SPDX-License-Identifier: GPL-2.0-or-later
// The printed forms the sinks share: the row's field names and how its numbers are written.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/service.hpp"

namespace ghostport::output::detail {

// The fields of one report row, in CSV column order; the JSON sink uses the same names as keys. This array
// is the one place the layout is decided: a new field is appended here (and its layout to
// row_field_layouts), never inserted, so every earlier report stays readable. The optional change column of
// a report compared with a baseline follows the last field, whatever the layout.
inline constexpr std::array<std::string_view, 29> row_field_names{
    "host",
    "hostname",
    "port",
    "proto",
    "state",
    "reason",
    "port_range",
    "service",
    "description",
    "known_as",
    "registry_status",
    "prevalence",
    "rarity",
    "labels",
    "rtt_ms",
    "scanned_at",
    // Service identification (-sV): empty cells for a row that was not identified.
    "detected_service",
    "product",
    "version",
    "extra_info",
    "tls",
    "cert_subject",
    "cert_san",
    "cert_issuer",
    "cert_not_after",
    "fingerprint",
    "cpe",
    "banner",
    // On how many of the hosts that were up the port is open (0 when not counted).
    "hosts_open",
};

// The field counts of every layout ghostport has written, oldest first; each is a prefix of
// row_field_names: 16 before service identification, 28 with it, 29 with hosts_open. Readers accept each
// (with or without the change column); writers write the last.
inline constexpr std::array<std::size_t, 3> row_field_layouts{16, 28, 29};
static_assert(row_field_layouts.back() == row_field_names.size());

// The index of a field in row_field_names; a compile-time error for a name that is not there.
consteval std::size_t field_index(std::string_view name) {
    for (std::size_t i = 0; i < row_field_names.size(); ++i)
        if (row_field_names[i] == name) return i;
    throw "not a row field name";
}

// The service fields: the ServiceInfo strings in row_field_names order, starting at service_fields_begin.
// (soft, cert_self_signed and conversations are not row fields.)
inline constexpr std::size_t service_fields_begin = field_index("detected_service");
inline constexpr const auto& service_field_members = core::service_string_fields;
static_assert(field_index("banner") == service_fields_begin + service_field_members.size() - 1);
inline constexpr std::size_t hosts_open_field = field_index("hosts_open");

// The detected service for people, as the table and HTML show it: "ssh OpenSSH 9.2p1", "ssl/http nginx
// 1.22.1" (the "ssl/" prefix when the port speaks TLS from the first byte: tls set and not "STARTTLS ..."),
// "unknown", "tcpwrapped"; "-" when not identified. Raw: the caller escapes it for its format.
std::string detected_text(const core::ServiceInfo& service);

// Prevalence with up to 6 significant digits ("0.000123", "1.5e-07", "0"); "nan"/"inf" when not finite.
std::string format_prevalence(double prevalence);

// Rarity with one decimal ("9.7"); "nan"/"inf" when not finite.
std::string format_rarity(double rarity);
// The same for a rarity that may be unknown (no prevalence data): `unknown` then ("" in CSV, "-" for people).
std::string format_rarity(const std::optional<double>& rarity, std::string_view unknown);

// A round-trip time in microseconds as milliseconds with exactly 3 decimals ("12.345"), computed without
// floating point so that it reads back to the same microsecond count.
std::string format_rtt_ms(std::uint32_t rtt_us);

// n with a comma between groups of three digits, for people: 61230 -> "61,230".
std::string group_thousands(std::uint64_t n);

}  // namespace ghostport::output::detail
