// SPDX-License-Identifier: GPL-2.0-or-later
// `scan --config FILE` (TOML or INI): the real scan subcommand's options, parsed with no command-line
// options, then the config text applied to them. The scan itself never runs.
#include <CLI/CLI.hpp>

#include <sstream>
#include <string>

#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "core/errors.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    CLI::App app;
    // The runner owns the options the parsed values land in: it must outlive the parse, as in main().
    const cli::Runner runner = cli::add_scan_command(app, "ghostport scan", {"scan"});
    std::vector<std::string> args{"scan"};
    app.parse(args);
    std::istringstream in{std::string(gp_fuzz::as_text(data, size))};
    try {
        cli::apply_config(*app.get_subcommand("scan"), in, "fuzz.toml");
    } catch (const core::InputError&) {
    }
    return 0;
}
