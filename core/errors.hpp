// SPDX-License-Identifier: GPL-2.0-or-later
// The two kinds of set-up error; the CLI edge turns each into one line on stderr and an exit code.
#pragma once

#include <stdexcept>

namespace ghostport::core {

// Documented exit codes (man page, EXIT STATUS).
enum ExitCode : int { exit_ok = 0, exit_findings = 1, exit_usage = 2, exit_runtime = 3 };

// Bad usage or bad input: a target, a port spec, a registry or prevalence file (exit 2).
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The environment failed us at run time: sockets, disk, network (exit 3).
struct RuntimeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace ghostport::core
