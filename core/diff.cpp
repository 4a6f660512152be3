// Compares a report's rows with a baseline report's, listener by listener.
#include "core/diff.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

namespace ghostport::core {

namespace {

using Key = std::tuple<Address, std::uint16_t, Proto>;
Key key_of(const PortResult& r) {
    return {r.host, r.port, r.proto};
}

bool is_listener(PortState s) {
    return s == PortState::open || s == PortState::all_open;
}

std::string_view shown_service(const std::string& service) {
    return service.empty() ? std::string_view("-") : std::string_view(service);
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
            if (row.result.state == PortState::filtered)
                mark(row, Change::changed, "now filtered (open in the baseline)", counts);
            else
                mark(row, Change::gone, fmt::format("now {}", to_string(row.result.state)), counts);
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
