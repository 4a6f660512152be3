// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/config_file.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "core/errors.hpp"

namespace ghostport::cli {

void apply_config(CLI::App& cmd, std::istream& in, const std::string& path) {
    const CLI::Option* config = cmd.get_config_ptr();
    std::vector<CLI::ConfigItem> items;
    CLI::ConfigTOML format;
    try {
        items = format.from_config(in);
    } catch (const CLI::Error& e) {
        throw core::InputError(fmt::format("--config {}: {}", path, e.what()));
    }
    for (const auto& item : items) {
        if (item.name == "++" || item.name == "--") continue;  // [section] markers
        CLI::Option* opt = item.parents.empty() ? cmd.get_option_no_throw("--" + item.name) : nullptr;
        if (opt == nullptr && item.parents.empty()) opt = cmd.get_option_no_throw(item.name);
        if (opt == nullptr || opt == config)
            throw core::InputError(
                fmt::format("--config {}: unknown key '{}' (use long option names of ghostport {})", path,
                            item.fullname(), cmd.get_name()));
        if (opt->count() > 0) continue;  // the command line wins
        try {
            if (opt->get_expected_min() == 0)
                opt->add_result(opt->get_flag_value(item.name, format.to_flag(item)));
            else
                opt->add_result(item.inputs);
            opt->run_callback();
        } catch (const CLI::Error& e) {
            throw core::InputError(fmt::format("--config {}: {}: {}", path, item.name, e.what()));
        }
    }
}

void apply_config_file(CLI::App& cmd) {
    CLI::Option* config = cmd.get_config_ptr();
    if (config == nullptr || config->count() == 0) return;
    const std::string path = config->as<std::string>();
    std::error_code ec;
    std::ifstream in;
    if (std::filesystem::is_regular_file(path, ec)) in.open(path);
    if (!in.is_open()) throw core::InputError(fmt::format("--config {}: not a readable file", path));
    apply_config(cmd, in, path);
}

}  // namespace ghostport::cli
