// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport scan`'s options: the values, the option table that fills them, and their parsers.
#include "cli/scan_options.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::cli {

ShowStates parse_show(const std::vector<std::string>& items, bool udp) {
    if (items.empty()) return {true, false, false, udp};
    ShowStates s{false, false, false, false};
    for (const auto& item : items) {
        if (item == "open")
            s.open = true;
        else if (item == "closed")
            s.closed = true;
        else if (item == "filtered")
            s.filtered = true;
        else if (item == "open|filtered" || item == "open-filtered")
            s.open_filtered = true;
        else if (item == "all")
            s = {true, true, true, true};
        else
            throw core::InputError(fmt::format(
                "bad --show '{}': use open, closed, filtered, open|filtered (or open-filtered) or all",
                item));
    }
    return s;
}

unsigned parse_umask(const std::string& text) {
    if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos)
        throw core::InputError(fmt::format("bad --umask '{}': give an octal mask such as 022 or 077", text));
    return static_cast<unsigned>(std::stoul(text, nullptr, 8)) & 0777;
}

unsigned report_file_mode(unsigned umask) {
    return 0600 | (0044 & ~umask);
}

void add_scan_options(CLI::App& cmd, ScanOptions& o) {
    cmd.add_option("targets", o.targets.targets,
                   "Hosts: IPv4/IPv6 literals, hostnames, CIDR blocks (198.18.0.0/24), IPv4 ranges "
                   "(198.18.1.10-20, 198.18.1.10-198.18.2.5)");
    cmd.add_option("--input-list", o.targets.input_files,
                   "-iL FILE: read targets from FILE (one per line, # comments, - = stdin)")
        ->type_name("FILE");
    cmd.add_option("--exclude", o.targets.excludes, "Exclude targets (SPEC[,SPEC...])");
    cmd.add_option("--exclude-file", o.targets.exclude_files, "Exclude the targets listed in FILE")
        ->type_name("FILE");
    auto* ports = cmd.add_option(
        "-p,--ports", o.ports,
        "Ports: 22,80,1000-2000, or well-known (0-1023), registered (1024-49151), dynamic (49152-65535), all "
        "(1-65535; port 0 only when named); T: and U: prefix the TCP and UDP ones (U:53,161,T:22,80: a "
        "prefix holds until the next; items before any prefix are for both). Default: all TCP ports; with "
        "-sU alone, the 100 most common UDP ports");
    cmd.add_option("--top-ports", o.top_ports,
                   "Scan the N ports most often found open, of each protocol scanned (needs the prevalence "
                   "file)")
        ->excludes(ports)
        ->check(CLI::PositiveNumber);
    cmd.add_option("--engine", o.engine,
                   "TCP scan engine: syn (-sS; raw SYN packets; needs root or CAP_NET_RAW), connect (-sT; "
                   "full TCP connections; no privilege), auto (syn when permitted, else connect). Given "
                   "with -sU, TCP is scanned too")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "syn", "connect"}));
    cmd.add_flag(
        "--udp", o.udp,
        "-sU: scan UDP ports (states open, closed, filtered, open|filtered); alone unless --tcp (-sS, "
        "-sT) or T: ports ask for TCP too. --engine picks the path: syn = raw sockets, connect = the "
        "kernel's UDP sockets");
    cmd.add_flag("--tcp", o.tcp, "Scan TCP ports too (with --udp; -sS and -sT imply it)");
    cmd.add_option(
        "--max-scan-time", o.max_scan_time,
        "Stop after this long (90s, 30m, 2h): the report is partial (exit 3) and says how many probes "
        "were left undecided; with --resume the scan can go on later");
    cmd.add_option("--timeout", o.timeout,
                   "Initial and maximum probe timeout (500ms, 2s); it adapts to each host's measured RTT")
        ->capture_default_str();
    cmd.add_option("--retries", o.retries,
                   "Extra tries for a probe that got no answer (unless this is given, syn raises it up to 6 "
                   "when it measures loss)")
        ->capture_default_str()
        ->check(CLI::Range(0u, 20u));
    cmd.add_option("--max-rate", o.max_rate,
                   "At most N probes per second (default: syn adapts its rate to drops; connect is "
                   "unlimited)")
        ->check(CLI::PositiveNumber);
    cmd.add_option("--min-rate", o.min_rate,
                   "syn: at least N probes per second, even when drops say slow down")
        ->check(CLI::PositiveNumber);
    cmd.add_option("--port-threshold", o.port_threshold,
                   "A host with more open ports than N is reported once as all-open (a tarpit or an IPS)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd.add_option("--concurrency", o.concurrency,
                   "Probes in flight (default: sized from the open-file limit)")
        ->check(CLI::Range(1u, 1u << 20));
    cmd.add_option("--seed", o.seed, "Seed of the shuffled probe order (default: random)");
    cmd.add_option("--shard", o.shard,
                   "K/N: scan only the K-th of N slices of the shuffled walk (same --seed on every shard; "
                   "the N reports together cover every probe once); auto: K and N from a Slurm job array, "
                   "auto/N: K from a Kubernetes Indexed Job");
    cmd.add_option("-o,--output", o.output_path,
                   "Write the report to FILE (atomically); strftime patterns expand (audit-%Y%m%d.csv)")
        ->type_name("FILE");
    cmd.add_option("--format", o.format,
                   "Report format: table, csv, json, xml (nmap's, for ndiff and importers) or html (default: "
                   "from -o's extension, else table)");
    cmd.add_option("--show", o.show,
                   "States to report: open, closed, filtered, open|filtered (or open-filtered), all "
                   "(default: open, and open|filtered when UDP is scanned)")
        ->delimiter(',');
    cmd.add_flag("-q,--quiet", o.quiet, "No progress and no notices; with -o, no table on standard output");
    cmd.add_flag("--no-progress", o.no_progress, "No progress line on standard error");
    cmd.add_option("--registry", o.registry_file,
                   "IANA service-names-port-numbers.csv (or services(5)) to label with")
        ->type_name("FILE");
    cmd.add_option("--prevalence", o.prevalence_file, "Open-frequency file in nmap-services format")
        ->type_name("FILE")
        ->excludes(cmd.add_flag("--no-prevalence", o.no_prevalence,
                                "Use no prevalence data, even when nmap-services is installed: rarity is "
                                "unknown"));
    auto* no_discovery = cmd.add_flag("--no-discovery", o.no_discovery,
                                      "-Pn: skip host discovery and sweep every targeted address");
    cmd.add_flag(
           "--discovery-only", o.discovery_only,
           "-sn: only find which hosts are up (ICMP echo and timestamp, SYN to 443, ACK to 80; connect: "
           "a few common ports) and list them")
        ->excludes(no_discovery);
    cmd.add_flag("-n,--no-rdns", o.no_rdns,
                 "No reverse DNS: by default the hostname of a host with open ports that was given as an "
                 "address is looked up (PTR, or /etc/hosts), without slowing the scan");
    cmd.add_option(
           "--max-targets", o.max_targets,
           "Refuse a scan of more than N host x port pairs unless --yes is given (a /8 typed for a /24)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd.add_flag("--yes", o.yes, "Scan even beyond --max-targets");
    cmd.add_option("--drop-user", o.drop_user,
                   "syn as root: the user to run as once the raw sockets may be opened (default: the user "
                   "who ran sudo, else nobody); only CAP_NET_RAW is kept")
        ->excludes(cmd.add_flag("--no-drop-privileges", o.no_drop_privileges,
                                "Keep every privilege (debugging): by default the SYN engine runs as "
                                "--drop-user with CAP_NET_RAW alone"));
    cmd.add_option(
        "--umask", o.umask,
        "Create reports and checkpoints with 0666 less this octal mask (default: 0600, owner only)");
    cmd.add_option("--resume", o.resume_path,
                   "Checkpoint the scan to FILE (every 2 s and on Ctrl-C/SIGTERM); when FILE holds one, "
                   "continue that scan instead (its own options)")
        ->type_name("FILE");
    add_audit_options(cmd, o.audit, true);
    auto* identify = cmd.add_flag(
        "--identify", o.identify,
        "-sV: identify the service behind every open port while the sweep goes on (greeting, then probes "
        "whose port hints fit, TLS and STARTTLS, SSH host key); adds detected_service, product, version, "
        "certificate and banner columns and the borrowed label");
    cmd.add_option(
           "--version-intensity", o.version_intensity,
           "-sV: 0-9, how far beyond the probes whose port hints fit it goes (probes of rarity up to N "
           "on every port)")
        ->capture_default_str()
        ->check(CLI::Range(0u, 9u))
        ->needs(identify);
    cmd.add_option("--version-timeout", o.version_timeout,
                   "-sV: the longest identification of one port (500ms, 6s)")
        ->capture_default_str()
        ->needs(identify);
    cmd.add_option("--service-probes", o.service_probes,
                   "-sV: the probe definitions file (default: the installed tcp_services.txt)")
        ->type_name("FILE")
        ->needs(identify);
}

}  // namespace ghostport::cli
