// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport merge REPORT...`: joins the shard reports of one scan (`scan --seed S --shard K/N`) into one
// report, refusing reports of different scans (core/merge.hpp), and re-labels the rows with the registry,
// since hosts_open and fleet-wide depend on the whole scan.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "core/errors.hpp"
#include "core/merge.hpp"
#include "output/report_file.hpp"
#include "registry/labeler.hpp"
#include "registry/prevalence.hpp"
#include "registry/registry.hpp"
#include "registry/registry_source.hpp"

namespace ghostport::cli {

namespace {

struct MergeCommandOptions {
    std::vector<std::string> reports;
    bool unchecked = false;
    std::string output_path, format;
    bool quiet = false;
    std::optional<std::string> registry_file, prevalence_file;
};

// The registry's labels for the merged rows, with hosts_open and fleet-wide over the whole scan. Hostnames,
// changes and the --expect mark of the inputs stay; an all-open row keeps its label (it names no port).
void relabel(core::Report& report, const registry::Labeler& labeler) {
    std::vector<core::PortResult> results;
    std::vector<core::ReportRow*> targets;
    for (auto& row : report.rows) {
        if (row.result.state == core::PortState::all_open) continue;
        results.push_back(row.result);
        targets.push_back(&row);
    }
    auto labelled = labeler.label(results, report.meta.hosts_up);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const core::Labels expected = targets[i]->label.labels & core::label_expected;
        targets[i]->label = std::move(labelled[i].label);
        targets[i]->label.labels |= expected;
    }
}

int run_merge(const MergeCommandOptions& o) {
    const output::Format format = choose_format(o.format, o.output_path);
    std::vector<core::MergeInput> inputs;
    for (const auto& path : o.reports) inputs.push_back({path, output::read_report_file(path)});
    auto merged = core::merge_reports(std::move(inputs), {.unchecked = o.unchecked});
    core::Report& report = merged.report;

    auto registry_choice = registry::locate_registry(o.registry_file, registry::SearchEnv::from_process());
    auto registry = registry::load_registry(std::move(registry_choice));
    std::optional<registry::Prevalence> prevalence;
    if (auto p = registry::locate_prevalence(o.prevalence_file)) prevalence = registry::Prevalence::load(*p);
    std::unique_ptr<output::AtomicFile> file;
    if (!o.output_path.empty()) file = std::make_unique<output::AtomicFile>(o.output_path);

    auto& meta = report.meta;
    meta.registry_source = registry.source();
    meta.registry_snapshot = registry.snapshot_date();
    meta.registry_fill = registry.fill_source();
    meta.registry_fill_ports = registry.filled_ports();
    meta.prevalence_source = prevalence ? prevalence->source() : "";
    meta.registry_stale =
        registry::snapshot_is_stale(meta.registry_snapshot, std::chrono::system_clock::now());
    if (!o.quiet)
        registry::warn_if_stale_once(meta.registry_snapshot, meta.registry_source,
                                     std::chrono::system_clock::now(), stderr);
    if (!prevalence && !o.quiet)
        std::fprintf(
            stderr,
            "ghostport: no prevalence data (no --prevalence FILE and no "
            "/usr/share/nmap/nmap-services): rarity unknown; install nmap-common or pass --prevalence "
            "FILE\n");
    relabel(report, registry::Labeler(registry, prevalence ? &*prevalence : nullptr));

    deliver_report(report, format, std::move(file), o.quiet);
    if (!merged.missing_shards.empty()) {
        std::string missing;
        for (auto k : merged.missing_shards)
            missing += fmt::format("{}{}/{}", missing.empty() ? "" : ", ", k, merged.shard_count);
        // Said even when quiet, as `scan` says a report is partial: the report is not the whole scan.
        std::fprintf(stderr, "ghostport: shard%s %s missing; the merged report is partial\n",
                     merged.missing_shards.size() == 1 ? "" : "s", missing.c_str());
    }
    return core::exit_ok;
}

}  // namespace

Runner add_merge_command(CLI::App& app) {
    auto o = std::make_shared<MergeCommandOptions>();
    auto* cmd = app.add_subcommand(
        "merge",
        "Join the shard reports (JSON) of one scan (scan --seed S --shard K/N) into one report, refusing "
        "reports of different scans, and re-label it with the registry");
    cmd->add_option("reports", o->reports, "The shard reports (JSON; CSV only with --unchecked)")
        ->type_name("FILE")
        ->required();
    cmd->add_flag(
        "--unchecked", o->unchecked,
        "Accept CSV reports (no metadata) and reports of different scans: merge the rows unchecked");
    cmd->add_option("-o,--output", o->output_path, "Write the merged report to FILE (atomically)")
        ->type_name("FILE");
    cmd->add_option("--format", o->format,
                    "table, csv, json, xml or html (default: from -o's extension, else table)");
    cmd->add_flag("-q,--quiet", o->quiet, "No notices; with -o, no table on standard output");
    cmd->add_option("--registry", o->registry_file,
                    "IANA service-names-port-numbers.csv (or services(5)) to label with")
        ->type_name("FILE");
    cmd->add_option("--prevalence", o->prevalence_file, "Open-frequency file in nmap-services format")
        ->type_name("FILE");
    return [cmd, o]() -> int {
        if (!cmd->parsed()) return core::exit_usage;
        return run_merge(*o);
    };
}

}  // namespace ghostport::cli
