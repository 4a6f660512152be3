// SPDX-License-Identifier: GPL-2.0-or-later
// JSON reports other runs wrote: the --baseline, diff and merge input.
#include "core/errors.hpp"
#include "output/json_sink.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/report_exercise.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    try {
        gp_fuzz::exercise_report(output::read_json_report(gp_fuzz::as_text(data, size)));
    } catch (const core::InputError&) {
    }
    return 0;
}
