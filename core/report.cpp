// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/report.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

namespace ghostport::core {

std::string_view to_string(Proto p) {
    return p == Proto::tcp ? "tcp" : "udp";
}

std::string_view to_string(PortState s) {
    switch (s) {
        case PortState::open:
            return "open";
        case PortState::closed:
            return "closed";
        case PortState::filtered:
            return "filtered";
        case PortState::all_open:
            return "all-open";
        case PortState::open_filtered:
            return "open|filtered";
    }
    return "?";
}

std::string_view to_string(Reason r) {
    switch (r) {
        case Reason::syn_ack:
            return "syn-ack";
        case Reason::rst:
            return "rst";
        case Reason::no_response:
            return "no-response";
        case Reason::unreachable:
            return "unreachable";
        case Reason::udp_response:
            return "udp-response";
        case Reason::port_unreach:
            return "port-unreach";
    }
    return "?";
}

std::string_view to_string(PortRange r) {
    switch (r) {
        case PortRange::well_known:
            return "well-known";
        case PortRange::registered:
            return "registered";
        case PortRange::dynamic:
            return "dynamic";
    }
    return "?";
}

std::string_view to_string(RegistryStatus s) {
    switch (s) {
        case RegistryStatus::assigned:
            return "assigned";
        case RegistryStatus::unassigned:
            return "unassigned";
        case RegistryStatus::reserved:
            return "reserved";
        case RegistryStatus::unknown:
            return "unknown";
        case RegistryStatus::services_file:
            return "etc-services";
    }
    return "?";
}

std::string_view to_string(Change c) {
    switch (c) {
        case Change::none:
            return "";
        case Change::added:
            return "new";
        case Change::gone:
            return "gone";
        case Change::changed:
            return "changed";
        case Change::unchanged:
            return "unchanged";
    }
    return "?";
}

std::string labels_to_string(Labels labels) {
    static constexpr std::pair<Label, std::string_view> names[] = {
        {label_ghost, "ghost"},
        {label_unassigned, "unassigned"},
        {label_reserved, "reserved"},
        {label_privileged, "privileged"},
        {label_dynamic, "dynamic"},
        {label_unauthorized_use_reported, "unauthorized-use-reported"},
        {label_expected, "expected"},
        {label_borrowed, "borrowed"},
        {label_self_signed, "self-signed"},
        {label_cert_expired, "cert-expired"},
        {label_fleet_wide, "fleet-wide"},
        {label_deleted_exe, "deleted-exe"},
    };
    std::string out;
    for (auto [bit, name] : names) {
        if ((labels & bit) == 0) continue;
        if (!out.empty()) out += ';';
        out += name;
    }
    return out;
}

std::string registry_summary(const ReportMeta& meta) {
    if (meta.registry_source.empty()) return "none";
    std::string text = fmt::format("{} (snapshot {})", meta.registry_source,
                                   meta.registry_snapshot.empty() ? "unknown" : meta.registry_snapshot);
    if (!meta.registry_fill.empty())
        text += fmt::format(" + {} for {} port{}", meta.registry_fill, meta.registry_fill_ports,
                            meta.registry_fill_ports == 1 ? "" : "s");
    return text;
}

std::optional<Label> label_named(std::string_view name) {
    for (unsigned bit = 0; bit < 32; ++bit) {
        const auto flag = static_cast<Label>(Labels{1} << bit);
        const std::string flag_name = labels_to_string(flag);
        if (!flag_name.empty() && flag_name == name) return flag;
    }
    return std::nullopt;
}

bool is_fleet_wide(std::uint64_t hosts_open, std::uint64_t hosts_up) {
    return hosts_up >= 3 && hosts_open > 0 && 2 * hosts_open >= hosts_up;
}

void count_hosts_open(std::vector<ReportRow>& rows, std::uint64_t hosts_up) {
    using Key = std::tuple<std::uint16_t, Proto>;
    std::set<std::tuple<std::uint16_t, Proto, Address>> open;
    for (const auto& row : rows)
        if (row.result.state == PortState::open)
            open.emplace(row.result.port, row.result.proto, row.result.host);
    std::map<Key, std::uint32_t> counts;
    for (const auto& [port, proto, host] : open) ++counts[{port, proto}];
    for (auto& row : rows) {
        const auto it = counts.find({row.result.port, row.result.proto});
        const std::uint32_t n =
            it == counts.end() || row.result.state == PortState::all_open ? 0 : it->second;
        row.label.hosts_open = n;
        if (row.result.state == PortState::open && is_fleet_wide(n, hosts_up))
            row.label.labels |= label_fleet_wide;
        else
            row.label.labels &= ~static_cast<Labels>(label_fleet_wide);
    }
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - secs).count();
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", secs, ms);
}

std::vector<std::uint16_t> parse_port_list_text(std::string_view text, std::vector<std::string_view>* bad) {
    std::vector<std::uint16_t> out;
    auto number = [](std::string_view digits, unsigned& value) {
        const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return r.ec == std::errc{} && r.ptr == digits.data() + digits.size();
    };
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        const std::size_t dash = item.find('-');
        unsigned lo = 0, hi = 0;
        bool ok = number(item.substr(0, dash), lo);
        hi = lo;
        if (dash != std::string_view::npos) ok = ok && number(item.substr(dash + 1), hi);
        if (ok && lo <= hi && hi <= 65535)
            for (unsigned p = lo; p <= hi; ++p) out.push_back(static_cast<std::uint16_t>(p));
        else if (bad)
            bad->push_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

std::string port_list_text(std::vector<std::uint16_t> ports) {
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    std::string out;
    for (std::size_t i = 0; i < ports.size();) {
        std::size_t last = i;
        while (last + 1 < ports.size() && ports[last + 1] == ports[last] + 1) ++last;
        if (!out.empty()) out += ',';
        out += std::to_string(ports[i]);
        if (last > i) out += fmt::format("-{}", ports[last]);
        i = last + 1;
    }
    return out;
}

}  // namespace ghostport::core
