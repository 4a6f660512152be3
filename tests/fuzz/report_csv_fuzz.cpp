// SPDX-License-Identifier: GPL-2.0-or-later
// CSV reports other runs (or other people) wrote: the --baseline, diff and merge input.
#include "core/errors.hpp"
#include "output/csv_sink.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/report_exercise.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    try {
        core::Report report;
        report.rows = output::read_csv_report(gp_fuzz::as_text(data, size));
        gp_fuzz::exercise_report(report);
    } catch (const core::InputError&) {
    }
    return 0;
}
