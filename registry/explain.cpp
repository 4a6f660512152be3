// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport lookup PORT[/proto]`: everything known about one port, and the text that explains it.
#include "registry/explain.hpp"

#include <fmt/format.h>

#include <utility>

namespace ghostport::registry {

namespace {

// `text` with every line after the first re-indented to `indent` spaces (its own indentation dropped).
std::string indent_continuation(std::string_view text, std::size_t indent) {
    std::string out;
    bool line_start = false;
    for (char c : text) {
        if (line_start && (c == ' ' || c == '\t')) continue;
        line_start = false;
        out += c;
        if (c == '\n') {
            out.append(indent, ' ');
            line_start = true;
        }
    }
    return out;
}

std::string port_field(const IanaRecord& r) {
    if (!r.has_port) return "-";
    return r.port_lo == r.port_hi ? std::to_string(r.port_lo) : fmt::format("{}-{}", r.port_lo, r.port_hi);
}

std::string_view format_name(RegistryFormat f) {
    return f == RegistryFormat::iana_csv ? "IANA CSV" : "services(5) file";
}

}  // namespace

Explanation explain(const Registry& registry, const Prevalence* prevalence, std::uint16_t port,
                    core::Proto proto) {
    Explanation e;
    e.port = port;
    e.proto = proto;
    e.info = registry.lookup(port, proto);
    e.prevalence = prevalence ? prevalence->lookup(port, proto) : nullptr;
    bool unauthorized = false;
    for (const IanaRecord* r : e.info.records) unauthorized = unauthorized || !r->unauthorized_use.empty();
    e.rarity_if_open =
        assess({.port = port,
                .proto = proto,
                .status = e.info.status,
                .prevalence = prevalence ? std::optional<double>(e.prevalence ? e.prevalence->frequency : 0.0)
                                         : std::nullopt,
                .unauthorized_use = unauthorized,
                .open = true,
                .hosts_open = 0,
                .hosts_up = 0});
    return e;
}

std::string render_explanation(const Explanation& e, const Registry& registry, const Prevalence* prevalence) {
    const std::string pp = fmt::format("{}/{}", e.port, core::to_string(e.proto));
    std::string out;
    auto line = [&](std::string_view s) {
        out += s;
        out += '\n';
    };

    // Status line.
    const IanaRecord* primary = e.info.primary;
    switch (e.info.status) {
        case core::RegistryStatus::assigned:
            line(fmt::format("{} is registered to {}.", pp, primary ? primary->service_name : "?"));
            break;
        case core::RegistryStatus::unassigned:
            line(fmt::format("{} is unassigned in the registry.", pp));
            break;
        case core::RegistryStatus::reserved:
            line(fmt::format("{} is reserved in the registry.", pp));
            break;
        case core::RegistryStatus::unknown:
            line(fmt::format("{} is not listed in the registry.", pp));
            break;
        case core::RegistryStatus::services_file:
            line(fmt::format("{} is not named by the IANA registry; {} names it {}.", pp,
                             registry.fill_source(), primary ? primary->service_name : "?"));
            break;
    }
    if (primary) {
        std::vector<std::string_view> missing;
        if (primary->reference.empty()) missing.push_back("no reference");
        if (primary->assignee.empty()) missing.push_back("no assignee");
        if (registry.format() == RegistryFormat::iana_csv && !primary->filled && !missing.empty())
            line(fmt::format("The registry lists {}{}{} for {}.", missing[0],
                             missing.size() > 1 ? " and " : "", missing.size() > 1 ? missing[1] : "",
                             primary->service_name));
    }
    std::string snapshot = registry.snapshot_date();
    line(fmt::format("Registry: {} ({}{}){}", registry.source(), format_name(registry.format()),
                     snapshot.empty() ? std::string() : ", snapshot " + snapshot,
                     registry.fill_source().empty()
                         ? std::string()
                         : fmt::format(" + {} for {} port{}", registry.fill_source(), registry.filled_ports(),
                                       registry.filled_ports() == 1 ? "" : "s")));

    // Every record.
    if (!e.info.records.empty()) {
        line("");
        line(fmt::format("Records covering {} ({}):", pp, e.info.records.size()));
        for (const IanaRecord* r : e.info.records) {
            line(fmt::format("  {} {}/{}{}  ({}line {})",
                             r->service_name.empty() ? "(no name)" : r->service_name, port_field(*r),
                             r->protocol.empty() ? "all" : r->protocol, r == primary ? " [primary]" : "",
                             r->filled ? registry.fill_source() + " " : std::string(), r->line));
            const std::pair<std::string_view, const std::string*> fields[] = {
                {"description", &r->description},
                {"assignee", &r->assignee},
                {"contact", &r->contact},
                {"registered", &r->registration_date},
                {"modified", &r->modification_date},
                {"reference", &r->reference},
                {"service code", &r->service_code},
                {"unauthorized use", &r->unauthorized_use},
                {"notes", &r->assignment_notes},
            };
            for (const auto& [name, value] : fields)
                if (!value->empty())
                    line(fmt::format("    {:<17} {}", std::string(name) + ":",
                                     indent_continuation(*value, 22)));
        }
    }

    // Prevalence.
    line("");
    if (!prevalence) {
        line("Observed open-frequency: unknown (no prevalence file)");
    } else if (!e.prevalence) {
        line(fmt::format("Observed open-frequency 0: {} is not listed in {}", pp, prevalence->source()));
    } else {
        line(fmt::format("Observed open-frequency {} in {} (listed as {})",
                         detail::describe_frequency(e.prevalence->frequency), prevalence->source(),
                         e.prevalence->name));
    }

    // Rarity and verdict.
    const Rarity& rarity = e.rarity_if_open;
    if (rarity.score)
        line(fmt::format("Rarity if open: {:.1f} / 10", *rarity.score));
    else
        line("Rarity if open: unknown (no prevalence data; install nmap-common or pass --prevalence FILE)");
    const std::string labels = core::labels_to_string(rarity.labels);
    if (!labels.empty()) line(fmt::format("Labels if open: {}", labels));
    line(fmt::format("An open {} {}:", pp,
                     rarity.labels & core::label_ghost ? "is a ghost" : "is not a ghost"));
    for (const auto& reason : rarity.reasons) line(fmt::format("  - {}", reason));
    return out;
}

}  // namespace ghostport::registry
