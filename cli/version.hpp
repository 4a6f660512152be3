// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport --version`: the version, the commit it was built from, and the data files a scan would use.
#pragma once

#include <string>
#include <string_view>

#include "cli/version_commit.hpp"
#include "registry/registry_source.hpp"

namespace ghostport::cli {

// Three lines, without a final newline:
//   ghostport VERSION (commit ID[, dirty])
//   registry: PATH (from ORIGIN[, filled from FILL]) -- as registry::locate_registry(nullopt, env) chooses,
//             or why there is none (a $GHOSTPORT_REGISTRY naming no file, or none found: what to install)
//   prevalence: PATH -- registry::locate_prevalence(nullopt), or none found: install nmap-common
// Reads no file beyond what locate_registry reads to compare snapshot dates; never throws InputError.
std::string version_text(std::string_view version, const BuildCommit& commit, const registry::SearchEnv& env);

}  // namespace ghostport::cli
