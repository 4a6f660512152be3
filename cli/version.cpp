// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport --version`: the version, the commit it was built from, and the data files a scan would use.
#include "cli/version.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "registry/prevalence.hpp"

namespace ghostport::cli {

namespace {

// The registry line's text after "registry: ".
std::string registry_line(const registry::SearchEnv& env) {
    try {
        auto choice = registry::locate_registry(std::nullopt, env);
        std::string origin = choice.origin;
        if (!choice.fill.empty()) origin += ", filled from " + choice.fill.string();
        return fmt::format("{} (from {})", choice.path.string(), origin);
    } catch (const core::InputError& e) {
        // A $GHOSTPORT_REGISTRY naming no file is a mistake to show as it is, not a missing package.
        if (env.registry_env && !env.registry_env->empty()) return e.what();
        return "none found: install ipv6toolkit or run `ghostport registry update`";
    }
}

}  // namespace

std::string version_text(std::string_view version, const BuildCommit& commit,
                         const registry::SearchEnv& env) {
    // Without a flag the search only looks for nmap-common's file: it never throws.
    const auto found = registry::locate_prevalence(std::nullopt);
    const std::string prevalence = found ? found->string() : "none found: install nmap-common";
    return fmt::format("ghostport {} (commit {}{})\nregistry: {}\nprevalence: {}", version, commit.id,
                       commit.dirty ? ", dirty" : "", registry_line(env), prevalence);
}

}  // namespace ghostport::cli
