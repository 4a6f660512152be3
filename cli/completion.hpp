// SPDX-License-Identifier: GPL-2.0-or-later
// The bash completion script, generated from the CLI11 option tree so it always matches the options.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ghostport::cli {

// A bash script defining `_ghostport` and ending with `complete -F _ghostport ghostport`. It completes, for
// the command path typed so far (walked through every nested subcommand of `app`): the subcommands; every
// long and short option not hidden from --help (no group), with nmap's spellings (nmap_aliases.hpp) where
// the option they stand for exists; the values of an option with a fixed set (a CLI11 IsMember check, else
// a small table for options checked later: --format, --show, --fail-on, --ports words), comma lists for
// --show, --fail-on and --ports; file names for options and positionals whose type name is FILE.
std::string bash_completion(const CLI::App& app);

}  // namespace ghostport::cli
