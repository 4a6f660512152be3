// SPDX-License-Identifier: GPL-2.0-or-later
// The audit options shared by `scan` and `diff`: baseline comparison, expected listeners, --fail-on.
#include "cli/audit.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <time.h>
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <cstdio>

#include "core/errors.hpp"
#include "output/report_file.hpp"
#include "output/utf8.hpp"
#include "scanner/target_spec.hpp"

namespace ghostport::cli {

void add_audit_options(CLI::App& cmd, AuditOptions& o, bool with_baseline) {
    if (with_baseline)
        cmd.add_option(
               "--baseline", o.baseline,
               "Compare with an earlier report (CSV or JSON): FILE, or latest:DIR for the newest report "
               "in DIR; each listener is new, gone, changed or unchanged")
            ->type_name("FILE");
    cmd.add_option(
           "--expect", o.expect,
           "Allowlist FILE of expected listeners (`HOST-OR-CIDR PORT[/PROTO] [service=NAME] [NOTE]` lines): "
           "labelled expected, never findings; with -sV another service than NAME is unexpected")
        ->type_name("FILE");
    cmd.add_option("--fail-on", o.fail_on,
                   "Exit 1 when a finding matches: new, gone, changed, ghost, all-open, rarity>=N, "
                   "unexpected, borrowed, unassigned, label=NAME (comma-separated)");
}

namespace {

void prepare_rest(const AuditOptions& o, bool has_baseline, std::optional<core::ExpectList>& expect,
                  std::optional<core::FailOn>& fail_on, std::string& fail_on_spec) {
    fail_on_spec = o.fail_on;
    if (!o.fail_on.empty()) {
        fail_on = core::FailOn::parse(o.fail_on);
        if (fail_on->unexpected && o.expect.empty())
            throw core::InputError(
                "--fail-on unexpected needs --expect FILE (the listeners that are expected)");
        if (fail_on->needs_baseline() && !has_baseline && o.baseline.empty())
            throw core::InputError("--fail-on new, gone or changed needs --baseline (an earlier report)");
    }
    if (!o.expect.empty()) expect = load_expect(o.expect);
}

// A baseline decides what counts as new: a folder or report that another user may write could hide a
// listener from the audit. Refuses (InputError) one writable by group or others, or owned by a user other
// than the invoking one or root.
void refuse_writable_by_others(const std::string& path, std::string_view what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return;  // a missing one is reported by its reader
    const uid_t me = ::getuid();
    if ((st.st_mode & 022) != 0 || (st.st_uid != me && st.st_uid != 0))
        throw core::InputError(fmt::format(
            "--baseline: {} {} (owner uid {}, mode {:04o}) may be written by another user, who could hide a "
            "listener from this audit; keep baselines where only you (or root) can write",
            what, path, st.st_uid, st.st_mode & 07777));
}

}  // namespace

core::ExpectList load_expect(const std::string& path) {
    core::ExpectList expect = core::ExpectList::load(path);
    try {
        expect.resolve_names(scanner::system_resolver());  // forward, once: never trust PTR names
    } catch (const core::InputError& e) {
        throw core::InputError(fmt::format("{}: {}", path, e.what()));
    }
    return expect;
}

std::string baseline_path(const std::string& spec, bool quiet) {
    if (!spec.starts_with("latest:")) return spec;
    const std::string dir = spec.substr(7);
    if (dir.empty()) throw core::InputError("--baseline latest:DIR needs a folder");
    refuse_writable_by_others(dir, "the folder");
    if (auto path = output::newest_report_in(dir)) {
        refuse_writable_by_others(*path, "the report");
        return *path;
    }
    if (!quiet)
        std::fprintf(stderr, "ghostport: no earlier report in %s: nothing to compare with this time\n",
                     dir.c_str());
    return "";
}

Audit Audit::prepare(const AuditOptions& o, bool quiet) {
    Audit a;
    prepare_rest(o, false, a.expect_, a.fail_on_, a.fail_on_spec_);
    a.baseline_path_ = baseline_path(o.baseline, quiet);
    if (!a.baseline_path_.empty()) a.baseline_ = output::read_report_file(a.baseline_path_);
    return a;
}

Audit Audit::prepare(const AuditOptions& o, core::Report baseline, std::string baseline_path) {
    Audit a;
    prepare_rest(o, true, a.expect_, a.fail_on_, a.fail_on_spec_);
    a.baseline_ = std::move(baseline);
    a.baseline_path_ = std::move(baseline_path);
    return a;
}

void Audit::check_service_scan(bool service_scan) const {
    if (fail_on_ && fail_on_->needs_service_scan() && !service_scan)
        throw core::InputError(
            "--fail-on borrowed needs -sV (service identification names the service behind each port)");
}

void refuse_rarity_without_prevalence(const std::optional<core::FailOn>& fail_on, bool has_prevalence) {
    if (fail_on && fail_on->needs_rarity() && !has_prevalence)
        throw core::InputError(
            "--fail-on rarity>=N needs prevalence data (rarity is unknown without it); install nmap-common "
            "or pass --prevalence FILE");
}

void Audit::check_prevalence(bool has_prevalence) const {
    refuse_rarity_without_prevalence(fail_on_, has_prevalence);
}

void Audit::annotate(core::Report& report, const core::ProbedFn& probed) const {
    auto& m = report.meta;
    if (baseline_) {
        const auto counts = core::compare_with_baseline(report.rows, baseline_->rows, probed);
        m.baseline_source = baseline_path_;
        m.baseline_started_at = baseline_->meta.started_at;
        m.added = counts.added;
        m.gone = counts.gone;
        m.changed = counts.changed;
        m.unchanged = counts.unchanged;
    }
    if (expect_) m.expected = expect_->apply(report.rows);
}

int Audit::verdict(const core::Report& report) const {
    if (!fail_on_) return core::exit_ok;
    const auto found = core::findings(report.rows, *fail_on_);
    if (found.empty()) return core::exit_ok;
    {
        constexpr std::size_t max_named = 20;
        for (std::size_t i = 0; i < found.size() && i < max_named; ++i) {
            const core::ReportRow& row = *found[i].row;
            const std::string port =
                row.result.state == core::PortState::all_open
                    ? std::string("all ports")
                    : fmt::format("{}/{}", row.result.port, core::to_string(row.result.proto));
            const std::string rarity =
                row.label.rarity ? fmt::format("{:.1f}", *row.label.rarity) : std::string("-");
            // The service name comes from a registry file, the reason may quote a banner: escaped for the
            // terminal like every other string a stranger chose.
            const std::string line =
                fmt::format("finding: {} {} {} rarity {}: {}", row.result.host.to_string(), port,
                            row.label.service.empty() ? "-" : row.label.service, rarity, found[i].why);
            std::fprintf(stderr, "ghostport: %s\n", output::detail::terminal_safe(line).c_str());
        }
        std::fprintf(stderr, "ghostport: %zu finding%s match%s --fail-on %s%s\n", found.size(),
                     found.size() == 1 ? "" : "s", found.size() == 1 ? "es" : "", fail_on_spec_.c_str(),
                     found.size() > max_named ? " (the first 20 named above)" : "");
    }
    return core::exit_findings;
}

std::string expand_time_patterns(const std::string& path, std::chrono::system_clock::time_point t) {
    if (path.find('%') == std::string::npos) return path;
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm local{};
    localtime_r(&tt, &local);
    std::string out(path.size() + 256, '\0');
    const std::size_t n = std::strftime(out.data(), out.size(), path.c_str(), &local);
    if (n == 0) throw core::InputError(fmt::format("bad -o '{}': its time patterns expand to nothing", path));
    out.resize(n);
    return out;
}

}  // namespace ghostport::cli
