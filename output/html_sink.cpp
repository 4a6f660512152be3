// SPDX-License-Identifier: GPL-2.0-or-later
// The HTML report format: one self-contained page (inline CSS and SVG, nothing fetched) for a security
// review.
#include "output/html_sink.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "output/fields.hpp"
#include "output/order.hpp"
#include "output/utf8.hpp"

namespace ghostport::output {

namespace detail {

namespace {

bool replaced_in_html(char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;                    // C0, DEL, C1
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) return true;  // noncharacters
    // Bidirectional formatting: ALM, LRM, RLM, the embeddings and overrides, the isolates.
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const Utf8Step step = decode_utf8(text, pos);
        if (!step.valid || replaced_in_html(step.code_point)) {
            out += "\xEF\xBF\xBD";
        } else {
            switch (step.code_point) {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;
                case '"':
                    out += "&quot;";
                    break;
                case '\'':
                    out += "&#39;";
                    break;
                default:
                    out.append(text.substr(pos, step.length));
            }
        }
        pos += step.length;
    }
    return out;
}

}  // namespace detail

namespace {

using detail::group_thousands;
using detail::html_escape;

// No '>' anywhere in the style sheet: the page's only '>' characters close tags.
constexpr std::string_view style_sheet = R"css(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #1d2330; background: #f6f7f9;
       margin: 0; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 18px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #d5d9e0; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.sub, .empty, footer { color: #5a6372; }
.empty { font-style: italic; }
.banner { padding: 10px 14px; border-radius: 4px; margin: 12px 0; font-weight: 600; }
.partial { background: #fde2e1; border: 2px solid #c62828; color: #8e1b1b; font-size: 16px; }
.warn { background: #fff4d6; border: 1px solid #e0a800; color: #6b4e00; }
table { border-collapse: collapse; background: #fff; margin: 6px 0 12px; }
th, td { border: 1px solid #d5d9e0; padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { background: #e9ecf1; }
table.meta th { background: #eef0f4; white-space: nowrap; }
#row-table th, #row-table td { padding: 3px 6px; font-size: 13px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.mono, code { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; }
code, .long { overflow-wrap: anywhere; }
td.mono, .nowrap, .why { white-space: nowrap; }
.why { color: #5a6372; }
.scroll { overflow-x: auto; }
tr.ghost td { background: #fdecec; }
tr.ghost td:first-child { box-shadow: inset 4px 0 #c62828; }
tr.expected td { color: #5a6372; }
.tag { display: inline-block; padding: 0 6px; margin: 1px 3px 1px 0; border-radius: 8px; background: #e3e7ee;
       font-size: 12px; white-space: nowrap; }
.tag-ghost { background: #c62828; color: #fff; }
.tag-expected { background: #2e7d32; color: #fff; }
.change { font-weight: 600; }
details summary { cursor: pointer; color: #5a6372; font-size: 12px; }
details dl { margin: 4px 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
details dt { color: #5a6372; white-space: nowrap; }
details dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0; margin: 8px 0; }
.cards li { background: #fff; border: 1px solid #d5d9e0; border-radius: 4px; padding: 6px 14px; min-width: 80px; }
.cards strong { display: block; font-size: 22px; }
svg { display: block; background: #fff; border: 1px solid #d5d9e0; margin: 6px 0 12px; }
svg text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #1d2330; }
svg .axis { stroke: #5a6372; stroke-width: 1; }
svg .grid { stroke: #e3e7ee; stroke-width: 1; }
footer { margin-top: 32px; font-size: 12px; }
)css";

// A time for people; the zero time point stands for "not recorded".
std::string time_text(std::chrono::system_clock::time_point t) {
    if (t.time_since_epoch().count() == 0) return "unknown";
    return core::iso8601_utc(t);
}

std::string_view plural(std::uint64_t n) {
    return n == 1 ? "" : "s";
}

// ---- row tables ----

enum class Column {
    host,
    hostname,
    port,
    state,
    range,
    service,
    detected,
    description,
    prevalence,
    rarity,
    labels,
    rtt,
    change,
    change_detail,
    expect_note,
};

std::string_view title_of(Column c) {
    switch (c) {
        case Column::host:
            return "Host";
        case Column::hostname:
            return "Hostname";
        case Column::port:
            return "Port";
        case Column::state:
            return "State";
        case Column::range:
            return "Range";
        case Column::service:
            return "Service";
        case Column::detected:
            return "Detected";
        case Column::description:
            return "Description";
        case Column::prevalence:
            return "Prevalence";
        case Column::rarity:
            return "Rarity";
        case Column::labels:
            return "Labels";
        case Column::rtt:
            return "RTT ms";
        case Column::change:
            return "Change";
        case Column::change_detail:
            return "What changed";
        case Column::expect_note:
            return "Expect note";
    }
    return "?";
}

std::string labels_cell(core::Labels labels) {
    if (labels == 0) return "<td></td>";
    std::string cell = "<td>";
    const std::string names = core::labels_to_string(labels);
    std::string_view rest = names;
    while (!rest.empty()) {
        const std::size_t semi = rest.find(';');
        const std::string name = html_escape(rest.substr(0, semi));
        cell += fmt::format(R"(<span class="tag tag-{}">{}</span>)", name, name);
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
    }
    return cell + "</td>";
}

// What -sV found: the detected service in words, then a <details> with every other string the service
// sent or its certificate holds (only the non-empty ones; none for a row not identified).
std::string detected_cell(const core::ServiceInfo& s) {
    std::string cell = "<td>" + html_escape(detail::detected_text(s));
    const std::array<std::pair<std::string_view, const std::string*>, 9> parts{{
        {"Extra info", &s.extra_info},
        {"TLS", &s.tls},
        {"Certificate subject", &s.cert_subject},
        {"Subject alternative names", &s.cert_san},
        {"Certificate issuer", &s.cert_issuer},
        {"Not after", &s.cert_not_after},
        {"Fingerprint", &s.fingerprint},
        {"CPE", &s.cpe},
        {"Banner", &s.banner},
    }};
    std::string list;
    for (const auto& [title, value] : parts)
        if (!value->empty())
            list += fmt::format("<dt>{}</dt><dd><code>{}</code></dd>", title, html_escape(*value));
    if (!list.empty()) cell += "<details><summary>details</summary><dl>" + list + "</dl></details>";
    return cell + "</td>";
}

// One <td>, its content escaped.
std::string cell(const core::ReportRow& row, Column c) {
    const core::PortResult& r = row.result;
    const core::ServiceLabel& l = row.label;
    const auto text = [](std::string_view s) { return fmt::format("<td>{}</td>", html_escape(s)); };
    const auto mono = [](std::string_view s) {
        return fmt::format(R"(<td class="mono">{}</td>)", html_escape(s));
    };
    const auto num = [](std::string_view s) {
        return fmt::format(R"(<td class="num">{}</td>)", html_escape(s));
    };
    switch (c) {
        case Column::host:
            return mono(r.host.to_string());
        case Column::hostname:
            return fmt::format(R"(<td class="long">{}</td>)", html_escape(row.hostname));
        case Column::port:
            return mono(fmt::format("{}/{}", r.port, core::to_string(r.proto)));
        case Column::state:
            return fmt::format(R"(<td>{} <span class="why">({})</span></td>)", core::to_string(r.state),
                               core::to_string(r.reason));
        case Column::range:
            return fmt::format(R"(<td class="nowrap">{}</td>)", core::to_string(core::range_of(r.port)));
        case Column::service: {
            std::string service = l.service.empty() ? std::string("-") : l.service;
            if (!l.known_as.empty()) service += fmt::format(" (aka {})", l.known_as);
            return text(service);
        }
        case Column::detected:
            return detected_cell(row.service);
        case Column::description:
            return text(l.description);
        case Column::prevalence:
            return num(detail::format_prevalence(l.prevalence));
        case Column::rarity:
            return num(detail::format_rarity(l.rarity, "-"));
        case Column::labels:
            return labels_cell(l.labels);
        case Column::rtt:
            return num(r.rtt_us == 0 ? std::string("-") : detail::format_rtt_ms(r.rtt_us));
        case Column::change:
            return fmt::format(R"(<td class="change">{}</td>)", html_escape(core::to_string(row.change)));
        case Column::change_detail:
            return text(row.change_detail);
        case Column::expect_note:
            return text(row.expect_note);
    }
    return "<td></td>";
}

std::string_view row_class(const core::ReportRow& row) {
    if (row.label.is_ghost()) return R"( class="ghost")";
    if ((row.label.labels & core::label_expected) != 0) return R"( class="expected")";
    return "";
}

// The host cell of a port open on several hosts: "open on 4 of 5 hosts", expandable to the hosts (with
// their hostnames).
std::string hosts_cell(const RowGroup& group, std::uint64_t hosts_up) {
    std::string list;
    for (const core::ReportRow* row : group.rows) {
        list += "<li><code>" + html_escape(row->result.host.to_string()) + "</code>";
        if (!row->hostname.empty()) list += " (" + html_escape(row->hostname) + ")";
        list += "</li>";
    }
    return fmt::format(R"(<td class="hosts"><details><summary>{}</summary><ul>{}</ul></details></td>)",
                       html_escape(open_on_text(group, hosts_up)), list);
}

void write_row_table(std::ostream& out, std::string_view id, const std::vector<const core::ReportRow*>& rows,
                     const std::vector<Column>& columns, std::uint64_t hosts_up) {
    out << fmt::format("<div class=\"scroll\">\n<table id=\"{}\">\n<thead><tr>", id);
    for (Column c : columns) out << "<th>" << title_of(c) << "</th>";
    out << "</tr></thead>\n<tbody>\n";
    for (const RowGroup& group : group_rows(rows)) {
        const core::ReportRow& row = *group.rows.front();
        out << "<tr" << row_class(row) << ">";
        for (Column c : columns) {
            if (group.several() && c == Column::host)
                out << hosts_cell(group, hosts_up);
            else if (group.several() && (c == Column::hostname || c == Column::rtt))
                out << "<td></td>";
            else
                out << cell(row, c);
        }
        out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n</div>\n";
}

// ---- summary ----

void write_head(std::ostream& out, const core::Report& report, std::uint64_t ghosts) {
    out << "<!DOCTYPE html>\n"
           "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out << fmt::format("<title>ghostport report: {} ghost{}, scan started {}</title>\n",
                       group_thousands(ghosts), plural(ghosts),
                       html_escape(time_text(report.meta.started_at)));
    out << "<style>" << style_sheet << "</style>\n</head>\n<body>\n";
}

void meta_row(std::ostream& out, std::string_view name, std::string_view html) {
    out << "<tr><th>" << name << "</th><td>" << html << "</td></tr>\n";
}

void write_summary(std::ostream& out, const core::Report& report, std::uint64_t ghosts) {
    const core::ReportMeta& m = report.meta;
    out << "<section id=\"summary\">\n<h1>ghostport scan report</h1>\n";
    out << fmt::format("<p class=\"sub\">{} open port{} and {} ghost{} on {} host{} up of {} targeted</p>\n",
                       group_thousands(m.open), plural(m.open), group_thousands(ghosts), plural(ghosts),
                       group_thousands(m.hosts_up), plural(m.hosts_up), group_thousands(m.hosts_targeted));
    if (m.partial)
        out << fmt::format(
            "<div class=\"banner partial\" id=\"partial\">PARTIAL: the scan was interrupted after {} of {} "
            "probes; the results below are incomplete.</div>\n",
            group_thousands(m.probes_done), group_thousands(m.probes_planned));

    out << "<h2>Scan summary</h2>\n<table class=\"meta\">\n";
    meta_row(out, "Command line", fmt::format("<code>{}</code>", html_escape(m.command_line)));
    meta_row(out, "Started", html_escape(time_text(m.started_at)));
    meta_row(out, "Finished", html_escape(time_text(m.finished_at)));
    const std::chrono::duration<double> took =
        std::max(m.finished_at - m.started_at, std::chrono::system_clock::duration::zero());
    meta_row(out, "Duration", fmt::format("{:.2f} s", took.count()));
    std::string engine = m.engine.empty() ? std::string("unknown") : m.engine;
    engine += fmt::format(" (seed {})", m.seed);
    if (!m.shard.empty()) engine += fmt::format(", shard {}", m.shard);
    meta_row(out, "Engine", html_escape(engine));
    meta_row(
        out, "Hosts",
        fmt::format("{} up of {} targeted", group_thousands(m.hosts_up), group_thousands(m.hosts_targeted)));
    meta_row(out, "Ports per host", group_thousands(m.ports_per_host));
    meta_row(out, "Probes",
             fmt::format("{} done of {} planned", group_thousands(m.probes_done),
                         group_thousands(m.probes_planned)));
    meta_row(
        out, "States",
        fmt::format("{} open, {} closed, {} filtered{}", group_thousands(m.open), group_thousands(m.closed),
                    group_thousands(m.filtered),
                    m.open_filtered > 0 ? fmt::format(", {} open|filtered", group_thousands(m.open_filtered))
                                        : std::string()));
    meta_row(
        out, "Ghosts",
        fmt::format("{} (rows shown: {})", group_thousands(ghosts), group_thousands(report.rows.size())));
    if (m.expected > 0) meta_row(out, "Expected", fmt::format("{} (allowlisted by --expect)", m.expected));
    const std::string registry = m.registry_source.empty() ? std::string("none") : m.registry_source;
    const std::string snapshot = m.registry_snapshot.empty() ? std::string("unknown") : m.registry_snapshot;
    const std::string fill =
        m.registry_fill.empty()
            ? std::string()
            : fmt::format(" + <code>{}</code> for {} port{}", html_escape(m.registry_fill),
                          m.registry_fill_ports, m.registry_fill_ports == 1 ? "" : "s");
    meta_row(
        out, "Registry",
        fmt::format("<code>{}</code> (snapshot {}){}", html_escape(registry), html_escape(snapshot), fill));
    meta_row(out, "Prevalence",
             m.prevalence_source.empty()
                 ? std::string("none: rarity unknown; install nmap-common or pass --prevalence FILE")
                 : fmt::format("<code>{}</code>", html_escape(m.prevalence_source)));
    out << "</table>\n";
    if (m.registry_stale)
        out << fmt::format(
            "<div class=\"banner warn\" id=\"stale\">The registry snapshot ({}) is older than a year: "
            "service "
            "names may be out of date. Run <code>ghostport registry update</code>.</div>\n",
            html_escape(snapshot));
    out << "</section>\n";
}

// ---- diff ----

void write_diff(std::ostream& out, const core::Report& report, const std::vector<core::ReportRow>& rows) {
    const core::ReportMeta& m = report.meta;
    out << "<section id=\"diff\">\n<h2>Changes since the baseline</h2>\n";
    out << fmt::format("<p>Baseline: <code>{}</code>, scan started {}</p>\n", html_escape(m.baseline_source),
                       html_escape(time_text(m.baseline_started_at)));
    out << "<ul class=\"cards\">";
    const std::array<std::pair<std::string_view, std::uint64_t>, 5> counts{{{"new", m.added},
                                                                            {"gone", m.gone},
                                                                            {"changed", m.changed},
                                                                            {"unchanged", m.unchanged},
                                                                            {"expected", m.expected}}};
    for (const auto& [name, n] : counts)
        out << fmt::format("<li id=\"count-{}\"><strong>{}</strong>{}</li>", name, group_thousands(n), name);
    out << "</ul>\n";

    const auto is_expected = [](const core::ReportRow& r) {
        return (r.label.labels & core::label_expected) != 0;
    };
    struct Part {
        core::Change change;
        std::string_view id, title, none;
        std::vector<Column> columns;
    };
    const std::vector<Part> parts{
        {core::Change::added,
         "diff-new",
         "New listeners",
         "No new listeners.",
         {Column::host, Column::hostname, Column::port, Column::service, Column::description, Column::rarity,
          Column::labels, Column::change_detail}},
        {core::Change::gone,
         "diff-gone",
         "Gone listeners",
         "No listener has gone.",
         {Column::host, Column::hostname, Column::port, Column::state, Column::service, Column::change_detail,
          Column::labels}},
        {core::Change::changed,
         "diff-changed",
         "Changed listeners",
         "No listener has changed.",
         {Column::host, Column::hostname, Column::port, Column::state, Column::service, Column::change_detail,
          Column::rarity, Column::labels}},
    };
    for (const Part& part : parts) {
        std::vector<const core::ReportRow*> selected;
        for (const core::ReportRow& row : rows)
            if (row.change == part.change && !is_expected(row)) selected.push_back(&row);
        out << fmt::format("<h3>{} ({})</h3>\n", part.title, selected.size());
        if (selected.empty()) {
            out << "<p class=\"empty\">" << part.none << "</p>\n";
        } else {
            write_row_table(out, part.id, selected, part.columns, report.meta.hosts_up);
        }
    }

    std::vector<const core::ReportRow*> expected;
    for (const core::ReportRow& row : rows)
        if (is_expected(row)) expected.push_back(&row);
    out << fmt::format("<h3>Expected listeners ({})</h3>\n", expected.size());
    if (expected.empty()) {
        out << "<p class=\"empty\">No row matched the --expect allowlist.</p>\n";
    } else {
        out << "<p>Allowlisted by --expect, so never findings, whatever their change.</p>\n";
        write_row_table(out, "diff-expected", expected,
                        {Column::host, Column::hostname, Column::port, Column::service, Column::change,
                         Column::change_detail, Column::expect_note},
                        report.meta.hosts_up);
    }
    out << "</section>\n";
}

// ---- charts ----

struct Bar {
    std::string label;  // under the bar
    std::string note;   // a second line under the label, or ""
    std::uint64_t count = 0;
    std::string_view color;
};

// The step between gridlines: 1, 2 or 5 times a power of ten, at most about 4 lines up to max.
std::uint64_t grid_step(std::uint64_t max) {
    std::uint64_t power = 1;
    while (true) {
        for (std::uint64_t m : {1u, 2u, 5u}) {
            if (power * m * 4 >= max) return power * m;
        }
        power *= 10;
    }
}

// A bar chart as inline SVG: no xmlns (the HTML parser puts <svg> in the SVG namespace) and no URL.
void write_bar_chart(std::ostream& out, std::string_view id, std::string_view title, std::string_view x_title,
                     const std::vector<Bar>& bars, int width, double gap) {
    constexpr int height = 280, left = 52, right = 16, top = 24, bottom = 64;
    const int plot_w = width - left - right, plot_h = height - top - bottom;
    std::uint64_t max = 0;
    for (const Bar& b : bars) max = std::max(max, b.count);
    const std::uint64_t step = grid_step(std::max<std::uint64_t>(max, 1));
    const std::uint64_t ceiling = std::max<std::uint64_t>((max + step - 1) / step, 1) * step;
    const auto y_of = [&](std::uint64_t v) {
        return top + plot_h - static_cast<double>(v) / static_cast<double>(ceiling) * plot_h;
    };

    out << fmt::format(
        "<svg id=\"{0}\" width=\"{1}\" height=\"{2}\" viewBox=\"0 0 {1} {2}\" role=\"img\" "
        "aria-labelledby=\"{0}-title\">\n<title id=\"{0}-title\">{3}</title>\n",
        id, width, height, html_escape(title));
    for (std::uint64_t v = 0; v <= ceiling; v += step) {
        const double y = y_of(v);
        out << fmt::format(
            "<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>"
            "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
            left, y, left + plot_w, y, left - 6, y + 4, group_thousands(v));
    }
    const double slot = static_cast<double>(plot_w) / static_cast<double>(bars.size());
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        const double x = left + slot * static_cast<double>(i) + slot * gap / 2;
        const double w = slot * (1 - gap);
        const double y = y_of(b.count);
        const double center = x + w / 2;
        out << fmt::format(
            "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
            "<title>{}{}: {}</title></rect>\n",
            x, y, w, top + plot_h - y, b.color, html_escape(b.label),
            b.note.empty() ? std::string() : " (" + html_escape(b.note) + ")", group_thousands(b.count));
        out << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", center,
                           y - 5, group_thousands(b.count));
        out << fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", center,
                           top + plot_h + 17, html_escape(b.label));
        if (!b.note.empty())
            out << fmt::format(
                "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill-opacity=\"0.7\">{}</text>\n", center,
                top + plot_h + 32, html_escape(b.note));
    }
    out << fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>", left,
                       top + plot_h, left + plot_w);
    out << fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", left, top,
                       top + plot_h);
    if (!x_title.empty())
        out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + plot_w / 2,
                           height - 10, html_escape(x_title));
    if (max == 0)
        out << fmt::format(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill-opacity=\"0.6\">no open ports</text>\n",
            left + plot_w / 2, top + plot_h / 2);
    out << "</svg>\n";
}

bool is_open(const core::ReportRow& row) {
    return row.result.state == core::PortState::open;
}

void write_range_chart(std::ostream& out, const std::vector<core::ReportRow>& rows) {
    std::array<std::uint64_t, 3> counts{};
    for (const core::ReportRow& row : rows)
        if (is_open(row)) ++counts[static_cast<std::size_t>(core::range_of(row.result.port))];
    const std::vector<Bar> bars{
        {"well-known",
         "0\xE2\x80\x93"
         "1023",
         counts[0], "#1565c0"},
        {"registered",
         "1024\xE2\x80\x93"
         "49151",
         counts[1], "#6a1b9a"},
        {"dynamic",
         "49152\xE2\x80\x93"
         "65535",
         counts[2], "#00838f"},
    };
    out << "<section id=\"ranges\">\n<h2>Open ports by range</h2>\n"
           "<p>Open rows in each IANA port range (RFC 6335).</p>\n";
    write_bar_chart(out, "range-chart", "Open ports by IANA range", "", bars, 520, 0.4);
    out << "</section>\n";
}

// The bin of a rarity as printed (one decimal), 0..9 with 10.0 in the last; nullopt when not finite.
std::optional<std::size_t> rarity_bin(const std::optional<double>& rarity) {
    if (!rarity || !std::isfinite(*rarity)) return std::nullopt;
    const std::string printed = detail::format_rarity(*rarity);
    double value = 0.0;
    std::from_chars(printed.data(), printed.data() + printed.size(), value);  // locale-independent
    return static_cast<std::size_t>(std::clamp(std::floor(value), 0.0, 9.0));
}

void write_rarity_chart(std::ostream& out, const std::vector<core::ReportRow>& rows) {
    // From green (open everywhere) to red (never seen).
    static constexpr std::array<std::string_view, 10> colors{"#2e7d32", "#558b2f", "#7cb342", "#c0ca33",
                                                             "#fdd835", "#fbc02d", "#f9a825", "#f57c00",
                                                             "#e64a19", "#c62828"};
    std::array<std::uint64_t, 10> counts{};
    std::uint64_t uncounted = 0;
    for (const core::ReportRow& row : rows) {
        if (!is_open(row)) continue;
        if (const auto bin = rarity_bin(row.label.rarity))
            ++counts[*bin];
        else
            ++uncounted;
    }
    std::vector<Bar> bars;
    for (std::size_t i = 0; i < counts.size(); ++i)
        bars.push_back({fmt::format("{}\xE2\x80\x93{}", i, i + 1), "", counts[i], colors[i]});
    out << "<section id=\"rarity\">\n<h2>Rarity distribution</h2>\n"
           "<p>Open rows by rarity, from 0 (open everywhere) to 10 (never seen); each bin holds its lower "
           "bound, "
           "the last one also 10.</p>\n";
    write_bar_chart(out, "rarity-chart", "Rarity of the open ports", "rarity", bars, 640, 0.12);
    if (uncounted > 0)
        out << fmt::format("<p class=\"empty\">{} open row{} without a finite rarity not counted.</p>\n",
                           uncounted, plural(uncounted));
    out << "</section>\n";
}

}  // namespace

void write_html(std::ostream& out, const core::Report& report) {
    std::vector<core::ReportRow> rows = report.rows;
    sort_rows(rows);
    std::vector<const core::ReportRow*> ghosts, all;
    for (const core::ReportRow& row : rows) {
        all.push_back(&row);
        if (row.label.is_ghost()) ghosts.push_back(&row);
    }

    write_head(out, report, ghosts.size());
    write_summary(out, report, ghosts.size());
    if (report.meta.has_baseline()) write_diff(out, report, rows);

    out << fmt::format("<section id=\"ghosts\">\n<h2>Ghosts ({})</h2>\n", ghosts.size());
    if (ghosts.empty()) {
        out << "<p class=\"empty\">No ghosts: no open port is unassigned, reserved or almost never "
               "seen.</p>\n";
    } else {
        out << "<p>Open ports where nothing ought to listen: unassigned, reserved, or seen open on fewer "
               "than 1 in 100,000 hosts worldwide, however many hosts of this scan share them.</p>\n";
        std::vector<Column> columns{Column::host,        Column::hostname, Column::port,  Column::service,
                                    Column::description, Column::rarity,   Column::labels};
        if (report.meta.service_scan) columns.insert(columns.begin() + 4, Column::detected);
        write_row_table(out, "ghost-table", ghosts, columns, report.meta.hosts_up);
    }
    out << "</section>\n";

    out << fmt::format("<section id=\"rows\">\n<h2>All rows ({})</h2>\n", all.size());
    if (all.empty()) {
        out << "<p class=\"empty\">No ports to show.</p>\n";
    } else {
        std::vector<Column> columns{Column::host,   Column::hostname, Column::port,        Column::state,
                                    Column::range,  Column::service,  Column::description, Column::prevalence,
                                    Column::rarity, Column::labels,   Column::rtt};
        if (report.meta.service_scan) columns.insert(columns.begin() + 6, Column::detected);
        if (report.meta.has_baseline()) columns.push_back(Column::change);
        if (std::any_of(rows.begin(), rows.end(),
                        [](const core::ReportRow& r) { return !r.expect_note.empty(); }))
            columns.push_back(Column::expect_note);
        write_row_table(out, "row-table", all, columns, report.meta.hosts_up);
    }
    out << "</section>\n";

    write_range_chart(out, rows);
    write_rarity_chart(out, rows);
    out << "<footer>Written by ghostport. This page is self-contained: it loads nothing and runs no script."
           "</footer>\n</body>\n</html>\n";
}

}  // namespace ghostport::output
