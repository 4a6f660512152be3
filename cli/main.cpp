// SPDX-License-Identifier: GPL-2.0-or-later
// ghostport's entry point: subcommand dispatch and the one place where errors become exit codes.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/completion.hpp"
#include "cli/nmap_aliases.hpp"
#include "cli/resume_file.hpp"
#include "cli/version.hpp"
#include "cli/version_commit.hpp"
#include "core/command_line.hpp"
#include "core/errors.hpp"
#include "registry/registry_source.hpp"

namespace {

int fail(int code, const std::string& message) {
    std::fprintf(stderr, "ghostport: %s\n", message.c_str());
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ghostport;
    // nmap's spellings (-iL, -Pn, -sn, -sV, -sU, -sS, -sT; cli/nmap_aliases.hpp) become the long options.
    std::vector<std::string> args;
    for (std::string a : std::vector<std::string>(argv + 1, argv + argc)) {
        auto alias = std::find_if(cli::nmap_aliases.begin(), cli::nmap_aliases.end(),
                                  [&](const cli::NmapAlias& n) { return n.spelling == a; });
        if (alias == cli::nmap_aliases.end()) {
            args.push_back(std::move(a));
            continue;
        }
        for (auto word : alias->words)
            if (!word.empty()) args.emplace_back(word);
    }
    // `scan --resume FILE` with a checkpoint in FILE continues that scan, with its own arguments.
    try {
        if (auto stored = cli::resumed_arguments(args)) args = *stored;
    } catch (const core::InputError& e) {
        return fail(core::exit_usage, e.what());
    }
    CLI::App app{
        "ghostport: an active TCP and UDP port scanner that labels every open port with its IANA name and a "
        "rarity score, so ports open where nothing ought to listen (ghosts) stand out.",
        "ghostport"};
    // What a bug report needs: the version, the commit, and the data files a scan would use.
    app.set_version_flag("--version", [] {
        return cli::version_text(GHOSTPORT_VERSION, cli::build_commit(), registry::SearchEnv::from_process());
    });
    // The bash completion (cli/completion.hpp), generated from this option tree at build time; hidden from
    // --help (no group).
    bool print_completion = false;
    app.add_flag_callback("--bash-completion",
                          [&] {
                              print_completion = true;
                              throw CLI::Success();
                          })
        ->group("")
        ->configurable(false);
    app.require_subcommand(1);
    app.footer(
        "Exit status: 0 done, 1 findings matched --fail-on, 2 bad usage or input, 3 run-time failure.\n"
        "See ghostport(1).");
    const std::string command_line = core::join_command_line(std::vector<std::string>(argv, argv + argc));
    const std::pair<std::string, cli::Runner> commands[] = {
        {"scan", cli::add_scan_command(app, command_line, args)},
        {"lookup", cli::add_lookup_command(app)},
        {"registry", cli::add_registry_command(app)},
        {"diff", cli::add_diff_command(app)},
        {"merge", cli::add_merge_command(app)},
        {"listeners", cli::add_listeners_command(app, command_line)}};
    // CLI11 would only say that a subcommand is required; name the word that is not one.
    auto is_command = [&](const std::string& word) {
        return std::any_of(std::begin(commands), std::end(commands),
                           [&](auto& c) { return c.first == word; });
    };
    if (!args.empty() && !args.front().starts_with('-') && !is_command(args.front()))
        return fail(
            core::exit_usage,
            fmt::format(
                "unknown command '{}' (use scan, listeners, diff, merge, lookup or registry; see --help)",
                args.front()));
    std::reverse(args.begin(), args.end());  // CLI11 consumes a reversed vector
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::Success& e) {
        if (!print_completion) return app.exit(e);
        std::fputs(cli::bash_completion(app).c_str(), stdout);
        return core::exit_ok;
    } catch (const CLI::ParseError& e) {
        return fail(core::exit_usage, fmt::format("{} (see ghostport --help)", e.what()));
    }
    try {
        for (const auto& [name, run] : commands)
            if (app.got_subcommand(name)) return run();
        return fail(core::exit_usage, "no subcommand given (see ghostport --help)");
    } catch (const core::InputError& e) {
        return fail(core::exit_usage, e.what());
    } catch (const core::RuntimeError& e) {
        return fail(core::exit_runtime, e.what());
    } catch (const std::exception& e) {
        return fail(core::exit_runtime, fmt::format("unexpected failure: {}", e.what()));
    }
}
