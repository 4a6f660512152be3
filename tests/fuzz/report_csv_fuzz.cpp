// CSV reports other runs (or other people) wrote: the --baseline, diff and merge input. A parsed report is
// then diffed against itself and written back, so hostile field values also pass through the writers.
#include <sstream>

#include "core/diff.hpp"
#include "core/errors.hpp"
#include "output/csv_sink.hpp"
#include "output/json_sink.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    try {
        core::Report report;
        report.rows = output::read_csv_report(gp_fuzz::as_text(data, size));
        auto rows = report.rows;
        core::compare_with_baseline(rows, report.rows, [](const core::PortResult&) { return true; });
        std::ostringstream csv, json;
        output::write_csv(csv, report);
        output::write_json(json, report);
    } catch (const core::InputError&) {
    }
    return 0;
}
