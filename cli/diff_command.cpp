// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport diff OLD NEW`: compares two reports (CSV or JSON; scan or listener reports) listener by
// listener, with the same
// --expect and --fail-on as a scan, so a nightly job can diff reports it already has.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>

#include "cli/audit.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "core/errors.hpp"
#include "output/listener_reader.hpp"
#include "output/report_file.hpp"

namespace ghostport::cli {

namespace {

struct DiffOptions {
    std::string old_path, new_path;
    AuditOptions audit;
    bool unchanged = false;
    std::string output_path, format;
    bool quiet = false;
};

int run_diff(const DiffOptions& o) {
    // Two listener reports (`ghostport listeners -o`) are compared socket by socket.
    if (output::is_listener_report_file(o.old_path) || output::is_listener_report_file(o.new_path))
        return run_listener_diff(o.old_path, o.new_path, o.audit, o.unchanged, o.output_path, o.format,
                                 o.quiet);
    const output::Format format = choose_format(o.format, o.output_path);
    core::Report old_report = output::read_report_file(o.old_path);
    core::Report report = output::read_report_file(o.new_path);
    const Audit audit = Audit::prepare(o.audit, std::move(old_report), o.old_path);
    // A NEW report whose open ports all have an unknown rarity was written without prevalence data.
    const bool open_rows = std::any_of(report.rows.begin(), report.rows.end(), [](const core::ReportRow& r) {
        return r.result.state == core::PortState::open;
    });
    audit.check_prevalence(!open_rows ||
                           std::any_of(report.rows.begin(), report.rows.end(),
                                       [](const core::ReportRow& r) { return r.label.rarity; }));
    std::unique_ptr<output::AtomicFile> file;
    if (!o.output_path.empty()) file = std::make_unique<output::AtomicFile>(o.output_path);

    // A report from CSV has no metadata: count what its rows say.
    auto& m = report.meta;
    if (m.started_at == std::chrono::system_clock::time_point{}) {
        for (const auto& row : report.rows) {
            m.open += row.result.state == core::PortState::open;
            m.closed += row.result.state == core::PortState::closed;
            m.filtered += row.result.state == core::PortState::filtered;
            m.open_filtered += row.result.state == core::PortState::open_filtered;
        }
    }
    // NEW is all there is of the second scan: a listener of OLD that NEW does not list is gone.
    audit.annotate(report, [](const core::PortResult&) { return true; });
    const int verdict = audit.verdict(report);  // on every listener, before unchanged ones go
    std::erase_if(report.rows, [&](const core::ReportRow& r) {
        return r.change == core::Change::none || (r.change == core::Change::unchanged && !o.unchanged);
    });
    deliver_report(report, format, std::move(file), o.quiet);
    return verdict;
}

}  // namespace

Runner add_diff_command(CLI::App& app) {
    auto o = std::make_shared<DiffOptions>();
    auto* cmd = app.add_subcommand(
        "diff",
        "Compare two reports (CSV or JSON; two scan reports or two listener reports): which listeners are "
        "new, gone or changed");
    cmd->add_option("old", o->old_path, "The earlier report")->type_name("FILE")->required();
    cmd->add_option("new", o->new_path, "The later report")->type_name("FILE")->required();
    cmd->add_flag("--unchanged", o->unchanged, "List unchanged listeners too");
    add_audit_options(*cmd, o->audit, false);
    cmd->add_option("-o,--output", o->output_path, "Write the comparison to FILE (atomically)")
        ->type_name("FILE");
    cmd->add_option("--format", o->format,
                    "table, csv, json, xml or html (default: from -o's extension, else table)");
    cmd->add_flag("-q,--quiet", o->quiet, "No notices; with -o, no table on standard output");
    return [cmd, o]() -> int {
        if (!cmd->parsed()) return core::exit_usage;
        return run_diff(*o);
    };
}

}  // namespace ghostport::cli
