// SPDX-License-Identifier: GPL-2.0-or-later
// Everything a scan needs, prepared and checked before a single packet is sent: report destination and
// format, audit files, engine, registry and prevalence, ports, targets, the shuffled walk's seed and shard,
// and (with -sV) the probe definitions.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/audit.hpp"
#include "cli/privsep.hpp"
#include "cli/resume_file.hpp"
#include "cli/scan_options.hpp"
#include "output/atomic_file.hpp"
#include "output/format.hpp"
#include "probes/service_defs.hpp"
#include "probes/service_match.hpp"
#include "registry/prevalence.hpp"
#include "registry/registry.hpp"
#include "scanner/engine.hpp"
#include "scanner/identify.hpp"
#include "scanner/target_set.hpp"
#include "scanner/target_source.hpp"
#include "scanner/udp_engine.hpp"

namespace ghostport::cli {

// -sV's definitions, compiled once; never moved (the matcher refers to the definitions).
struct Identification {
    probes::ServiceDefs defs;
    std::unique_ptr<probes::Matcher> matcher;
    scanner::IdentifyOptions options;
};

// -sU: the payload definitions (probes/udp_payloads.txt), their matcher, and the UDP engine.
struct UdpPart {
    probes::ServiceDefs defs;
    std::unique_ptr<probes::Matcher> matcher;
    std::unique_ptr<scanner::UdpEngine> engine;
};

struct ScanSetup {
    ShowStates show;
    std::optional<ResumeState> resumed;  // --resume FILE held a checkpoint: its seed and start go on
    std::chrono::system_clock::time_point started_at;
    std::string output_path;  // -o with its time patterns expanded
    output::Format format = output::Format::table;
    Audit audit;
    scanner::EngineOptions engine_opt;
    std::string engine_name;
    std::unique_ptr<scanner::Engine> engine;
    std::unique_ptr<registry::Registry> registry;
    std::optional<registry::Prevalence> prevalence;
    std::unique_ptr<Identification> identification;  // with -sV
    std::unique_ptr<UdpPart> udp_part;               // with -sU
    // The ports probed on each host, by protocol (choose_ports): `ports` the TCP ones (empty when TCP is not
    // scanned), `udp_ports` the UDP ones (empty without -sU). 53/tcp and 53/udp are two probes.
    bool tcp = true, udp = false;
    std::vector<std::uint16_t> ports;
    std::vector<std::uint16_t> udp_ports;
    scanner::TargetSet targets;
    // Set by plan_walk:
    scanner::Shard shard;
    std::string shard_spec;
    std::uint64_t seed = 0;
    std::unique_ptr<output::AtomicFile> file;  // the report, opened before the scan so a bad path fails now
    // Set when the scan separated privileges (privsep.hpp): this process is the unprivileged worker, and
    // raw sockets, captures and the report files come through the privileged part.
    std::unique_ptr<PrivsepClient> privsep;
    output::FileAccess& files() const { return privsep ? *privsep : output::local_file_access(); }
};

// Which protocols a scan probes and which ports of each (-p with T:/U: prefixes, --top-ports, -sU):
// - UDP is scanned with --udp (-sU); TCP without it, or with it when --engine (-sS, -sT) was given or -p
//   names T: ports.
// - -p: the plan of scanner::parse_port_plan, each list for its protocol when scanned. U: ports without -sU
//   are an error (add -sU); a scanned protocol with no port is an error.
// - --top-ports N: the N most common ports of each protocol scanned (needs `prevalence`).
// - neither: every TCP port (1-65535), and the 100 most common UDP ports (needs `prevalence`: without it an
//   error says to install nmap-common or give -p).
// Throws core::InputError (exit 2), one line.
struct PortChoice {
    bool tcp = true, udp = false;
    std::vector<std::uint16_t> tcp_ports, udp_ports;
};
PortChoice choose_ports(const ScanOptions& o, const registry::Prevalence* prevalence);

// Parses and checks every input, loads the data files and builds the target set; a privileged process then
// separates privileges (privsep.hpp) and goes on as the unprivileged worker. Throws core::InputError (exit 2)
// or core::RuntimeError (exit 3).
ScanSetup prepare_scan(const ScanOptions& o);

// The walk over host x port pairs: --max-targets, --shard, the seed, and the report file, opened now.
void plan_walk(const ScanOptions& o, ScanSetup& s);

// The one line said (on standard error, once) when a scan has no prevalence data: why, and how to get it.
// `refused`: --no-prevalence was given.
std::string no_prevalence_notice(bool refused);

// The line said up front (on standard error, unless -q) before a UDP scan of more than 1,000 ports per host,
// "" for fewer: how long closed ports take on a host that rations ICMP port unreachable like Linux (a burst
// of 6, then one a second per peer), the floor no scanner can beat without guessing; hosts run side by
// side, so it is per host, not per scan.
std::string udp_duration_notice(std::size_t udp_ports);

// The probe definitions file -sV reads: --service-probes, $GHOSTPORT_SERVICE_PROBES, the installed
// DATADIR/ghostport/tcp_services.txt, then the source tree's probes/tcp_services.txt. Throws
// core::InputError naming the places it looked when none exists.
std::string locate_service_probes(const std::optional<std::string>& given);

// The UDP payload definitions file -sU reads (probes/udp_payloads.txt): `given` (an option, when the CLI
// has one), $GHOSTPORT_UDP_PAYLOADS, the installed DATADIR/ghostport/udp_payloads.txt, then the source
// tree's probes/udp_payloads.txt. Throws core::InputError naming the places it looked when none exists.
std::string locate_udp_payloads(const std::optional<std::string>& given);

// --discovery-only: which hosts are up, one line each, then a summary; no port is probed.
int run_discovery_only(const ScanOptions& o, const ScanSetup& s);

}  // namespace ghostport::cli
