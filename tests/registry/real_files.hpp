// SPDX-License-Identifier: GPL-2.0-or-later
// Paths of the real registry and prevalence files the anchor tests use when present, parsed once per run.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "registry/prevalence.hpp"
#include "registry/registry.hpp"
#include "tests/skip.hpp"

namespace ghostport::registry::testing {

inline const std::string iana_2025_path = GHOSTPORT_SHARED_DIR "/data/iana/service-names-port-numbers.csv";
inline const std::string ipv6toolkit_path = "/usr/share/ipv6toolkit/service-names-port-numbers.csv";
inline const std::string nmap_services_path = "/usr/share/nmap/nmap-services";

// Where the file comes from, for the skip message: " (install the X package)" or the shared data note.
inline std::string provider(const std::string& path) {
    if (path == nmap_services_path) return " (apt-get install nmap-common)";
    if (path == ipv6toolkit_path) return " (apt-get install ipv6toolkit)";
    return " (the project's ../shared/data folder: CI has it)";
}

inline bool have(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

// The 2025 IANA snapshot, loaded on first use (callers skip first when it is missing).
inline const Registry& iana_2025() {
    static const Registry registry = Registry::load(iana_2025_path);
    return registry;
}

// nmap-services, loaded on first use (callers skip first when it is missing).
inline const Prevalence& nmap_services() {
    static const Prevalence prevalence = Prevalence::load(nmap_services_path);
    return prevalence;
}

}  // namespace ghostport::registry::testing

// Skips the current test, naming the file, when `path` is not a readable regular file.
// Skips the current test (fails it under CI=true), naming the file and its package, when `path` is not a
// readable regular file.
#define GHOSTPORT_SKIP_UNLESS(path)                                                                     \
    do {                                                                                                \
        if (!::ghostport::registry::testing::have(path))                                                \
            GP_SKIP(std::string("missing ") + (path) + ::ghostport::registry::testing::provider(path)); \
    } while (0)
