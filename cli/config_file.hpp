// SPDX-License-Identifier: GPL-2.0-or-later
// `scan --config FILE`: a TOML or INI file whose keys are long option names of a subcommand.
//
// CLI11 2.1.2 reads only the main app's config file, never a subcommand's, so the subcommand applies its own
// here: each key is a long option name, an option given on the command line wins, and an unknown key is an
// error. Split from the scan command so the fuzzer can drive it (tests/fuzz/config_fuzz.cpp).
#pragma once

#include <istream>
#include <string>

namespace CLI {
class App;
}

namespace ghostport::cli {

// Applies the items of the config text `in` to `cmd`'s options. Throws core::InputError "--config PATH: ..."
// for a syntax error, an unknown key or a value an option refuses.
void apply_config(CLI::App& cmd, std::istream& in, const std::string& path);

// When `cmd`'s --config option was given, reads that file and applies it; InputError when it is unreadable.
void apply_config_file(CLI::App& cmd);

}  // namespace ghostport::cli
