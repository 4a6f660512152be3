// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport lookup PORT[/tcp|/udp]...`: the registry record, prevalence, rarity and the reasons behind it.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <charconv>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "registry/explain.hpp"
#include "registry/prevalence.hpp"
#include "registry/registry.hpp"
#include "registry/registry_source.hpp"

namespace ghostport::cli {

namespace {

struct LookupOptions {
    std::vector<std::string> ports;
    std::optional<std::string> registry_file, prevalence_file;
};

std::pair<std::uint16_t, core::Proto> parse_port_proto(const std::string& text) {
    auto slash = text.find('/');
    std::string_view number = std::string_view(text).substr(0, slash);
    std::string_view proto = slash == std::string::npos ? "tcp" : std::string_view(text).substr(slash + 1);
    unsigned port = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), port);
    if (number.empty() || ec != std::errc{} || p != number.data() + number.size() || port > 65535)
        throw core::InputError(
            fmt::format("bad port '{}': give PORT or PORT/tcp or PORT/udp, PORT 0-65535", text));
    if (proto != "tcp" && proto != "udp")
        throw core::InputError(fmt::format("bad port '{}': the protocol must be tcp or udp", text));
    return {static_cast<std::uint16_t>(port), proto == "tcp" ? core::Proto::tcp : core::Proto::udp};
}

int run_lookup(const LookupOptions& o) {
    std::vector<std::pair<std::uint16_t, core::Proto>> wanted;
    for (const auto& p : o.ports) wanted.push_back(parse_port_proto(p));
    auto choice = registry::locate_registry(o.registry_file, registry::SearchEnv::from_process());
    auto reg = registry::load_registry(std::move(choice));
    std::optional<registry::Prevalence> prevalence;
    if (auto p = registry::locate_prevalence(o.prevalence_file)) prevalence = registry::Prevalence::load(*p);
    const registry::Prevalence* prev = prevalence ? &*prevalence : nullptr;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (i) std::cout << '\n';
        auto e = registry::explain(reg, prev, wanted[i].first, wanted[i].second);
        std::cout << registry::render_explanation(e, reg, prev);
    }
    std::cout.flush();
    if (!std::cout) throw core::RuntimeError("cannot write to standard output");
    return core::exit_ok;
}

}  // namespace

Runner add_lookup_command(CLI::App& app) {
    auto o = std::make_shared<LookupOptions>();
    auto* cmd =
        app.add_subcommand("lookup", "Explain ports: IANA record, observed prevalence, rarity and why");
    cmd->add_option("ports", o->ports, "PORT, PORT/tcp or PORT/udp (tcp when omitted)")->required();
    cmd->add_option("--registry", o->registry_file,
                    "IANA service-names-port-numbers.csv (or services(5)) to use")
        ->type_name("FILE");
    cmd->add_option("--prevalence", o->prevalence_file, "Open-frequency file in nmap-services format")
        ->type_name("FILE");
    return [cmd, o]() -> int { return cmd->parsed() ? run_lookup(*o) : core::exit_usage; };
}

}  // namespace ghostport::cli
