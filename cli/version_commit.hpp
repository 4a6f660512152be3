// SPDX-License-Identifier: GPL-2.0-or-later
// The commit the ghostport binary was built from, generated at build time (cli/version.cmake); only the
// binary links it, so a new commit relinks ghostport and rebuilds no library.
#pragma once

#include <string_view>

namespace ghostport::cli {

struct BuildCommit {
    std::string_view id;  // 12 hex digits from git, the packager's GHOSTPORT_COMMIT, or "unknown"
    bool dirty = false;   // tracked files differed from that commit
};

// The commit this binary was built from.
BuildCommit build_commit();

}  // namespace ghostport::cli
