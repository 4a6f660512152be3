// SPDX-License-Identifier: GPL-2.0-or-later
// Where the registry file comes from: the search order, the data directory and snapshot staleness.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/registry.hpp"

namespace ghostport::registry {

// The process inputs of the search, as values so tests can supply their own.
struct SearchEnv {
    std::optional<std::string> registry_env;   // $GHOSTPORT_REGISTRY
    std::optional<std::string> xdg_data_home;  // $XDG_DATA_HOME
    std::optional<std::string> home;           // $HOME
    // Installed copies of IANA's CSV (besides the data-directory copy), any order: the newest wins.
    std::vector<std::filesystem::path> iana_paths;
    // services(5) files, used whole (first found) only when no IANA CSV is found.
    std::vector<std::filesystem::path> services_paths;
    // The services(5) file that names the ports the chosen IANA CSV does not ("" for none).
    std::filesystem::path fill_path;

    // Reads the three variables with getenv (unset -> nullopt); iana_paths is
    // /usr/share/ipv6toolkit/service-names-port-numbers.csv, services_paths /usr/share/wireshark/services
    // and /etc/services, fill_path /etc/services.
    static SearchEnv from_process();
};

struct RegistryChoice {
    std::filesystem::path path;
    std::string origin;    // "--registry", "GHOSTPORT_REGISTRY", "data directory" or "system"
    std::string snapshot;  // the IANA CSV's newest date when the search compared dates, else ""
    // A services(5) file whose names fill the ports `path` does not name; empty unless `path` is an IANA
    // CSV found by the search (never for --registry or $GHOSTPORT_REGISTRY).
    std::filesystem::path fill;
    // `path` as the search already loaded it to compare dates (null when it did not): load_registry takes
    // it instead of reading and parsing the file a second time (moves it out when no other copy shares it).
    std::shared_ptr<Registry> loaded;
};

// The registry to use. `flag`, else $GHOSTPORT_REGISTRY, when given, is used alone. Otherwise the IANA
// CSV with the newest snapshot date among the data-directory copy (data_dir_registry_path) and
// env.iana_paths (ties: the data-directory copy, then iana_paths order; a file that is not a valid IANA
// CSV is passed over), with env.fill_path as its fill when that file exists; with no IANA CSV, the first
// of env.services_paths, alone. A flag or variable that is set (non-empty) but names no file throws
// core::InputError (the search never falls through silently); when nothing is found, throws
// core::InputError naming the places searched and `ghostport registry update` / `--registry`.
RegistryChoice locate_registry(const std::optional<std::string>& flag, const SearchEnv& env);

// Loads the chosen registry (Registry::load) and fills it from choice.fill when set.
// Throws as Registry::load does, for either file.
Registry load_registry(RegistryChoice choice);

// Prints "ghostport: registry snapshot D is older than a year (SOURCE); run `ghostport registry update`"
// to `err` when `snapshot` is stale at `now` (snapshot_is_stale), at most once per process however often
// it is called. Returns true when it printed.
bool warn_if_stale_once(std::string_view snapshot, std::string_view source,
                        std::chrono::system_clock::time_point now, std::FILE* err);

// Where `ghostport registry update/install` writes: $XDG_DATA_HOME (when absolute) or $HOME/.local/share,
// then ghostport/service-names-port-numbers.csv. Throws core::InputError when neither variable is usable.
std::filesystem::path data_dir_registry_path(const SearchEnv& env);

// True when `snapshot_date` ("YYYY-MM-DD") is more than 365 days before `now`; false for "" or a date
// that does not parse.
bool snapshot_is_stale(std::string_view snapshot_date, std::chrono::system_clock::time_point now);

}  // namespace ghostport::registry
