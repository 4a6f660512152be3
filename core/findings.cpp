// SPDX-License-Identifier: GPL-2.0-or-later
// --fail-on: parsing the conditions and finding the rows that meet them.
#include "core/findings.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "core/errors.hpp"

namespace ghostport::core {

namespace {

bool is_open(const ReportRow& row) {
    return (row.result.state == PortState::open || row.result.state == PortState::all_open) &&
           row.change != Change::gone;
}

std::string shown(std::string_view item) {
    std::string out(item.substr(0, 40));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return out;
}

}  // namespace

FailOn FailOn::parse(std::string_view spec) {
    FailOn f;
    while (true) {
        const std::size_t comma = spec.find(',');
        const std::string_view item = spec.substr(0, comma);
        if (item == "new") {
            f.added = true;
        } else if (item == "gone") {
            f.gone = true;
        } else if (item == "changed") {
            f.changed = true;
        } else if (item == "ghost") {
            f.ghost = true;
        } else if (item == "all-open") {
            f.all_open = true;
        } else if (item == "unexpected") {
            f.unexpected = true;
        } else if (item == "borrowed") {
            f.borrowed = true;
        } else if (item == "unassigned" || item == "deleted-exe") {
            f.any_label |= *label_named(item);
        } else if (item.starts_with("label=")) {
            const auto label = label_named(item.substr(6));
            if (!label)
                throw InputError(fmt::format(
                    "bad --fail-on '{}': no such label (ghost, unassigned, deleted-exe, ...)", shown(item)));
            f.any_label |= *label;
        } else if (item.starts_with("rarity>=")) {
            const std::string_view number = item.substr(8);
            double value = 0;
            auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
            if (number.empty() || ec != std::errc{} || ptr != number.data() + number.size() ||
                !std::isfinite(value) || value < 0 || value > 10)
                throw InputError(
                    fmt::format("bad --fail-on '{}': the rarity is a number from 0 to 10", shown(item)));
            f.min_rarity = value;
        } else {
            throw InputError(fmt::format(
                "bad --fail-on '{}': use new, gone, changed, ghost, all-open, rarity>=N, unexpected, "
                "borrowed, unassigned, deleted-exe or label=NAME (comma-separated)",
                shown(item)));
        }
        if (comma == std::string_view::npos) break;
        spec.remove_prefix(comma + 1);
    }
    return f;
}

std::string FailOn::reasons(const ReportRow& row) const {
    if (row.label.labels & label_expected) return "";
    std::string why;
    auto add = [&](std::string reason) {
        if (!why.empty()) why += ", ";
        why += reason;
    };
    if (added && row.change == Change::added) add("new");
    if (gone && row.change == Change::gone) add("gone");
    if (changed && row.change == Change::changed) add("changed");
    // A host answering on every port hides its listeners: --fail-on new fires on it even when it was
    // all-open in the baseline too.
    const bool whole_host = is_open(row) && row.result.state == PortState::all_open;
    if (whole_host && (all_open || (added && row.change != Change::added))) add("all-open");
    if (is_open(row)) {
        if (ghost && row.label.is_ghost()) add("ghost");
        if (min_rarity && row.label.rarity && *row.label.rarity >= *min_rarity)
            add(fmt::format("rarity {:.1f} >= {}", *row.label.rarity, *min_rarity));
        if (unexpected)
            add(row.expect_note.empty() ? std::string("unexpected")
                                        : fmt::format("unexpected ({})", row.expect_note));
        if (borrowed && (row.label.labels & label_borrowed))
            add(fmt::format("borrowed by {}", row.service.name));
        if (const Labels hit = row.label.labels & any_label) add(labels_to_string(hit));
    }
    return why;
}

std::vector<Finding> findings(const std::vector<ReportRow>& rows, const FailOn& fail_on) {
    std::vector<Finding> out;
    for (const auto& row : rows) {
        auto why = fail_on.reasons(row);
        if (!why.empty()) out.push_back({&row, std::move(why)});
    }
    return out;
}

}  // namespace ghostport::core
