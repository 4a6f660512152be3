// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport registry update|install|info`: keep the IANA registry snapshot current in the data directory.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "registry/registry.hpp"
#include "registry/registry_source.hpp"
#include "registry/update.hpp"

namespace ghostport::cli {

namespace {

struct RegistryOptions {
    std::string url = registry::iana_csv_url;
    std::string file;
    std::string ca_file;
    std::optional<std::string> registry_file;
};

int installed(const std::filesystem::path& dest) {
    auto reg = registry::Registry::load(dest);
    std::cout << fmt::format("installed {} records (snapshot {}) into {}\n", reg.size(), reg.snapshot_date(),
                             dest.string());
    return core::exit_ok;
}

}  // namespace

Runner add_registry_command(CLI::App& app) {
    auto o = std::make_shared<RegistryOptions>();
    auto* cmd = app.add_subcommand("registry",
                                   "Show, update or install the IANA port registry ghostport labels with");
    cmd->require_subcommand(1);
    auto* update =
        cmd->add_subcommand("update", "Download IANA's current registry, validate it, install it atomically");
    update->add_option("--url", o->url, "Where to download it from (https:// only)")->capture_default_str();
    update
        ->add_option("--ca-file", o->ca_file,
                     "PEM file of the certificate authorities to trust instead of the system's")
        ->type_name("FILE");
    auto* install = cmd->add_subcommand("install", "Validate a registry CSV file and install it atomically");
    install->add_option("file", o->file, "An IANA service-names-port-numbers.csv")
        ->type_name("FILE")
        ->required();
    auto* info = cmd->add_subcommand("info", "Say which registry a scan would use, and its snapshot date");
    info->add_option("--registry", o->registry_file, "As for scan")->type_name("FILE");

    return [=]() -> int {
        auto env = registry::SearchEnv::from_process();
        if (update->parsed()) {
            auto dest = registry::data_dir_registry_path(env);
            registry::install_registry_text(registry::download(o->url, std::chrono::seconds(120), o->ca_file),
                                            dest);
            return installed(dest);
        }
        if (install->parsed()) {
            std::ifstream in(o->file, std::ios::binary);
            if (!in)
                throw core::InputError(fmt::format("cannot read '{}': {}", o->file, std::strerror(errno)));
            std::stringstream text;
            text << in.rdbuf();
            auto dest = registry::data_dir_registry_path(env);
            registry::install_registry_text(text.str(), dest);
            return installed(dest);
        }
        auto choice = registry::locate_registry(o->registry_file, env);
        auto reg = registry::load_registry(choice);
        auto snapshot = reg.snapshot_date();
        const std::string fill =
            reg.fill_source().empty()
                ? std::string()
                : fmt::format("filled from: {} for {} port{} the registry does not name\n", reg.fill_source(),
                              reg.filled_ports(), reg.filled_ports() == 1 ? "" : "s");
        std::cout << fmt::format("registry: {} (from {})\n{}records: {}\nsnapshot: {}{}\n",
                                 choice.path.string(), choice.origin, fill, reg.size(),
                                 snapshot.empty() ? "unknown" : snapshot,
                                 registry::snapshot_is_stale(snapshot, std::chrono::system_clock::now())
                                     ? " (older than a year: run `ghostport registry update`)"
                                     : "");
        return core::exit_ok;
    };
}

}  // namespace ghostport::cli
