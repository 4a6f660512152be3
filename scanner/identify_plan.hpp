// SPDX-License-Identifier: GPL-2.0-or-later
// What the identify stage tries on one port, and how long it waits: pure decisions, kept apart from the I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "probes/service_defs.hpp"

namespace ghostport::scanner {

// The probes to try on `port` after the greeting wait, as indexes into defs.probes: first those whose port
// hints fit, lowest rarity first (file order among equals); then every other probe of rarity <= intensity,
// in file order. Greeting and datagram (UDP) probes are never listed (the greeting wait is always the first
// conversation).
std::vector<std::size_t> probe_order(const probes::ServiceDefs& defs, std::uint16_t port, unsigned intensity);

// How long to wait for a greeting from a host whose measured round trip is `rtt` (0 = unknown): long enough
// for a service that speaks first on a slow path, short enough that silent ports cost little.
std::chrono::milliseconds greeting_wait(std::chrono::microseconds rtt);
// How long to wait for the answer to a probe (the probe's own `wait` when it has one).
std::chrono::milliseconds answer_wait(std::chrono::microseconds rtt, std::chrono::milliseconds probe_wait);
// How long a connection may take to be accepted.
std::chrono::milliseconds connect_wait(std::chrono::microseconds rtt);

// The STARTTLS dialogue of a service that has one ("smtp", "imap", "pop3", "ftp", "ldap", "postgresql"):
// each step sends `send` (after reading the greeting when `read_greeting` is set on the first step) and reads
// until `reply` says the answer is complete.
enum class ReplyVerdict : std::uint8_t { need_more, ok, refused };
struct StartTlsStep {
    std::string_view send;
    ReplyVerdict (*reply)(std::string_view answer);
};
struct StartTlsDialogue {
    bool read_greeting = false;  // the server speaks first: read its greeting before the first step
    ReplyVerdict (*greeting)(std::string_view answer) = nullptr;
    std::vector<StartTlsStep> steps;
};
// nullptr when the service has no STARTTLS.
const StartTlsDialogue* starttls_dialogue(std::string_view service);

}  // namespace ghostport::scanner
