// Where the registry file comes from: the search order, the data directory and snapshot staleness.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ghostport::registry {

// The process inputs of the search, as values so tests can supply their own.
struct SearchEnv {
    std::optional<std::string> registry_env;   // $GHOSTPORT_REGISTRY
    std::optional<std::string> xdg_data_home;  // $XDG_DATA_HOME
    std::optional<std::string> home;           // $HOME
    std::vector<std::filesystem::path> system_paths;

    // Reads the three variables with getenv (unset -> nullopt) and sets system_paths to
    // /usr/share/ipv6toolkit/service-names-port-numbers.csv, /usr/share/wireshark/services, /etc/services.
    static SearchEnv from_process();
};

struct RegistryChoice {
    std::filesystem::path path;
    std::string origin;  // "--registry", "GHOSTPORT_REGISTRY", "data directory" or "system"
};

// The first registry found, in this order: `flag`, $GHOSTPORT_REGISTRY, the data-directory copy
// (data_dir_registry_path), then env.system_paths in order. A flag or variable that is set (non-empty)
// but names no file throws core::InputError (the search never falls through silently); when nothing is
// found, throws core::InputError naming the places searched and `ghostport registry update` / `--registry`.
RegistryChoice locate_registry(const std::optional<std::string>& flag, const SearchEnv& env);

// Where `ghostport registry update/install` writes: $XDG_DATA_HOME (when absolute) or $HOME/.local/share,
// then ghostport/service-names-port-numbers.csv. Throws core::InputError when neither variable is usable.
std::filesystem::path data_dir_registry_path(const SearchEnv& env);

// True when `snapshot_date` ("YYYY-MM-DD") is more than 365 days before `now`; false for "" or a date
// that does not parse.
bool snapshot_is_stale(std::string_view snapshot_date, std::chrono::system_clock::time_point now);

}  // namespace ghostport::registry
