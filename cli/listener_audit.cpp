// SPDX-License-Identifier: GPL-2.0-or-later
// The audits of listener reports (baseline, expect, fail-on) and where the report goes.
#include "cli/listener_audit.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include "cli/report_output.hpp"
#include "core/errors.hpp"
#include "core/listener_audit.hpp"
#include "output/listener_reader.hpp"
#include "output/listener_sinks.hpp"
#include "output/report_file.hpp"

namespace ghostport::cli {

namespace {

void prepare_rest(const AuditOptions& o, bool has_baseline, std::optional<core::ExpectList>& expect,
                  std::optional<core::FailOn>& fail_on, std::string& spec) {
    spec = o.fail_on;
    if (!o.fail_on.empty()) {
        fail_on = core::FailOn::parse(o.fail_on);
        if (fail_on->borrowed)
            throw core::InputError(
                "--fail-on borrowed needs scan -sV; a listener report names no detected service");
        if (fail_on->unexpected && o.expect.empty())
            throw core::InputError(
                "--fail-on unexpected needs --expect FILE (the listeners that are expected)");
        if (fail_on->needs_baseline() && !has_baseline && o.baseline.empty())
            throw core::InputError(
                "--fail-on new, gone or changed needs --baseline (an earlier listener report)");
    }
    if (!o.expect.empty()) expect = load_expect(o.expect);
}

core::ListenerReport read_baseline(const std::string& path) {
    if (!output::is_listener_report_file(path)) {
        output::read_listener_report_file(path);  // says why when it cannot be read
        throw core::InputError(fmt::format(
            "{}: a scan report, not a listener report (write one with `ghostport listeners -o`)", path));
    }
    return output::read_listener_report_file(path);
}

}  // namespace

ListenerAudit ListenerAudit::prepare(const AuditOptions& o, bool quiet) {
    ListenerAudit a;
    prepare_rest(o, false, a.expect_, a.fail_on_, a.fail_on_spec_);
    a.baseline_path_ = baseline_path(o.baseline, quiet);
    if (!a.baseline_path_.empty()) a.baseline_ = read_baseline(a.baseline_path_);
    return a;
}

ListenerAudit ListenerAudit::prepare(const AuditOptions& o, core::ListenerReport baseline,
                                     std::string baseline_path) {
    ListenerAudit a;
    prepare_rest(o, true, a.expect_, a.fail_on_, a.fail_on_spec_);
    a.baseline_ = std::move(baseline);
    a.baseline_path_ = std::move(baseline_path);
    return a;
}

void ListenerAudit::check_prevalence(bool has_prevalence) const {
    refuse_rarity_without_prevalence(fail_on_, has_prevalence);
}

void ListenerAudit::annotate(core::ListenerReport& report, const std::string& hostname) const {
    auto& m = report.meta;
    if (baseline_) {
        const auto counts = core::compare_listeners(report.rows, baseline_->rows);
        m.baseline_source = baseline_path_;
        m.baseline_started_at = baseline_->meta.started_at;
        m.added = counts.added;
        m.gone = counts.gone;
        m.changed = counts.changed;
        m.unchanged = counts.unchanged;
    }
    if (expect_) m.expected = core::apply_expect(*expect_, report.rows, hostname);
}

int ListenerAudit::verdict(const core::ListenerReport& report) const {
    if (!fail_on_) return core::exit_ok;
    const auto found = core::listener_findings(report.rows, *fail_on_);
    if (found.empty()) return core::exit_ok;
    constexpr std::size_t max_named = 20;
    for (std::size_t i = 0; i < found.size() && i < max_named; ++i)
        std::fprintf(stderr, "ghostport: finding: %s\n", core::finding_text(found[i]).c_str());
    std::fprintf(stderr, "ghostport: %zu finding%s match%s --fail-on %s%s\n", found.size(),
                 found.size() == 1 ? "" : "s", found.size() == 1 ? "es" : "", fail_on_spec_.c_str(),
                 found.size() > max_named ? " (the first 20 named above)" : "");
    return core::exit_findings;
}

output::Format choose_listener_format(const std::string& format_option, const std::string& output_path) {
    const output::Format f = choose_format(format_option, output_path);
    if (f == output::Format::xml)
        throw core::InputError("a listener report has no XML form: use table, csv, json or html");
    return f;
}

void deliver_listener_report(const core::ListenerReport& report, output::Format format,
                             std::unique_ptr<output::AtomicFile> file, bool quiet) {
    if (file) {
        output::write_listener_report(file->stream(), report, format, false);
        file->commit();
        if (!quiet)
            output::write_listener_report(std::cout, report, output::Format::table, isatty(STDOUT_FILENO));
    } else {
        output::write_listener_report(std::cout, report, format,
                                      format == output::Format::table && isatty(STDOUT_FILENO));
    }
    std::cout.flush();
    if (!std::cout) throw core::RuntimeError("cannot write the report to standard output");
}

}  // namespace ghostport::cli
