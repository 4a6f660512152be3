// SPDX-License-Identifier: GPL-2.0-or-later
// Turns scan results into report rows: registry name and status, prevalence, hosts open, rarity.
#include "registry/labeler.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <unordered_map>

#include "registry/rarity.hpp"
#include "registry/service_judge.hpp"

namespace ghostport::registry {

namespace {

std::uint32_t key_of(std::uint16_t port, core::Proto proto) {
    return (static_cast<std::uint32_t>(proto) << 16) | port;
}

std::uint32_t saturate(std::uint64_t v) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, std::numeric_limits<std::uint32_t>::max()));
}

}  // namespace

Labeler::Labeler(const Registry& registry, const Prevalence* prevalence)
    : registry_(registry), prevalence_(prevalence) {}

core::ServiceLabel Labeler::label_port(std::uint16_t port, core::Proto proto, bool open,
                                       std::uint32_t hosts_open, std::uint32_t hosts_up) const {
    core::ServiceLabel label;
    const Registry::PortInfo info = registry_.lookup(port, proto);
    label.status = info.status;
    if (info.primary) {
        label.service = info.primary->service_name;
        label.description = info.primary->description;
    } else if (!info.records.empty()) {
        label.description = info.records.front()->description;
    }
    bool unauthorized = false;
    for (const IanaRecord* r : info.records) unauthorized = unauthorized || !r->unauthorized_use.empty();

    const Prevalence::Entry* entry = prevalence_ ? prevalence_->lookup(port, proto) : nullptr;
    if (entry) {
        label.prevalence = entry->frequency;
        const bool registry_name =
            std::any_of(info.records.begin(), info.records.end(),
                        [&](const IanaRecord* r) { return r->service_name == entry->name; });
        if (!registry_name && entry->name != "unknown" && !entry->name.empty()) label.known_as = entry->name;
    }
    label.hosts_open = hosts_open;

    const Rarity rarity =
        assess({.port = port,
                .proto = proto,
                .status = info.status,
                .prevalence = prevalence_ ? std::optional<double>(label.prevalence) : std::nullopt,
                .unauthorized_use = unauthorized,
                .open = open,
                .hosts_open = hosts_open,
                .hosts_up = hosts_up});
    label.rarity = rarity.score;
    label.labels = rarity.labels;
    return label;
}

std::vector<core::ReportRow> Labeler::label(const std::vector<core::PortResult>& results,
                                            std::uint64_t hosts_up) const {
    // Distinct (port, proto, host) triples that are open, then a count per (port, proto).
    std::vector<std::tuple<std::uint32_t, core::Address>> open;
    for (const auto& r : results)
        if (r.state == core::PortState::open) open.emplace_back(key_of(r.port, r.proto), r.host);
    std::sort(open.begin(), open.end());
    open.erase(std::unique(open.begin(), open.end()), open.end());
    std::unordered_map<std::uint32_t, std::uint32_t> open_hosts;
    for (const auto& [key, host] : open) ++open_hosts[key];

    const std::uint32_t up = saturate(hosts_up);
    // A label depends only on (port, proto, open), so each is computed once per scan.
    std::unordered_map<std::uint32_t, core::ServiceLabel> cache;
    std::vector<core::ReportRow> rows;
    rows.reserve(results.size());
    for (const auto& r : results) {
        const bool is_open = r.state == core::PortState::open;
        const std::uint32_t key = key_of(r.port, r.proto) | (is_open ? 1u << 24 : 0u);
        auto it = cache.find(key);
        if (it == cache.end()) {
            const auto count = open_hosts.find(key_of(r.port, r.proto));
            const std::uint32_t local = count == open_hosts.end() ? 0 : count->second;
            it = cache.emplace(key, label_port(r.port, r.proto, is_open, local, up)).first;
        }
        core::ReportRow& row = rows.emplace_back();
        row.result = r;
        row.label = it->second;
    }
    return rows;
}

std::vector<std::string_view> Labeler::registered_names(std::uint16_t port, core::Proto proto) const {
    std::vector<std::string_view> names;
    for (const IanaRecord* r : registry_.lookup(port, proto).records) {
        if (record_status(*r) != core::RegistryStatus::assigned) continue;
        if (std::find(names.begin(), names.end(), r->service_name) == names.end())
            names.push_back(r->service_name);
    }
    return names;
}

void Labeler::judge_services(std::vector<core::ReportRow>& rows,
                             std::chrono::system_clock::time_point now) const {
    std::unordered_map<std::uint32_t, std::vector<std::string_view>> cache;  // names per (port, proto)
    for (auto& row : rows) {
        if (!row.service.identified()) {
            judge_service(row, {}, now);  // clears the three labels
            continue;
        }
        const std::uint32_t key = key_of(row.result.port, row.result.proto);
        auto it = cache.find(key);
        if (it == cache.end())
            it = cache.emplace(key, registered_names(row.result.port, row.result.proto)).first;
        judge_service(row, it->second, now);
    }
}

}  // namespace ghostport::registry
