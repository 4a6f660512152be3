// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport scan`'s options: the values, the option table that fills them, and their parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/audit.hpp"
#include "cli/result_collector.hpp"
#include "scanner/target_spec.hpp"

namespace CLI {
class App;
}

namespace ghostport::cli {

struct ScanOptions {
    scanner::TargetOptions targets;
    std::string ports;  // -p; "" when not given: all TCP ports, or (-sU) the 100 most common UDP ports
    std::size_t top_ports = 0;
    std::string engine = "auto";
    bool tcp = false;  // --tcp (-sS, -sT): TCP is scanned even with -sU
    bool udp = false;  // --udp (-sU): scan UDP ports too (alone unless TCP is asked for)
    std::string timeout = "1s";
    std::string max_scan_time;  // --max-scan-time: stop after this long with a partial report; "" = never
    unsigned retries = 2;
    bool retries_given = false;  // --retries on the command line: exactly that many, never adapted
    double max_rate = 0, min_rate = 0;
    std::uint64_t port_threshold = 1000;
    unsigned concurrency = 0;
    std::optional<std::uint64_t> seed;
    std::string shard;
    std::string output_path;
    std::string format;
    std::vector<std::string> show;  // empty: open, and open|filtered when UDP is scanned
    bool quiet = false, no_progress = false;
    std::optional<std::string> registry_file, prevalence_file;
    AuditOptions audit;
    bool no_discovery = false, discovery_only = false, no_rdns = false;
    std::string resume_path;
    std::uint64_t max_targets = 1ull << 32;
    bool yes = false;
    bool no_drop_privileges = false;
    bool no_prevalence = false;  // --no-prevalence: judge without prevalence data (rarity unknown)
    std::optional<std::string> drop_user;
    std::string umask;              // --umask, octal; "" = reports and checkpoints are 0600
    unsigned file_mode = 0600;      // from --umask
    std::vector<std::string> argv;  // the arguments after the program name, for the resume file
    std::string command_line;
    // -sV: identify the service behind every open port.
    bool identify = false;
    unsigned version_intensity = 7;
    std::string version_timeout = "6s";
    std::optional<std::string> service_probes;  // --service-probes FILE
};

// Registers every option of `scan` on `cmd`, filling `o`.
void add_scan_options(CLI::App& cmd, ScanOptions& o);

// --show items -> the states to report: open, closed, filtered, open|filtered (or open-filtered), all (every
// state). No items: open, plus open|filtered when `udp` is scanned (as nmap shows them). Throws
// core::InputError for an unknown one.
ShowStates parse_show(const std::vector<std::string>& items, bool udp = false);

// "022" -> 022; throws core::InputError for anything but 1 to 4 octal digits.
unsigned parse_umask(const std::string& text);

// The mode of report and checkpoint files under --umask MASK: always owner read-write (0600); the mask may
// add group or other read (022 gives 0644, 027 gives 0640), never write or execute (000 gives 0644 too).
unsigned report_file_mode(unsigned umask);

}  // namespace ghostport::cli
