// SPDX-License-Identifier: GPL-2.0-or-later
// Where the registry file comes from: the search order, the data directory and snapshot staleness.
#include "registry/registry_source.hpp"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <cstdlib>

#include "core/errors.hpp"
#include "registry/iana_csv.hpp"
#include "registry/text_util.hpp"

namespace ghostport::registry {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> env_var(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
}

bool set(const std::optional<std::string>& v) {
    return v && !v->empty();
}

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);  // follows symlinks; false on any error
}

std::optional<fs::path> data_dir_path(const SearchEnv& env) {
    if (set(env.xdg_data_home) && fs::path(*env.xdg_data_home).is_absolute())
        return fs::path(*env.xdg_data_home) / "ghostport" / "service-names-port-numbers.csv";
    if (set(env.home))
        return fs::path(*env.home) / ".local" / "share" / "ghostport" / "service-names-port-numbers.csv";
    return std::nullopt;
}

std::optional<int> parse_int(std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

SearchEnv SearchEnv::from_process() {
    SearchEnv env;
    env.registry_env = env_var("GHOSTPORT_REGISTRY");
    env.xdg_data_home = env_var("XDG_DATA_HOME");
    env.home = env_var("HOME");
    env.iana_paths = {"/usr/share/ipv6toolkit/service-names-port-numbers.csv"};
    env.services_paths = {"/usr/share/wireshark/services", "/etc/services"};
    env.fill_path = "/etc/services";
    return env;
}

RegistryChoice locate_registry(const std::optional<std::string>& flag, const SearchEnv& env) {
    if (flag) {
        if (!is_file(*flag))
            throw core::InputError(
                fmt::format("--registry {}: no such file", flag->empty() ? "\"\"" : *flag));
        return {*flag, "--registry", "", {}, nullptr};
    }
    if (set(env.registry_env)) {
        if (!is_file(*env.registry_env))
            throw core::InputError(fmt::format("GHOSTPORT_REGISTRY={}: no such file", *env.registry_env));
        return {*env.registry_env, "GHOSTPORT_REGISTRY", "", {}, nullptr};
    }
    std::string searched;
    auto note = [&](const fs::path& p) { searched += (searched.empty() ? "" : ", ") + p.string(); };

    std::vector<std::pair<fs::path, std::string>> csvs;  // (path, origin)
    if (auto p = data_dir_path(env)) csvs.emplace_back(*p, "data directory");
    for (const auto& p : env.iana_paths) csvs.emplace_back(p, "system");
    std::optional<RegistryChoice> best;
    for (const auto& [path, origin] : csvs) {
        note(path);
        if (!is_file(path)) continue;
        std::shared_ptr<Registry> loaded;
        try {
            const std::string text = detail::read_text_file(path);
            if (!detail::looks_like_iana_csv(text)) continue;
            loaded = std::make_shared<Registry>(Registry::load(path, text));
        } catch (const core::InputError&) {
            continue;  // unreadable or not a valid IANA CSV: another candidate may be
        }
        const std::string date = loaded->snapshot_date();
        if (!best || date > best->snapshot) best = RegistryChoice{path, origin, date, {}, std::move(loaded)};
    }
    if (best) {
        if (!env.fill_path.empty() && is_file(env.fill_path)) best->fill = env.fill_path;
        return *best;
    }
    for (const auto& p : env.services_paths) {
        if (is_file(p)) return {p, "system", "", {}, nullptr};
        note(p);
    }
    throw core::InputError(
        fmt::format("no service registry found (searched: {}); run `ghostport registry update` to download "
                    "IANA's registry, "
                    "or pass --registry FILE",
                    searched.empty() ? "nothing" : searched));
}

Registry load_registry(RegistryChoice choice) {
    Registry registry = !choice.loaded                   ? Registry::load(choice.path)
                        : choice.loaded.use_count() == 1 ? std::move(*choice.loaded)
                                                         : *choice.loaded;
    if (!choice.fill.empty()) registry.fill_from(Registry::load(choice.fill));
    return registry;
}

bool warn_if_stale_once(std::string_view snapshot, std::string_view source,
                        std::chrono::system_clock::time_point now, std::FILE* err) {
    static std::atomic<bool> warned{false};
    if (!snapshot_is_stale(snapshot, now) || warned.exchange(true)) return false;
    std::fprintf(err,
                 "ghostport: registry snapshot %.*s is older than a year (%.*s); run `ghostport registry "
                 "update`\n",
                 static_cast<int>(snapshot.size()), snapshot.data(), static_cast<int>(source.size()),
                 source.data());
    return true;
}

fs::path data_dir_registry_path(const SearchEnv& env) {
    if (auto p = data_dir_path(env)) return *p;
    throw core::InputError(
        "cannot find a data directory: set HOME or XDG_DATA_HOME, or pass --registry FILE");
}

bool snapshot_is_stale(std::string_view snapshot_date, std::chrono::system_clock::time_point now) {
    if (snapshot_date.size() != 10 || snapshot_date[4] != '-' || snapshot_date[7] != '-') return false;
    const auto y = parse_int(snapshot_date.substr(0, 4));
    const auto m = parse_int(snapshot_date.substr(5, 2));
    const auto d = parse_int(snapshot_date.substr(8, 2));
    if (!y || !m || !d) return false;
    const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                          std::chrono::month{static_cast<unsigned>(*m)},
                                          std::chrono::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return false;
    const std::chrono::sys_days snapshot{ymd};
    return now - snapshot > std::chrono::days{365};
}

}  // namespace ghostport::registry
