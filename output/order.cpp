// SPDX-License-Identifier: GPL-2.0-or-later
// The one report order every format uses: new listeners (against a baseline) first, then ghosts and all-open
// hosts, then rarity
// descending, then host, then port.
#include "output/order.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "output/fields.hpp"

namespace ghostport::output {

namespace {

// The rarity as the sinks print it (one decimal), read back: exactly the order a reader of the report sees.
// Unknown or NaN ranks below everything, even -inf.
double rarity_key(const std::optional<double>& rarity) {
    if (!rarity || std::isnan(*rarity)) return -std::numeric_limits<double>::infinity();
    const std::string printed = detail::format_rarity(*rarity);
    double value = 0.0;
    std::from_chars(printed.data(), printed.data() + printed.size(), value);  // locale-independent
    return value;
}

}  // namespace

void sort_rows(std::vector<core::ReportRow>& rows) {
    struct Key {
        bool added;
        bool ghost;
        bool rarity_nan;
        double rarity;
        std::size_t index;
    };
    std::vector<Key> keys;
    keys.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        keys.push_back({rows[i].change == core::Change::added,
                        rows[i].label.is_ghost() || rows[i].result.state == core::PortState::all_open,
                        !rows[i].label.rarity || std::isnan(*rows[i].label.rarity),
                        rarity_key(rows[i].label.rarity), i});

    std::stable_sort(keys.begin(), keys.end(), [&rows](const Key& a, const Key& b) {
        if (a.added != b.added) return a.added;
        if (a.ghost != b.ghost) return a.ghost;
        if (a.rarity_nan != b.rarity_nan) return b.rarity_nan;
        if (a.rarity != b.rarity) return a.rarity > b.rarity;
        const core::ReportRow& x = rows[a.index];
        const core::ReportRow& y = rows[b.index];
        return std::tie(x.result.host, x.result.port, x.hostname, x.result.proto) <
               std::tie(y.result.host, y.result.port, y.hostname, y.result.proto);
    });

    std::vector<core::ReportRow> sorted;
    sorted.reserve(rows.size());
    for (const Key& k : keys) sorted.push_back(std::move(rows[k.index]));
    rows = std::move(sorted);
}

std::vector<RowGroup> group_rows(const std::vector<core::ReportRow>& sorted) {
    std::vector<const core::ReportRow*> rows;
    rows.reserve(sorted.size());
    for (const core::ReportRow& row : sorted) rows.push_back(&row);
    return group_rows(rows);
}

std::vector<RowGroup> group_rows(const std::vector<const core::ReportRow*>& sorted) {
    using Key =
        std::tuple<std::uint16_t, core::Proto, std::string, std::string, std::string, core::Labels,
                   std::string, core::Change, std::string, std::string, std::string, core::RegistryStatus>;
    std::vector<RowGroup> groups;
    std::map<Key, std::size_t> open_groups;
    for (const core::ReportRow* each : sorted) {
        const core::ReportRow& row = *each;
        if (row.result.state != core::PortState::open) {
            groups.push_back({{&row}});
            continue;
        }
        const core::ServiceLabel& l = row.label;
        Key key{row.result.port,
                row.result.proto,
                l.service,
                l.known_as,
                l.description,
                l.labels,
                detail::format_rarity(l.rarity, "-"),
                row.change,
                row.change_detail,
                row.expect_note,
                detail::detected_text(row.service),
                l.status};
        auto [it, inserted] = open_groups.emplace(std::move(key), groups.size());
        if (inserted)
            groups.push_back({{&row}});
        else
            groups[it->second].rows.push_back(&row);
    }
    return groups;
}

std::string open_on_text(const RowGroup& group, std::uint64_t hosts_up) {
    std::uint64_t n = group.rows.size();
    for (const core::ReportRow* row : group.rows) n = std::max<std::uint64_t>(n, row->label.hosts_open);
    if (hosts_up == 0) return fmt::format("open on {} hosts", detail::group_thousands(n));
    return fmt::format("open on {} of {} hosts", detail::group_thousands(n),
                       detail::group_thousands(hosts_up));
}

}  // namespace ghostport::output
