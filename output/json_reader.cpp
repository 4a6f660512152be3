// SPDX-License-Identifier: GPL-2.0-or-later
// Reads a JSON Lines report (write_json's format) back: rows and the summary's metadata, for baselines,
// `ghostport diff` and `ghostport merge`. nlohmann/json parses; this file alone includes it.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "output/csv_sink.hpp"
#include "output/fields.hpp"
#include "output/json_sink.hpp"

namespace ghostport::output {

namespace {

using core::InputError;
using nlohmann::json;

// A row field as the CSV reader takes it: strings as they are, numbers as printed, null as "nan", the labels
// array joined with ';'. Anything else is an error.
std::string field_text(const json& object, std::string_view key, std::size_t line) {
    const auto it = object.find(key);
    if (it == object.end()) throw InputError(fmt::format("line {}: no \"{}\" in the port record", line, key));
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_unsigned() || it->is_number_integer()) return it->dump();
    if (it->is_number_float()) {
        // The writer prints at most 6 significant digits and rtt_ms with 3 decimals; shortest round trip
        // reproduces that text.
        return it->dump();
    }
    if (it->is_null()) return "nan";
    if (it->is_array() && key == "labels") {
        std::string joined;
        for (const auto& name : *it) {
            if (!name.is_string()) throw InputError(fmt::format("line {}: bad labels (not strings)", line));
            if (!joined.empty()) joined += ';';
            joined += name.get<std::string>();
        }
        return joined;
    }
    throw InputError(fmt::format("line {}: bad {} (wrong JSON type)", line, key));
}

std::string string_of(const json& object, std::string_view key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t number_of(const json& object, std::string_view key, std::size_t line) {
    const auto it = object.find(key);
    if (it == object.end()) return 0;
    if (!it->is_number_unsigned()) throw InputError(fmt::format("line {}: bad {} in the summary", line, key));
    return it->get<std::uint64_t>();
}

std::chrono::system_clock::time_point time_of(const json& object, std::string_view key, std::size_t line) {
    const std::string text = string_of(object, key);
    if (text.empty()) return {};
    const auto t = detail::parse_timestamp_field(text);
    if (!t) throw InputError(fmt::format("line {}: bad {} timestamp in the summary", line, key));
    return *t;
}

// A boolean of the summary; false when absent.
bool bool_of(const json& object, std::string_view key, std::size_t line) {
    const auto it = object.find(key);
    if (it == object.end()) return false;
    if (!it->is_boolean()) throw InputError(fmt::format("line {}: bad {} in the summary", line, key));
    return it->get<bool>();
}

// A port record's "conversations" (0 to 255); 0 when absent.
std::uint8_t conversations_of(const json& object, std::size_t line) {
    const auto it = object.find("conversations");
    if (it == object.end()) return 0;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 255)
        throw InputError(fmt::format("line {}: bad conversations (not a number from 0 to 255)", line));
    return static_cast<std::uint8_t>(it->get<std::uint64_t>());
}

// The summary's hosts_up_list: an array of address strings; empty when absent.
std::vector<core::Address> addresses_of(const json& object, std::string_view key, std::size_t line) {
    std::vector<core::Address> out;
    const auto it = object.find(key);
    if (it == object.end()) return out;
    if (!it->is_array()) throw InputError(fmt::format("line {}: bad {} in the summary", line, key));
    for (const auto& item : *it) {
        const auto address = item.is_string() ? core::Address::parse(item.get<std::string>()) : std::nullopt;
        if (!address) throw InputError(fmt::format("line {}: bad address in {} of the summary", line, key));
        out.push_back(*address);
    }
    return out;
}

void read_summary(const json& s, std::size_t line, core::ReportMeta& m) {
    m.command_line = string_of(s, "command_line");
    m.started_at = time_of(s, "started_at", line);
    m.finished_at = time_of(s, "finished_at", line);
    m.engine = string_of(s, "engine");
    m.seed = number_of(s, "seed", line);
    m.shard = string_of(s, "shard");
    m.registry_source = string_of(s, "registry_source");
    m.registry_snapshot = string_of(s, "registry_snapshot");
    m.registry_fill = string_of(s, "registry_fill");
    m.registry_fill_ports = number_of(s, "registry_fill_ports", line);
    m.prevalence_source = string_of(s, "prevalence_source");
    m.registry_stale = bool_of(s, "registry_stale", line);
    m.partial = bool_of(s, "partial", line);
    m.service_scan = bool_of(s, "service_scan", line);
    m.hosts_up_list = addresses_of(s, "hosts_up_list", line);
    m.ports_scanned = string_of(s, "ports_scanned");
    m.udp_ports_scanned = string_of(s, "udp_ports_scanned");
    m.hosts_targeted = number_of(s, "hosts_targeted", line);
    m.hosts_up = number_of(s, "hosts_up", line);
    m.ports_per_host = number_of(s, "ports_per_host", line);
    m.probes_planned = number_of(s, "probes_planned", line);
    m.probes_done = number_of(s, "probes_done", line);
    m.open = number_of(s, "open", line);
    m.closed = number_of(s, "closed", line);
    m.filtered = number_of(s, "filtered", line);
    m.open_filtered = number_of(s, "open_filtered", line);  // 0 in a report written before UDP
    m.baseline_source = string_of(s, "baseline_source");
    m.baseline_started_at = time_of(s, "baseline_started_at", line);
    m.added = number_of(s, "new", line);
    m.gone = number_of(s, "gone", line);
    m.changed = number_of(s, "changed", line);
    m.unchanged = number_of(s, "unchanged", line);
    m.expected = number_of(s, "expected", line);
}

}  // namespace

core::Report read_json_report(std::string_view text) {
    core::Report report;
    bool summary_seen = false;
    std::vector<std::string> fields;
    std::size_t line = 0;
    while (!text.empty()) {
        ++line;
        const std::size_t nl = text.find('\n');
        std::string_view one = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line == 1 && one.starts_with("\xEF\xBB\xBF")) one.remove_prefix(3);
        if (one.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        json object = json::parse(one, nullptr, /*allow_exceptions=*/false);
        if (object.is_discarded()) throw InputError(fmt::format("line {}: not a JSON object", line));
        if (!object.is_object())
            throw InputError(fmt::format("line {}: a JSON value that is not an object", line));
        const std::string record = string_of(object, "record");
        if (summary_seen) throw InputError(fmt::format("line {}: a record after the summary", line));
        if (record == "port") {
            // The base fields are required; later ones (service identification) are optional: a report
            // written before them, or a row not identified, reads with them empty.
            fields.clear();
            for (std::size_t i = 0; i < detail::row_field_names.size(); ++i) {
                const std::string_view name = detail::row_field_names[i];
                const bool optional = i >= detail::row_field_layouts.front();
                fields.push_back(optional && !object.contains(name) ? std::string()
                                                                    : field_text(object, name, line));
            }
            detail::RowLayout layout{detail::row_field_names.size(), false};
            if (object.contains(detail::change_field_name)) {
                fields.push_back(field_text(object, detail::change_field_name, line));
                layout.change = true;
            }
            core::ReportRow row = detail::parse_row(fields, layout, line);
            row.service.conversations = conversations_of(object, line);
            row.change_detail = string_of(object, "change_detail");
            row.expect_note = string_of(object, "expect_note");
            report.rows.push_back(std::move(row));
        } else if (record == "summary") {
            read_summary(object, line, report.meta);
            summary_seen = true;
        } else {
            throw InputError(fmt::format(
                "line {}: record is not \"port\" or \"summary\" (not a ghostport JSON report)", line));
        }
    }
    if (!summary_seen) throw InputError("no summary record: the JSON report is truncated or not ghostport's");
    return report;
}

}  // namespace ghostport::output
