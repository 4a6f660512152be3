// SPDX-License-Identifier: GPL-2.0-or-later
// SIGINT/SIGTERM handling: the first signal asks the scan to stop gracefully, the second ends the process.
#pragma once

#include <atomic>

namespace ghostport::cli {

// Installs the handlers; returns the flag the first signal sets.
const std::atomic<bool>& install_interrupt_handlers();

// Sets that flag as a first signal would (--max-scan-time running out).
void request_stop();

}  // namespace ghostport::cli
