// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport listeners`: what is listening on this machine, labelled like a scan's open ports, with the
// scan's audits (--baseline, --expect, --fail-on) and a join with a scan of this host from outside
// (--against).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <climits>
#include <cstdio>
#include <memory>

#include "cli/audit.hpp"
#include "cli/commands.hpp"
#include "cli/listener_audit.hpp"
#include "cli/listener_rows.hpp"
#include "core/errors.hpp"
#include "core/listener_audit.hpp"
#include "listeners/listeners.hpp"
#include "output/listener_reader.hpp"
#include "output/scan_ports_reader.hpp"
#include "registry/labeler.hpp"
#include "registry/prevalence.hpp"
#include "registry/registry.hpp"
#include "registry/registry_source.hpp"

namespace ghostport::cli {

namespace {

struct ListenersOptions {
    std::string command_line;
    bool all_namespaces = false;
    std::optional<std::string> registry_file, prevalence_file;
    AuditOptions audit;
    std::string against;
    std::string output_path, format;
    bool quiet = false;
};

std::string this_hostname() {
    char name[HOST_NAME_MAX + 1] = {};
    if (gethostname(name, sizeof name) != 0) return "";
    return name;
}

int run_listeners(const ListenersOptions& o) {
    // Every input is checked before the socket table is read.
    const auto started_at = std::chrono::system_clock::now();
    const std::string output_path = expand_time_patterns(o.output_path, started_at);
    const output::Format format = choose_listener_format(o.format, output_path);
    const ListenerAudit audit = ListenerAudit::prepare(o.audit, o.quiet);
    std::optional<core::ScanView> scan;
    if (!o.against.empty()) scan = output::read_scan_view_file(o.against);
    auto registry_choice = registry::locate_registry(o.registry_file, registry::SearchEnv::from_process());
    const auto reg =
        registry::load_registry(std::move(registry_choice));  // the IANA file, /etc/services filling gaps
    std::optional<registry::Prevalence> prevalence;
    if (auto p = registry::locate_prevalence(o.prevalence_file)) prevalence = registry::Prevalence::load(*p);
    audit.check_prevalence(prevalence.has_value());
    std::unique_ptr<output::AtomicFile> file;
    if (!output_path.empty()) file = std::make_unique<output::AtomicFile>(output_path);

    listeners::ReadOptions read;
    read.all_namespaces = o.all_namespaces;
    auto found = listeners::read_listeners(read);

    core::ListenerReport report;
    auto& m = report.meta;
    m.command_line = o.command_line;
    m.started_at = started_at;
    m.hostname = this_hostname();
    m.registry_source = reg.source();
    m.registry_snapshot = reg.snapshot_date();
    m.registry_fill = reg.fill_source();
    m.registry_fill_ports = reg.filled_ports();
    m.registry_stale = registry::snapshot_is_stale(m.registry_snapshot, started_at);
    m.prevalence_source = prevalence ? prevalence->source() : "";
    m.all_namespaces = o.all_namespaces;
    m.unseen = std::move(found.unseen);
    const registry::Labeler labeler(reg, prevalence ? &*prevalence : nullptr);
    report.rows = label_listeners(std::move(found.listeners), labeler);
    m.namespaces = namespaces_of(report.rows);
    // The table's summary says what was not seen; when no table is shown, a notice on standard error does.
    const bool table_shown = !o.quiet && (file || format == output::Format::table);
    if (!o.quiet && !table_shown)
        for (const auto& u : m.unseen)
            std::fprintf(stderr, "ghostport: not seen: %s\n", core::escape_name(u).c_str());
    audit.annotate(report, m.hostname);
    if (scan) core::join_scan(report, *scan, o.against);
    deliver_listener_report(report, format, std::move(file), o.quiet);
    return audit.verdict(report);
}

}  // namespace

int run_listener_diff(const std::string& old_path, const std::string& new_path,
                      const AuditOptions& audit_options, bool unchanged, const std::string& output_path,
                      const std::string& format_option, bool quiet) {
    const output::Format format = choose_listener_format(format_option, output_path);
    if (!output::is_listener_report_file(old_path) || !output::is_listener_report_file(new_path))
        throw core::InputError(
            fmt::format("{} and {}: one is a listener report and one a scan report; "
                        "diff compares two of a kind",
                        old_path, new_path));
    core::ListenerReport old_report = output::read_listener_report_file(old_path);
    core::ListenerReport report = output::read_listener_report_file(new_path);
    // The later report's own comparison (if it had one) is replaced by this one.
    std::erase_if(report.rows, [](const core::ListenerRow& r) { return r.change == core::Change::gone; });
    for (auto& r : report.rows) r.change = core::Change::none;
    const ListenerAudit audit = ListenerAudit::prepare(audit_options, std::move(old_report), old_path);
    std::unique_ptr<output::AtomicFile> file;
    if (!output_path.empty()) file = std::make_unique<output::AtomicFile>(output_path);
    audit.annotate(report, report.meta.hostname);
    const int verdict = audit.verdict(report);
    std::erase_if(report.rows, [&](const core::ListenerRow& r) {
        return r.change == core::Change::unchanged && !unchanged;
    });
    deliver_listener_report(report, format, std::move(file), quiet);
    return verdict;
}

Runner add_listeners_command(CLI::App& app, const std::string& command_line) {
    auto o = std::make_shared<ListenersOptions>();
    o->command_line = command_line;
    auto* cmd = app.add_subcommand(
        "listeners",
        "What is listening here: every listening TCP socket and bound UDP socket of this machine, with its "
        "processes, labelled like a scan's open ports");
    cmd->add_flag("--all-namespaces", o->all_namespaces,
                  "Also every other network namespace (containers, `ip netns`), each named; needs root to "
                  "enter them (what it could not see is said)");
    cmd->add_option("--registry", o->registry_file,
                    "IANA service-names-port-numbers.csv (or services(5)) to label with")
        ->type_name("FILE");
    cmd->add_option("--prevalence", o->prevalence_file, "Open-frequency file in nmap-services format")
        ->type_name("FILE");
    cmd->add_option(
           "--baseline", o->audit.baseline,
           "Compare with an earlier listener report (CSV or JSON): FILE, or latest:DIR; each listener "
           "is new, gone, changed (its executables differ) or unchanged")
        ->type_name("FILE");
    cmd->add_option("--expect", o->audit.expect,
                    "Allowlist FILE (`HOST-OR-CIDR PORT[/PROTO] [NOTE]` lines, as for scan): the host is "
                    "matched against the bound address; a listener on all addresses matches any address")
        ->type_name("FILE");
    cmd->add_option("--fail-on", o->audit.fail_on,
                    "Exit 1 when a finding matches: new, gone, changed, ghost, rarity>=N, unexpected, "
                    "unassigned, deleted-exe, label=NAME (comma-separated); findings name the process");
    cmd->add_option("--against", o->against,
                    "A scan report of this host from outside (JSON, CSV, or XML: ghostport's or nmap -oX): "
                    "which listeners it saw, which on all addresses it did not (filtered), and which open "
                    "ports have no local socket (forwarded)")
        ->type_name("FILE");
    cmd->add_option("-o,--output", o->output_path,
                    "Write the report to FILE (atomically; strftime patterns like %Y%m%d expand)")
        ->type_name("FILE");
    cmd->add_option("--format", o->format,
                    "table, csv, json or html (default: from -o's extension, else table)");
    cmd->add_flag("-q,--quiet", o->quiet, "No notices; with -o, no table on standard output");
    return [cmd, o]() -> int {
        if (!cmd->parsed()) return core::exit_usage;
        return run_listeners(*o);
    };
}

}  // namespace ghostport::cli
