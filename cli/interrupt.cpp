// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/interrupt.hpp"

#include <unistd.h>
#include <csignal>

namespace ghostport::cli {

namespace {
std::atomic<bool> stop_requested{false};

extern "C" void on_signal(int sig) {
    if (stop_requested.exchange(true)) {
        // Second signal: stop at once, with the conventional status for death by this signal.
        std::signal(sig, SIG_DFL);
        raise(sig);
    }
}
}  // namespace

const std::atomic<bool>& install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return stop_requested;
}

void request_stop() {
    stop_requested = true;
}

}  // namespace ghostport::cli
