// SPDX-License-Identifier: GPL-2.0-or-later
// gp_discover: runs the raw host discovery (scanner/raw_discovery.hpp) on TARGET... (addresses, CIDR blocks,
// ranges) and prints one line per host found up, "ADDR REASON RTT_US", then a summary on stderr. For the
// namespace lab; exits 0 when the run completes, 2 on bad usage, 3 when it cannot run.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "scanner/raw_discovery.hpp"
#include "scanner/target_spec.hpp"

namespace {

std::atomic<bool> stop_requested{false};

void on_signal(int) {
    stop_requested = true;
}

int usage() {
    std::fputs("usage: gp_discover [--timeout-ms N] [--retries N] [--max-rate PPS] TARGET...\n", stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ghostport;
    scanner::DiscoveryOptions options;
    options.timeout = std::chrono::milliseconds(500);
    options.retries = 1;
    scanner::TargetOptions targets;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--timeout-ms" && has_value) {
            options.timeout = std::chrono::milliseconds(std::strtoul(argv[++i], nullptr, 10));
        } else if (arg == "--retries" && has_value) {
            options.retries = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        } else if (arg == "--max-rate" && has_value) {
            options.max_rate = std::strtod(argv[++i], nullptr);
        } else if (arg.starts_with("-")) {
            return usage();
        } else {
            targets.targets.emplace_back(arg);
        }
    }
    if (targets.targets.empty()) return usage();
    ::signal(SIGINT, on_signal);
    ::signal(SIGTERM, on_signal);
    try {
        const scanner::TargetSet set = scanner::build_targets(targets, scanner::system_resolver());
        const auto start = std::chrono::steady_clock::now();
        std::uint64_t up = 0;
        scanner::RawDiscovery(options).run(
            set,
            [&](const scanner::HostUp& h) {
                ++up;
                std::printf("%s %s %u\n", h.host.to_string().c_str(),
                            std::string(scanner::to_string(h.reason)).c_str(), h.rtt_us);
                std::fflush(stdout);
            },
            &stop_requested);
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        std::fprintf(stderr, "%llu hosts up of %llu in %lld ms\n", static_cast<unsigned long long>(up),
                     static_cast<unsigned long long>(set.size()), static_cast<long long>(ms.count()));
        return 0;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "gp_discover: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gp_discover: %s\n", e.what());
        return 3;
    }
}
