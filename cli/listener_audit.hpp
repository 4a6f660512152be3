// SPDX-License-Identifier: GPL-2.0-or-later
// The audits of `ghostport listeners` and of `ghostport diff` on two listener reports: --baseline,
// --expect and --fail-on on listener rows (the scan's options and conditions), and where the report goes.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/audit.hpp"
#include "core/listener_report.hpp"
#include "output/atomic_file.hpp"
#include "output/format.hpp"

namespace ghostport::cli {

class ListenerAudit {
  public:
    // Reads the baseline (a listener report: FILE or latest:DIR; a scan report is an InputError) and the
    // expect file, and parses --fail-on (borrowed needs -sV: an InputError here; new, gone and changed
    // need a baseline, unexpected needs --expect). `latest:DIR` with no report is a notice unless quiet.
    static ListenerAudit prepare(const AuditOptions& o, bool quiet);
    // The same with the baseline already read (`ghostport diff OLD NEW`).
    static ListenerAudit prepare(const AuditOptions& o, core::ListenerReport baseline,
                                 std::string baseline_path);

    // Throws core::InputError when --fail-on rarity>=N is given and there is no prevalence data (every
    // rarity is unknown then), as scan does.
    void check_prevalence(bool has_prevalence) const;

    // Marks the rows' changes against the baseline (when there is one) and the expected ones (`hostname`:
    // this machine's, for name lines), and records the counts in the metadata.
    void annotate(core::ListenerReport& report, const std::string& hostname) const;

    // With --fail-on: names each finding on standard error with its process (at most 20, then a count) and
    // returns core::exit_findings when there is any; otherwise exit_ok.
    int verdict(const core::ListenerReport& report) const;

  private:
    std::optional<core::ListenerReport> baseline_;
    std::string baseline_path_;
    std::optional<core::ExpectList> expect_;
    std::optional<core::FailOn> fail_on_;
    std::string fail_on_spec_;
};

// The format from --format or -o's extension (table by default); xml is an InputError (no listener form).
output::Format choose_listener_format(const std::string& format_option, const std::string& output_path);

// Writes the report to `file` (then commits it) and, unless quiet, the table to standard output; without a
// file, the report in `format` to standard output. Throws core::RuntimeError when standard output fails.
void deliver_listener_report(const core::ListenerReport& report, output::Format format,
                             std::unique_ptr<output::AtomicFile> file, bool quiet);

}  // namespace ghostport::cli
