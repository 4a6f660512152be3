// SPDX-License-Identifier: GPL-2.0-or-later
// The subcommands: each registers its options on a CLI11 app and returns the exit code when run.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ghostport::cli {

// Registers a subcommand; the returned function runs it after parsing and returns the exit code.
// Set-up errors are thrown as core::InputError (exit 2) or core::RuntimeError (exit 3).
using Runner = std::function<int()>;
// `args`: the arguments after the program name (the scan records them in a --resume checkpoint).
Runner add_scan_command(CLI::App& app, const std::string& command_line, const std::vector<std::string>& args);
Runner add_lookup_command(CLI::App& app);
Runner add_registry_command(CLI::App& app);
Runner add_diff_command(CLI::App& app);
Runner add_merge_command(CLI::App& app);
Runner add_listeners_command(CLI::App& app, const std::string& command_line);

struct AuditOptions;
// `ghostport diff OLD NEW` when both are listener reports (see listeners_command.cpp): the listener
// comparison with --expect and --fail-on; returns the exit code.
int run_listener_diff(const std::string& old_path, const std::string& new_path, const AuditOptions& audit,
                      bool unchanged, const std::string& output_path, const std::string& format, bool quiet);

}  // namespace ghostport::cli
