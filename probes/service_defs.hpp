// SPDX-License-Identifier: GPL-2.0-or-later
// ghostport's own service-probe definitions (probes/tcp_services.txt, probes/udp_payloads.txt): what to send
// to an open TCP port or a UDP port, and how to recognise the answer. The file format is documented at the
// top of that file; this is its parser. Pure: no I/O but `load`, no regex compilation (service_match does
// that).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ghostport::probes {

// The fields a match fills; each may use $1..$9 (the pattern's groups). Empty when not given.
struct MatchTemplate {
    std::string product, version, info, cpe;
};

struct ServiceMatch {
    std::string service;    // "ssh", "http", ...
    bool soft = false;      // names the service only; probing goes on for product and version
    std::string pattern;    // PCRE2 source
    bool caseless = false;  // flag i
    bool dotall = false;    // flag s
    MatchTemplate tmpl;
    std::size_t line = 0;  // where it stands in the file
};

enum class ProbeKind : std::uint8_t {
    greeting,  // send nothing: wait for the service to speak first (the first conversation on every port)
    send,      // send `payload`, read the answer
    tls,       // complete a TLS handshake (OpenSSL); the probes marked `in-tls` then run inside it
    datagram,  // UDP: send `payload` (padded to `pad` bytes) as one datagram; the answer is the first
               // datagram back. Never used by the TCP identify stage.
};

struct ServiceProbe {
    std::string name;  // unique: "greeting", "http-get", "tls", "redis-ping"
    ProbeKind kind = ProbeKind::send;
    std::string payload;  // bytes, escapes decoded
    std::size_t pad = 0;  // datagram probes: zero bytes appended up to this total length (0 = none)
    std::vector<std::pair<std::uint16_t, std::uint16_t>> ports;  // port hints: inclusive ranges
    unsigned rarity = 5;                // 1 (send to any port) .. 9 (only where the port hints fit)
    bool in_tls = false;                // also sent inside TLS once a handshake succeeded
    std::chrono::milliseconds wait{0};  // how long to wait for the answer; 0 = the engine's default
    std::vector<std::string> fallback;  // probes whose matches also apply to this probe's answers
    std::vector<ServiceMatch> matches;  // in file order: the first hard match wins
    std::size_t line = 0;
    bool fits_port(std::uint16_t port) const;
};

struct ServiceDefs {
    std::string source;                // the file it was read from
    std::vector<ServiceProbe> probes;  // in file order

    // Throws core::InputError "FILE:LINE: what is wrong" for any malformed line, an unknown directive, a
    // duplicate probe name, a fallback to an unknown probe, a match before the first probe.
    static ServiceDefs parse(std::string_view text, std::string_view file_name);
    // Reads and parses `path`; throws core::InputError naming the file when it cannot be read.
    static ServiceDefs load(const std::string& path);

    // The index of the probe called `name`, or -1.
    int find(std::string_view name) const;
    // Every service name any match can produce, sorted, unique.
    std::vector<std::string> services() const;
};

}  // namespace ghostport::probes
