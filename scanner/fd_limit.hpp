// SPDX-License-Identifier: GPL-2.0-or-later
// Raises the open-file limit so a connect scan can keep thousands of sockets in flight.
#pragma once

#include <cstdint>

namespace ghostport::scanner {

// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft limit now in force.
std::uint64_t raise_fd_limit();

// Probes in flight that fit under `fd_limit`, leaving room for the process's other files;
// `requested` (0 = automatic) is capped there too. Never returns 0.
unsigned concurrency_for(std::uint64_t fd_limit, unsigned requested);

}  // namespace ghostport::scanner
