// SPDX-License-Identifier: GPL-2.0-or-later
// The listener report's formats: table, CSV, JSON Lines and HTML.
#include "output/listener_sinks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/listener_against.hpp"
#include "output/fields.hpp"
#include "output/html_sink.hpp"
#include "output/json_sink.hpp"
#include "output/utf8.hpp"

namespace ghostport::output {

namespace detail {

std::string listener_rarity_text(std::optional<double> rarity) {
    return format_rarity(rarity, "");
}

std::string owner_column(const core::Listener& l, std::string_view field) {
    std::string out;
    for (std::size_t i = 0; i < l.owners.size(); ++i) {
        const core::ListenerOwner& o = l.owners[i];
        if (i > 0) out += ';';
        if (field == "pid") out += std::to_string(o.pid);
        if (field == "process") out += core::escape_name(o.process);
        if (field == "user") out += core::escape_name(o.user);
        if (field == "exe") out += core::escape_name(o.exe) + (o.exe_deleted ? " (deleted)" : "");
        if (field == "unit") out += core::escape_name(o.unit);
        if (field == "container") out += core::escape_name(o.container);
    }
    return out;
}

}  // namespace detail

namespace {

std::vector<core::ListenerRow> sorted(const core::ListenerReport& report) {
    std::vector<core::ListenerRow> rows = report.rows;
    std::stable_sort(rows.begin(), rows.end(), core::listener_row_less);
    return rows;
}

// The row's fields in listener_field_names order, raw text (escaped names; the format escapes on top).
std::vector<std::string> row_fields(const core::ListenerRow& row) {
    const core::Listener& l = row.listener;
    using detail::owner_column;
    return {std::string(core::to_string(l.proto)),
            l.address.to_string(),
            std::to_string(l.port),
            owner_column(l, "pid"),
            owner_column(l, "process"),
            owner_column(l, "user"),
            owner_column(l, "exe"),
            owner_column(l, "unit"),
            owner_column(l, "container"),
            std::string(core::namespace_text(l.netns)),
            std::string(core::to_string(core::exposure_of(l))) == "address"
                ? l.address.to_string()
                : std::string(core::to_string(core::exposure_of(l))),
            row.label.service,
            std::string(core::to_string(core::range_of(l.port))),
            detail::listener_rarity_text(row.label.rarity),
            core::labels_to_string(row.label.labels)};
}

bool any_column(const std::vector<core::ListenerRow>& rows, std::string_view field) {
    return std::any_of(rows.begin(), rows.end(), [&](const core::ListenerRow& r) {
        return std::any_of(r.listener.owners.begin(), r.listener.owners.end(),
                           [&](const core::ListenerOwner& o) {
                               return field == "unit" ? !o.unit.empty() : !o.container.empty();
                           });
    });
}

std::string summary_counts(const std::vector<core::ListenerRow>& rows) {
    std::size_t tcp = 0, udp = 0, loopback = 0, all = 0, ghosts = 0, listeners = 0;
    for (const auto& r : rows) {
        if (r.change == core::Change::gone) continue;
        ++listeners;
        (r.listener.proto == core::Proto::tcp ? tcp : udp)++;
        const auto e = core::exposure_of(r.listener);
        loopback += e == core::Exposure::loopback;
        all += e == core::Exposure::all;
        ghosts += r.label.is_ghost();
    }
    auto s = [](std::size_t n) { return n == 1 ? "" : "s"; };
    return fmt::format("{} listener{}: {} tcp, {} udp; {} loopback only, {} on all addresses, {} ghost{}",
                       listeners, s(listeners), tcp, udp, loopback, all, ghosts, s(ghosts));
}

std::string namespaces_line(const core::ListenerMeta& m) {
    std::string out;
    for (const auto& ns : m.namespaces) {
        if (!out.empty()) out += ", ";
        out += core::escape_name(core::namespace_text(ns));
    }
    return out.empty() ? std::string("host") : out;
}

// The summary's lines, raw (the caller escapes for its format).
std::vector<std::string> summary_lines(const core::ListenerReport& report,
                                       const std::vector<core::ListenerRow>& rows) {
    const core::ListenerMeta& m = report.meta;
    std::vector<std::string> lines;
    lines.push_back(summary_counts(rows));
    lines.push_back(fmt::format("namespaces: {}", namespaces_line(m)));
    for (const auto& u : m.unseen) lines.push_back(fmt::format("not seen: {}", u));
    lines.push_back(fmt::format(
        "registry: {} (snapshot {}){}", m.registry_source.empty() ? "none" : m.registry_source,
        m.registry_snapshot.empty() ? "unknown" : m.registry_snapshot,
        m.registry_fill.empty() ? std::string()
                                : fmt::format(" + {} for {} port{}", m.registry_fill, m.registry_fill_ports,
                                              m.registry_fill_ports == 1 ? "" : "s")));
    if (m.registry_stale)
        lines.push_back("registry snapshot is older than a year: run `ghostport registry update`");
    lines.push_back(m.prevalence_source.empty() ? std::string("prevalence: none (rarity unknown)")
                                                : fmt::format("prevalence: {}", m.prevalence_source));
    if (m.has_baseline())
        lines.push_back(fmt::format("baseline: {}: {} new, {} gone, {} changed, {} unchanged",
                                    m.baseline_source, m.added, m.gone, m.changed, m.unchanged));
    if (m.expected > 0) lines.push_back(fmt::format("expected (--expect): {}", m.expected));
    return lines;
}

std::vector<std::string> against_lines(const core::ListenerReport& report,
                                       const std::vector<core::ListenerRow>& rows) {
    std::vector<std::string> lines;
    if (!report.meta.has_against()) return lines;
    lines.push_back(fmt::format("from outside (--against {}):", report.meta.against_source));
    for (const auto& r : rows)
        if (auto s = core::outside_sentence(r); !s.empty()) lines.push_back("  " + s);
    for (const auto& f : report.forwarded) lines.push_back("  " + core::forwarded_sentence(f));
    if (lines.size() == 1) lines.push_back("  the scan probed none of these listeners' ports");
    return lines;
}

}  // namespace

void write_listener_table(std::ostream& out, const core::ListenerReport& report, bool color) {
    const auto rows = sorted(report);
    const core::ListenerMeta& m = report.meta;
    const bool show_unit = any_column(rows, "unit"), show_container = any_column(rows, "container");
    const bool show_ns = m.all_namespaces || std::any_of(rows.begin(), rows.end(),
                                                         [](auto& r) { return !r.listener.netns.empty(); });
    // Which of row_fields' columns the table shows, and its extra ones.
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < listener_field_names.size(); ++i) {
        const auto name = listener_field_names[i];
        if ((name == "unit" && !show_unit) || (name == "container" && !show_container) ||
            (name == "namespace" && !show_ns))
            continue;
        shown.push_back(i);
    }
    std::vector<std::vector<std::string>> lines;
    std::vector<std::string> header{""};
    for (std::size_t i : shown) {
        std::string t(listener_field_names[i]);
        std::transform(t.begin(), t.end(), t.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        header.push_back(t);
    }
    if (m.has_baseline()) header.push_back("CHANGE");
    if (m.has_against()) header.push_back("OUTSIDE");
    lines.push_back(header);
    std::vector<bool> ghost{false};
    for (const auto& r : rows) {
        const auto fields = row_fields(r);
        std::vector<std::string> cells{r.label.is_ghost() ? "!" : ""};
        for (std::size_t i : shown)
            cells.push_back(fields[i].empty() ? "-" : detail::terminal_safe(fields[i]));
        if (m.has_baseline()) {
            const std::string change(core::to_string(r.change));
            cells.push_back(change.empty() ? "-"
                            : r.change_detail.empty() || r.change == core::Change::added ||
                                    r.change == core::Change::gone
                                ? change
                                : detail::terminal_safe(fmt::format("{} ({})", change, r.change_detail)));
        }
        if (m.has_against()) {
            const std::string o(core::to_string(r.outside));
            cells.push_back(o.empty() ? "-" : o);
        }
        lines.push_back(std::move(cells));
        ghost.push_back(r.label.is_ghost());
    }
    if (rows.empty()) {
        out << "nothing is listening\n";
    } else {
        std::vector<std::size_t> widths(header.size(), 0);
        for (const auto& line : lines)
            for (std::size_t i = 0; i < line.size(); ++i)
                widths[i] = std::max(widths[i], detail::display_width(line[i]));
        for (std::size_t n = 0; n < lines.size(); ++n) {
            std::string text;
            for (std::size_t i = 0; i < lines[n].size(); ++i) {
                if (i > 0) text += i == 1 ? " " : "  ";
                text += lines[n][i];
                if (i + 1 < lines[n].size()) text.append(widths[i] - detail::display_width(lines[n][i]), ' ');
            }
            while (!text.empty() && text.back() == ' ') text.pop_back();
            const bool bold = n == 0, red = ghost[n];
            if (color && (bold || red)) {
                out << (bold ? "\x1b[1m" : "\x1b[1;31m") << text << "\x1b[0m\n";
            } else {
                out << text << '\n';
            }
        }
    }
    out << '\n';
    for (const auto& line : summary_lines(report, rows)) out << detail::terminal_safe(line) << '\n';
    for (const auto& line : against_lines(report, rows)) out << detail::terminal_safe(line) << '\n';
}

void write_listener_csv(std::ostream& out, const core::ListenerReport& report) {
    const core::ListenerMeta& m = report.meta;
    std::string header;
    for (auto name : listener_field_names)
        header += std::string(header.empty() ? "" : ",") + std::string(name);
    if (m.has_baseline()) header += ",change,change_detail";
    if (m.has_against()) header += ",outside";
    out << header << '\n';
    for (const auto& r : sorted(report)) {
        std::string line;
        for (const auto& f : row_fields(r)) line += (line.empty() ? "" : ",") + core::csv_field(f);
        if (m.has_baseline())
            line += "," + core::csv_field(core::to_string(r.change)) + "," + core::csv_field(r.change_detail);
        if (m.has_against()) line += "," + std::string(core::to_string(r.outside));
        out << line << '\n';
    }
}

void write_listener_json(std::ostream& out, const core::ListenerReport& report) {
    using detail::json_quote;
    const core::ListenerMeta& m = report.meta;
    for (const auto& r : sorted(report)) {
        const auto fields = row_fields(r);
        std::string line = "{\"record\":\"listener\"";
        for (std::size_t i = 0; i < listener_field_names.size(); ++i) {
            const auto name = listener_field_names[i];
            if (name == "pid" || name == "process" || name == "user" || name == "exe" || name == "unit" ||
                name == "container")
                continue;
            line += fmt::format(",\"{}\":", name);
            if (name == "port") {
                line += fields[i];
            } else if (name == "rarity") {
                const std::optional<double> rarity = r.label.rarity;
                line +=
                    rarity && std::isfinite(*rarity) ? detail::format_rarity(*rarity) : std::string("null");
            } else if (name == "labels") {
                std::string list;
                std::string_view rest = fields[i];
                while (!rest.empty()) {
                    const auto semi = rest.find(';');
                    list += (list.empty() ? "" : ",") + json_quote(rest.substr(0, semi));
                    if (semi == std::string_view::npos) break;
                    rest.remove_prefix(semi + 1);
                }
                line += "[" + list + "]";
            } else {
                line += json_quote(fields[i]);
            }
        }
        line += fmt::format(",\"dual_stack\":{},\"owners\":[", r.listener.dual_stack ? "true" : "false");
        for (std::size_t i = 0; i < r.listener.owners.size(); ++i) {
            const auto& o = r.listener.owners[i];
            line += fmt::format(
                "{}{{\"pid\":{},\"process\":{},\"user\":{},\"exe\":{},\"exe_deleted\":{},\"unit\":{},"
                "\"container\":{}}}",
                i ? "," : "", o.pid, json_quote(core::escape_name(o.process)),
                json_quote(core::escape_name(o.user)), json_quote(core::escape_name(o.exe)),
                o.exe_deleted ? "true" : "false", json_quote(core::escape_name(o.unit)),
                json_quote(core::escape_name(o.container)));
        }
        line += "]";
        if (m.has_baseline())
            line += fmt::format(",\"change\":{},\"change_detail\":{}", json_quote(core::to_string(r.change)),
                                json_quote(r.change_detail));
        if (!r.expect_note.empty()) line += fmt::format(",\"expect_note\":{}", json_quote(r.expect_note));
        if (m.has_against()) line += fmt::format(",\"outside\":{}", json_quote(core::to_string(r.outside)));
        out << line << "}\n";
    }
    for (const auto& f : report.forwarded)
        out << fmt::format(
            "{{\"record\":\"forwarded\",\"host\":{},\"port\":{},\"proto\":{},\"elsewhere\":{}}}\n",
            json_quote(f.host.to_string()), f.port, json_quote(core::to_string(f.proto)),
            json_quote(f.elsewhere));
    auto strings = [&](const std::vector<std::string>& items) {
        std::string list;
        for (const auto& s : items) list += (list.empty() ? "" : ",") + json_quote(s);
        return "[" + list + "]";
    };
    const auto listeners = std::count_if(report.rows.begin(), report.rows.end(),
                                         [](auto& r) { return r.change != core::Change::gone; });
    std::string s = fmt::format(
        "{{\"record\":\"listener_summary\",\"command_line\":{},\"started_at\":{},\"hostname\":{},"
        "\"registry_source\":{},\"registry_snapshot\":{},\"registry_stale\":{},\"prevalence_source\":{},"
        "\"all_namespaces\":{},\"namespaces\":{},\"unseen\":{},\"listeners\":{}",
        json_quote(m.command_line), json_quote(core::iso8601_utc(m.started_at)), json_quote(m.hostname),
        json_quote(m.registry_source), json_quote(m.registry_snapshot), m.registry_stale ? "true" : "false",
        json_quote(m.prevalence_source), m.all_namespaces ? "true" : "false", strings(m.namespaces),
        strings(m.unseen), listeners);
    if (m.has_baseline())
        s += fmt::format(
            ",\"baseline_source\":{},\"baseline_started_at\":{},\"new\":{},\"gone\":{},\"changed\":{},"
            "\"unchanged\":{}",
            json_quote(m.baseline_source), json_quote(core::iso8601_utc(m.baseline_started_at)), m.added,
            m.gone, m.changed, m.unchanged);
    s += fmt::format(",\"expected\":{}", m.expected);
    if (m.has_against()) s += fmt::format(",\"against_source\":{}", json_quote(m.against_source));
    out << s << "}\n";
}

void write_listener_html(std::ostream& out, const core::ListenerReport& report) {
    using detail::html_escape;
    const auto rows = sorted(report);
    const core::ListenerMeta& m = report.meta;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
        << "<title>ghostport listeners: " << html_escape(m.hostname) << "</title>\n"
        << "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}tr.ghost{background:#fdd}"
           "td.num{text-align:right}</style>\n</head>\n<body>\n";
    out << "<section id=\"summary\">\n<h1>What is listening on " << html_escape(m.hostname)
        << "</h1>\n<ul>\n";
    out << "<li>" << html_escape(fmt::format("command: {}", m.command_line)) << "</li>\n";
    out << "<li>" << html_escape(fmt::format("read at {}", core::iso8601_utc(m.started_at))) << "</li>\n";
    for (const auto& line : summary_lines(report, rows)) out << "<li>" << html_escape(line) << "</li>\n";
    out << "</ul>\n</section>\n";
    if (m.has_against()) {
        const auto lines = against_lines(report, rows);
        out << "<section id=\"against\">\n<h2>" << html_escape(lines.front()) << "</h2>\n<ul>\n";
        for (std::size_t i = 1; i < lines.size(); ++i)
            out << "<li>" << html_escape(lines[i].substr(2)) << "</li>\n";
        out << "</ul>\n</section>\n";
    }
    out << "<section id=\"rows\">\n<table id=\"listener-table\">\n<tr>";
    for (auto name : listener_field_names) out << "<th>" << html_escape(name) << "</th>";
    if (m.has_baseline()) out << "<th>change</th>";
    if (m.has_against()) out << "<th>outside</th>";
    out << "</tr>\n";
    for (const auto& r : rows) {
        out << (r.label.is_ghost() ? "<tr class=\"ghost\">" : "<tr>");
        for (const auto& f : row_fields(r)) out << "<td>" << html_escape(f) << "</td>";
        if (m.has_baseline())
            out << "<td>"
                << html_escape(r.change_detail.empty()
                                   ? std::string(core::to_string(r.change))
                                   : fmt::format("{} ({})", core::to_string(r.change), r.change_detail))
                << "</td>";
        if (m.has_against()) out << "<td>" << html_escape(core::to_string(r.outside)) << "</td>";
        out << "</tr>\n";
    }
    out << "</table>\n</section>\n</body>\n</html>\n";
}

void write_listener_report(std::ostream& out, const core::ListenerReport& report, Format format, bool color) {
    switch (format) {
        case Format::table:
            write_listener_table(out, report, color);
            return;
        case Format::csv:
            write_listener_csv(out, report);
            return;
        case Format::json:
            write_listener_json(out, report);
            return;
        case Format::html:
            write_listener_html(out, report);
            return;
        case Format::xml:
            break;
    }
    throw core::InputError("a listener report has no XML form: use table, csv, json or html");
}

}  // namespace ghostport::output
