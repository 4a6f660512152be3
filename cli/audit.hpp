// SPDX-License-Identifier: GPL-2.0-or-later
// The audit options shared by `scan` and `diff`: --baseline, --expect and --fail-on, checked before any
// work starts and applied to the labelled report just before it is written.
#pragma once

#include <optional>
#include <string>

#include "core/diff.hpp"
#include "core/expect.hpp"
#include "core/findings.hpp"
#include "core/report.hpp"

namespace CLI {
class App;
}

namespace ghostport::cli {

struct AuditOptions {
    std::string baseline;  // FILE, latest:DIR, or "" (none)
    std::string expect;    // FILE or ""
    std::string fail_on;   // "new,ghost,..." or ""
};

// Registers --expect and --fail-on (and --baseline when with_baseline) on a subcommand.
void add_audit_options(CLI::App& cmd, AuditOptions& o, bool with_baseline);

class Audit {
  public:
    // Reads the baseline and expect files and parses --fail-on; throws core::InputError on any bad one.
    // `latest:DIR` with no report in DIR is not an error (the first run of a nightly job): a notice on
    // standard error unless quiet, and no comparison.
    static Audit prepare(const AuditOptions& o, bool quiet);
    // The same with the baseline already read (`ghostport diff OLD NEW`).
    static Audit prepare(const AuditOptions& o, core::Report baseline, std::string baseline_path);

    // Throws core::InputError when --fail-on names a condition only -sV can meet (borrowed) and
    // `service_scan` is false (the scan runs without -sV, or the report was written without it).
    void check_service_scan(bool service_scan) const;
    // Throws core::InputError when --fail-on names rarity>=N and there is no prevalence data (every rarity
    // is unknown, so the condition could never fire: refused rather than passing silently).
    void check_prevalence(bool has_prevalence) const;

    bool has_baseline() const { return baseline_.has_value(); }
    const core::Report* baseline() const { return baseline_ ? &*baseline_ : nullptr; }

    // Marks each listener's change against the baseline (if any; `probed` as in core::compare_with_baseline)
    // and the expected ones, and records the counts in the report's metadata.
    void annotate(core::Report& report, const core::ProbedFn& probed) const;

    // After the report is written: with --fail-on, names the findings on standard error (at most 20, then
    // a count; even with -q, since they are the result a cron job mails) and returns core::exit_findings
    // when there is any; otherwise exit_ok.
    int verdict(const core::Report& report) const;

  private:
    std::optional<core::Report> baseline_;
    std::string baseline_path_;
    std::optional<core::ExpectList> expect_;
    std::optional<core::FailOn> fail_on_;
    std::string fail_on_spec_;
};

// -o FILE with strftime patterns (%Y%m%d...) expanded at `t`, local time; FILE unchanged without '%'.
// The --expect file, loaded, with its hostnames resolved forward once (core/expect.hpp). Errors name the
// file; throws core::InputError.
core::ExpectList load_expect(const std::string& path);

// --fail-on rarity>=N with no prevalence data would pass silently (rarity is unknown): core::InputError.
void refuse_rarity_without_prevalence(const std::optional<core::FailOn>& fail_on, bool has_prevalence);

// The baseline report --baseline SPEC names: SPEC itself, or for latest:DIR the newest report in DIR ("" and
// a notice unless `quiet` when DIR has none). DIR and the report must not be writable by another user
// (one could hide a listener from the audit): core::InputError otherwise.
std::string baseline_path(const std::string& spec, bool quiet);

std::string expand_time_patterns(const std::string& path, std::chrono::system_clock::time_point t);

}  // namespace ghostport::cli
