// SPDX-License-Identifier: GPL-2.0-or-later
// A labelled scan report: rows (result + registry label) and the scan's metadata. Sinks read only this.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/service.hpp"

namespace ghostport::core {

// services_file: the registry file does not name the port (absent, or only in an Unassigned range) and
// the services(5) file that fills such ports (/etc/services) does; written "etc-services".
enum class RegistryStatus : std::uint8_t { assigned, unassigned, reserved, unknown, services_file };
std::string_view to_string(RegistryStatus s);

// Label set, rendered semicolon-separated in a fixed order (the order of this enum).
enum Label : std::uint32_t {
    label_ghost = 1u << 0,
    label_unassigned = 1u << 1,
    label_reserved = 1u << 2,
    label_privileged = 1u << 3,
    label_dynamic = 1u << 4,
    label_unauthorized_use_reported = 1u << 5,
    // 1u << 6 was locally-common (rarity cut because many scanned hosts shared the port): no longer
    // written; readers accept it in old reports and drop it.
    label_expected = 1u << 7,     // matched a line of the --expect allowlist: never a finding
    label_borrowed = 1u << 8,     // -sV named a service that is not the port's registered one (nor an alias)
    label_self_signed = 1u << 9,  // its TLS certificate is issued by its own key
    label_cert_expired = 1u << 10,  // its TLS certificate's not-after is before the scan
    label_fleet_wide = 1u << 11,    // open on at least half of the hosts up, when 3 or more are up
    label_deleted_exe = 1u << 12,   // a local listener's executable was deleted or is a memfd (listeners)
};
using Labels = std::uint32_t;
std::string labels_to_string(Labels labels);  // "ghost;unassigned"; "" when none
// The label labels_to_string writes as `name` ("deleted-exe" -> label_deleted_exe); nullopt for none.
std::optional<Label> label_named(std::string_view name);

struct ServiceLabel {
    std::string service;      // IANA service name ("" when none)
    std::string description;  // IANA description
    std::string known_as;     // the prevalence file's name when it differs from IANA's
    RegistryStatus status = RegistryStatus::unknown;
    double prevalence = 0.0;  // observed open-frequency prior, 0..1 (0 when the port is absent from the file)
    // How many of the hosts that were up have this (port, proto) open (0 when not counted, e.g. a report
    // written before the field existed). A fact of the scan: it never changes the rarity.
    std::uint32_t hosts_open = 0;
    // 0 (open everywhere) .. 10 (never seen), a property of the port worldwide; nullopt when unknown (no
    // prevalence data, or an all-open row, which names no port).
    std::optional<double> rarity;
    Labels labels = 0;
    bool is_ghost() const { return (labels & label_ghost) != 0; }
};

// How a listener (an open or all-open row) compares with the baseline report (--baseline, `ghostport diff`).
// none: no baseline, or the row is a listener in neither report (and not a change involving open|filtered).
// added prints as "new".
//   added: open now, not open in the baseline (open|filtered -> open is new);
//   gone: open in the baseline, now closed or not answering;
//   changed: open in both with another service or state (open <-> all-open), or now filtered or
//   open|filtered (a firewall drops it, or a UDP service ignores the probe; the listener may still be
//   there), or a port that is a listener in neither report moved to or from open|filtered ("state closed ->
//   open|filtered": never new, since only open counts as a listener);    unchanged: open in both, same
//   service.
enum class Change : std::uint8_t { none, added, gone, changed, unchanged };
std::string_view to_string(Change c);  // "", "new", "gone", "changed", "unchanged"

struct ReportRow {
    PortResult result;
    std::string hostname;  // the name the user gave, or ""
    ServiceLabel label;
    ServiceInfo service;  // what -sV found (empty when not identified)
    Change change = Change::none;
    std::string
        change_detail;        // what changed, for people: "was closed", "service http -> ssh", "now filtered"
    std::string expect_note;  // the matching --expect line's note, when label_expected is set
};

struct ReportMeta {
    std::string command_line;
    std::chrono::system_clock::time_point started_at{};
    std::chrono::system_clock::time_point finished_at{};
    std::string engine;             // "connect"
    std::uint64_t seed = 0;         // of the shuffled probe order
    std::string shard;              // "K/N" (1-based) when this report is one shard of a scan, else ""
    std::string registry_source;    // path of the registry file used
    std::string registry_snapshot;  // newest date in it (YYYY-MM-DD), "" when unknown
    std::string registry_fill;      // services(5) file that named ports the registry file lacks, or ""
    std::uint64_t registry_fill_ports = 0;  // (port, protocol) pairs it named
    bool registry_stale = false;            // snapshot older than a year
    std::string prevalence_source;          // path, or "" when none was found
    std::uint64_t hosts_targeted = 0;
    std::uint64_t hosts_up = 0;  // hosts that answered on any port
    std::uint64_t ports_per_host = 0;
    std::uint64_t probes_planned = 0;  // hosts x ports
    std::uint64_t probes_done = 0;     // (host, port) pairs decided
    std::uint64_t open = 0, closed = 0, filtered = 0;
    std::uint64_t open_filtered = 0;  // UDP ports that gave no answer (0 in a report written before UDP)
    bool partial = false;             // interrupted before every pair was decided
    bool service_scan = false;        // -sV: open ports were identified (ReportRow::service)
    // Every host that answered (hosts_up of them), rows or not: the XML report lists each as up. Empty in a
    // report that did not record it (read from CSV, or written before it existed).
    std::vector<Address> hosts_up_list;
    std::string ports_scanned;      // the TCP ports probed on each host, as port_list_text writes them, or ""
    std::string udp_ports_scanned;  // the UDP ports probed on each host (-sU), the same way, or ""
    // Set when the report was compared with a baseline report; the counts are of rows.
    std::string baseline_source;                                  // path of the baseline report, "" when none
    std::chrono::system_clock::time_point baseline_started_at{};  // when the baseline scan started (if known)
    std::uint64_t added = 0, gone = 0, changed = 0, unchanged = 0;
    std::uint64_t expected = 0;  // rows labelled expected by --expect
    bool has_baseline() const { return !baseline_source.empty(); }
};

// Whether a port open on `hosts_open` of `hosts_up` hosts is fleet-wide: 3 or more hosts up and the port open
// on at least half of them.
bool is_fleet_wide(std::uint64_t hosts_open, std::uint64_t hosts_up);

// Counts, for each (port, proto), the distinct hosts of `rows` with it open, and sets every row's
// label.hosts_open to its port's count; an open row whose port is_fleet_wide(count, hosts_up) gets
// label_fleet_wide, every other row loses it. Rarity is left as it is.
void count_hosts_open(std::vector<ReportRow>& rows, std::uint64_t hosts_up);

struct Report {
    ReportMeta meta;
    std::vector<ReportRow> rows;  // the rows the user asked to see (--show), any order
};

// The registry line of a report: "<source> (snapshot <date>)", "unknown" for no date, then
// " + <fill> for N ports" when a services(5) file filled ports; "none" when there is no source.
std::string registry_summary(const ReportMeta& meta);

std::string iso8601_utc(std::chrono::system_clock::time_point t);  // 2026-11-22T10:00:00.123Z

// The ports sorted, duplicates dropped, runs of consecutive ports as "first-last", joined by ',':
// {1642, 1, 2, 3, 22, 2} -> "1-3,22,1642" (nmap's scaninfo services form). "" for no ports.
std::string port_list_text(std::vector<std::uint16_t> ports);

// The inverse of port_list_text: "1-3,22" -> {1, 2, 3, 22}, in text order. A piece that is not a port or a
// range of ports (0-65535) adds nothing; when `bad` is given, each such piece is appended to it.
std::vector<std::uint16_t> parse_port_list_text(std::string_view text,
                                                std::vector<std::string_view>* bad = nullptr);

}  // namespace ghostport::core
