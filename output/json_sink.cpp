// SPDX-License-Identifier: GPL-2.0-or-later
// The JSON Lines report format: one object per row, then one summary object with the scan's metadata.
#include "output/json_sink.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "output/fields.hpp"
#include "output/order.hpp"
#include "output/utf8.hpp"

namespace ghostport::output {

namespace detail {

std::string json_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (std::size_t pos = 0; pos < text.size();) {
        const Utf8Step step = decode_utf8(text, pos);
        if (!step.valid) {
            out += "\xEF\xBF\xBD";
        } else if (step.code_point == '"' || step.code_point == '\\') {
            out += '\\';
            out += static_cast<char>(step.code_point);
        } else if (step.code_point < 0x20) {
            out += fmt::format("\\u{:04X}", static_cast<unsigned>(step.code_point));
        } else {
            out.append(text.substr(pos, step.length));
        }
        pos += step.length;
    }
    out += '"';
    return out;
}

}  // namespace detail

namespace {

// Builds one JSON object on a single line, keys in the order they are added.
class JsonLine {
  public:
    JsonLine& string(std::string_view key, std::string_view value) {
        return raw(key, detail::json_quote(value));
    }
    JsonLine& number(std::string_view key, std::uint64_t value) { return raw(key, std::to_string(value)); }
    // A printed decimal (from the shared field formats); null when the value is not finite.
    JsonLine& decimal(std::string_view key, double value, std::string printed) {
        return raw(key, std::isfinite(value) ? std::move(printed) : std::string("null"));
    }
    JsonLine& boolean(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
    JsonLine& strings(std::string_view key, const std::vector<std::string_view>& values) {
        std::string array = "[";
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0) array += ',';
            array += detail::json_quote(values[i]);
        }
        array += ']';
        return raw(key, array);
    }
    void write(std::ostream& out) const { out << text_ << "}\n"; }

  private:
    JsonLine& raw(std::string_view key, std::string_view json) {
        text_ += text_.empty() ? '{' : ',';
        text_ += detail::json_quote(key);
        text_ += ':';
        text_ += json;
        return *this;
    }
    std::string text_;
};

std::vector<std::string_view> split_labels(std::string_view joined) {
    std::vector<std::string_view> names;
    while (!joined.empty()) {
        const std::size_t semi = joined.find(';');
        names.push_back(joined.substr(0, semi));
        if (semi == std::string_view::npos) break;
        joined.remove_prefix(semi + 1);
    }
    return names;
}

void write_row(std::ostream& out, const core::ReportRow& row, bool with_change, bool service_scan) {
    const core::PortResult& r = row.result;
    const core::ServiceLabel& l = row.label;
    const std::string labels = core::labels_to_string(l.labels);
    // Keys follow detail::row_field_names.
    JsonLine line;
    line.string("record", "port")
        .string("host", r.host.to_string())
        .string("hostname", row.hostname)
        .number("port", r.port)
        .string("proto", core::to_string(r.proto))
        .string("state", core::to_string(r.state))
        .string("reason", core::to_string(r.reason))
        .string("port_range", core::to_string(core::range_of(r.port)))
        .string("service", l.service)
        .string("description", l.description)
        .string("known_as", l.known_as)
        .string("registry_status", core::to_string(l.status))
        .decimal("prevalence", l.prevalence, detail::format_prevalence(l.prevalence))
        .decimal("rarity", l.rarity.value_or(NAN), detail::format_rarity(l.rarity, "null"))
        .strings("labels", split_labels(labels))
        .decimal("rtt_ms", 0.0, detail::format_rtt_ms(r.rtt_us))
        .string("scanned_at", core::iso8601_utc(r.scanned_at));
    for (std::size_t i = 0; i < detail::service_field_members.size(); ++i)
        line.string(detail::row_field_names[detail::service_fields_begin + i],
                    row.service.*detail::service_field_members[i]);
    line.number("hosts_open", l.hosts_open);
    if (service_scan) line.number("conversations", row.service.conversations);
    if (with_change)
        line.string("change", core::to_string(row.change)).string("change_detail", row.change_detail);
    if (l.labels & core::label_expected) line.string("expect_note", row.expect_note);
    line.write(out);
}

}  // namespace

void write_json(std::ostream& out, const core::Report& report) {
    std::vector<core::ReportRow> rows = report.rows;
    sort_rows(rows);
    std::uint64_t ghosts = 0;
    for (const core::ReportRow& row : rows) {
        write_row(out, row, report.meta.has_baseline(), report.meta.service_scan);
        if (row.label.is_ghost()) ++ghosts;
    }

    const core::ReportMeta& m = report.meta;
    JsonLine summary;
    summary.string("record", "summary")
        .string("command_line", m.command_line)
        .string("started_at", core::iso8601_utc(m.started_at))
        .string("finished_at", core::iso8601_utc(m.finished_at))
        .string("engine", m.engine)
        .number("seed", m.seed)
        .string("shard", m.shard)
        .string("registry_source", m.registry_source)
        .string("registry_snapshot", m.registry_snapshot)
        .string("registry_fill", m.registry_fill)
        .number("registry_fill_ports", m.registry_fill_ports)
        .boolean("registry_stale", m.registry_stale)
        .string("prevalence_source", m.prevalence_source)
        .number("hosts_targeted", m.hosts_targeted)
        .number("hosts_up", m.hosts_up)
        .number("ports_per_host", m.ports_per_host)
        .number("probes_planned", m.probes_planned)
        .number("probes_done", m.probes_done)
        .number("open", m.open)
        .number("closed", m.closed)
        .number("filtered", m.filtered)
        .number("open_filtered", m.open_filtered)
        .number("ghosts", ghosts)
        .boolean("partial", m.partial)
        .boolean("service_scan", m.service_scan)
        .string("ports_scanned", m.ports_scanned)
        .string("udp_ports_scanned", m.udp_ports_scanned);
    std::vector<std::string> hosts_up;
    for (const core::Address& a : m.hosts_up_list) hosts_up.push_back(a.to_string());
    summary.strings("hosts_up_list", std::vector<std::string_view>(hosts_up.begin(), hosts_up.end()));
    if (m.has_baseline()) {
        summary.string("baseline_source", m.baseline_source)
            .string("baseline_started_at", core::iso8601_utc(m.baseline_started_at))
            .number("new", m.added)
            .number("gone", m.gone)
            .number("changed", m.changed)
            .number("unchanged", m.unchanged);
    }
    if (m.has_baseline() || m.expected > 0) summary.number("expected", m.expected);
    summary.write(out);
}

}  // namespace ghostport::output
