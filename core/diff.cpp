// SPDX-License-Identifier: GPL-2.0-or-later
// Compares a report's rows with a baseline report's, listener by listener.
#include "core/diff.hpp"

#include <fmt/format.h>

#include <map>
#include <string_view>
#include <tuple>
#include <vector>

namespace ghostport::core {

namespace {

using Key = PortKey;  // (host, port, proto)

std::string_view shown_service(const std::string& service) {
    return service.empty() ? std::string_view("-") : std::string_view(service);
}

// The fingerprints of one kind from ServiceInfo::fingerprint (';'-separated): the TLS certificate's
// ("sha256:<hex>") when `tls`, else the SSH host keys' ("<key type> SHA256:<base64>").
std::vector<std::string_view> fingerprints(std::string_view all, bool tls) {
    std::vector<std::string_view> out;
    while (!all.empty()) {
        const std::size_t semi = all.find(';');
        std::string_view item = all.substr(0, semi);
        all.remove_prefix(semi == std::string_view::npos ? all.size() : semi + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        if (item.empty()) continue;
        if (item.starts_with("sha256:") == tls) out.push_back(item);
    }
    return out;
}

// The key type of an SSH fingerprint ("ssh-ed25519" of "ssh-ed25519 SHA256:...").
std::string_view key_type(std::string_view fingerprint) {
    return fingerprint.substr(0, fingerprint.find(' '));
}

// Whether an SSH host key of a type both sides saw differs (a side that offered only other key types says
// nothing about these).
bool host_key_changed(std::string_view before, std::string_view after) {
    const auto old_keys = fingerprints(before, false), new_keys = fingerprints(after, false);
    for (std::string_view o : old_keys)
        for (std::string_view n : new_keys)
            if (key_type(o) == key_type(n) && o != n) return true;
    return false;
}

bool certificate_changed(std::string_view before, std::string_view after) {
    const auto old_certs = fingerprints(before, true), new_certs = fingerprints(after, true);
    return !old_certs.empty() && !new_certs.empty() && old_certs != new_certs;
}

// What -sV says changed between two identifications of one listener: "service ssh -> http",
// "ssh host key changed", "certificate changed" (both joined by ", "); "" when nothing did, or when either
// side was not identified (no -sV) or is unknown or tcpwrapped.
std::string service_change(const ServiceInfo& before, const ServiceInfo& after) {
    if (!before.named() || !after.named()) return "";
    if (before.name != after.name) return fmt::format("service {} -> {}", before.name, after.name);
    std::string detail;
    if (host_key_changed(before.fingerprint, after.fingerprint)) detail = "ssh host key changed";
    if (certificate_changed(before.fingerprint, after.fingerprint))
        detail += detail.empty() ? "certificate changed" : ", certificate changed";
    return detail;
}

void mark(ReportRow& row, Change change, std::string detail, DiffCounts& counts) {
    row.change = change;
    row.change_detail = std::move(detail);
    switch (change) {
        case Change::added:
            ++counts.added;
            break;
        case Change::gone:
            ++counts.gone;
            break;
        case Change::changed:
            ++counts.changed;
            break;
        case Change::unchanged:
            ++counts.unchanged;
            break;
        case Change::none:
            break;
    }
}

}  // namespace

DiffCounts compare_with_baseline(std::vector<ReportRow>& rows, const std::vector<ReportRow>& baseline,
                                 const ProbedFn& probed) {
    std::map<Key, const ReportRow*> before;
    for (const auto& row : baseline) {
        auto [it, inserted] = before.emplace(key_of(row.result), &row);
        // A merged or hand-edited baseline may repeat a key: a listener row wins over any other.
        if (!inserted && is_listener(row.result.state)) it->second = &row;
    }

    DiffCounts counts;
    std::map<Key, bool> seen;  // keys of `rows`
    for (auto& row : rows) {
        seen[key_of(row.result)] = true;
        const auto it = before.find(key_of(row.result));
        const ReportRow* old = it == before.end() ? nullptr : it->second;
        const bool now = is_listener(row.result.state);
        const bool then = old && is_listener(old->result.state);
        if (now && !then) {
            mark(row, Change::added,
                 old ? fmt::format("was {}", to_string(old->result.state))
                     : std::string("not in the baseline"),
                 counts);
        } else if (now && then) {
            if (old->result.state != row.result.state) {
                mark(row, Change::changed,
                     fmt::format("state {} -> {}", to_string(old->result.state), to_string(row.result.state)),
                     counts);
            } else if (std::string detail = service_change(old->service, row.service); !detail.empty()) {
                mark(row, Change::changed, std::move(detail), counts);
            } else if (old->label.service != row.label.service) {
                mark(row, Change::changed,
                     fmt::format("service {} -> {}", shown_service(old->label.service),
                                 shown_service(row.label.service)),
                     counts);
            } else {
                mark(row, Change::unchanged, "", counts);
            }
        } else if (!now && then) {
            // The row's label is this scan's; the listener's service is the baseline's.
            if (row.label.service.empty()) row.label = old->label;
            if (!row.service.identified()) row.service = old->service;
            if (row.result.state == PortState::filtered || row.result.state == PortState::open_filtered)
                mark(row, Change::changed,
                     fmt::format("now {} (open in the baseline)", to_string(row.result.state)), counts);
            else
                mark(row, Change::gone, fmt::format("now {}", to_string(row.result.state)), counts);
        } else if (old && old->result.state != row.result.state &&
                   (old->result.state == PortState::open_filtered ||
                    row.result.state == PortState::open_filtered)) {
            // Neither is a listener: reported, never new (closed -> open|filtered may be a firewall).
            mark(row, Change::changed,
                 fmt::format("state {} -> {}", to_string(old->result.state), to_string(row.result.state)),
                 counts);
        }
    }

    for (const auto& [key, old] : before) {
        if (!is_listener(old->result.state) || seen.contains(key) || !probed(old->result)) continue;
        ReportRow row = *old;
        row.change_detail.clear();
        row.expect_note.clear();
        row.label.labels &= ~label_expected;
        mark(row, Change::gone, "not open now", counts);
        rows.push_back(std::move(row));
    }
    return counts;
}

}  // namespace ghostport::core
