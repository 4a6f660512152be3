// SPDX-License-Identifier: GPL-2.0-or-later
// The table format for people at a terminal: aligned columns, ghost rows marked, then a summary.
#include "output/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "output/fields.hpp"
#include "output/order.hpp"
#include "output/utf8.hpp"

namespace ghostport::output {

namespace {

constexpr std::string_view ansi_bold = "\x1b[1m";
constexpr std::string_view ansi_ghost = "\x1b[1;31m";  // bold red
constexpr std::string_view ansi_warning = "\x1b[33m";  // yellow
constexpr std::string_view ansi_reset = "\x1b[0m";

enum class Align { left, right };

struct Column {
    std::string_view title;
    Align align;
};

// One table line: the ghost marker then the cells, already terminal-safe.
struct Line {
    bool ghost = false;
    std::vector<std::string> cells;
};

std::vector<std::string> row_cells(const core::ReportRow& row, bool show_state, bool show_change,
                                   bool show_detected) {
    const core::PortResult& r = row.result;
    const core::ServiceLabel& l = row.label;
    std::string host = r.host.to_string();
    if (!row.hostname.empty()) host += fmt::format(" ({})", row.hostname);
    std::string service = l.service.empty() ? std::string("-") : l.service;
    if (!l.known_as.empty()) service += fmt::format(" (aka {})", l.known_as);
    // A whole host: what it answered and how many of its ports would be ghosts.
    if (r.state == core::PortState::all_open && !l.description.empty()) service = l.description;
    std::string labels = l.labels ? core::labels_to_string(l.labels) : std::string(1, '-');
    if (!row.expect_note.empty()) labels += fmt::format(" ({})", row.expect_note);

    std::vector<std::string> cells;
    if (show_change) {
        std::string change(core::to_string(row.change));
        if (!row.change_detail.empty() && row.change != core::Change::unchanged)
            change += fmt::format(" ({})", row.change_detail);
        cells.push_back(detail::terminal_safe(change));
    }
    cells.push_back(detail::terminal_safe(host));
    cells.push_back(r.state == core::PortState::all_open
                        ? std::string("all")
                        : fmt::format("{}/{}", r.port, core::to_string(r.proto)));
    if (show_state)
        cells.push_back(fmt::format("{}/{}", core::to_string(r.state), core::to_string(r.reason)));
    cells.emplace_back(core::to_string(core::range_of(r.port)));
    cells.push_back(detail::terminal_safe(service));
    if (show_detected) cells.push_back(detail::terminal_safe(detail::detected_text(row.service)));
    cells.push_back(detail::format_rarity(l.rarity, "-"));
    cells.push_back(detail::terminal_safe(labels));
    return cells;
}

// Pads the cells to the column widths, two spaces apart, with no trailing spaces.
std::string render(const Line& line, const std::vector<Column>& columns,
                   const std::vector<std::size_t>& widths) {
    std::string text = line.ghost ? "! " : "  ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::string& cell = line.cells[i];
        const std::size_t pad = widths[i] - detail::display_width(cell);
        if (i > 0) text += "  ";
        if (columns[i].align == Align::right) text.append(pad, ' ');
        text += cell;
        if (columns[i].align == Align::left) text.append(pad, ' ');
    }
    text.erase(text.find_last_not_of(' ') + 1);
    return text;
}

void write_colored(std::ostream& out, const std::string& text, std::string_view color, bool enabled) {
    if (enabled) {
        out << color << text << ansi_reset << '\n';
    } else {
        out << text << '\n';
    }
}

void write_rows(std::ostream& out, const std::vector<core::ReportRow>& rows, const TableOptions& opt,
                bool show_change, bool show_detected, std::uint64_t hosts_up) {
    std::vector<Column> columns{{"HOST", Align::left},  {"PORT", Align::left},    {"STATE", Align::left},
                                {"RANGE", Align::left}, {"SERVICE", Align::left}, {"RARITY", Align::right},
                                {"LABELS", Align::left}};
    if (show_detected) columns.insert(columns.begin() + 5, Column{"DETECTED", Align::left});
    if (!opt.show_state) columns.erase(columns.begin() + 2);
    if (show_change) columns.insert(columns.begin(), Column{"CHANGE", Align::left});

    Line header;
    for (const Column& c : columns) header.cells.emplace_back(c.title);
    std::vector<Line> lines;
    lines.reserve(rows.size());
    const std::size_t host_column = show_change ? 1 : 0;
    for (const RowGroup& group : group_rows(rows)) {
        const core::ReportRow& first = *group.rows.front();
        Line line{first.label.is_ghost(), row_cells(first, opt.show_state, show_change, show_detected)};
        if (!group.several()) {
            lines.push_back(std::move(line));
            continue;
        }
        // One line for the port, then its hosts below it.
        line.cells[host_column] = open_on_text(group, hosts_up);
        lines.push_back(std::move(line));
        for (const core::ReportRow* row : group.rows) {
            Line host{false, std::vector<std::string>(columns.size())};
            std::string text = "  " + row->result.host.to_string();
            if (!row->hostname.empty()) text += fmt::format(" ({})", row->hostname);
            host.cells[host_column] = detail::terminal_safe(text);
            lines.push_back(std::move(host));
        }
    }

    std::vector<std::size_t> widths;
    for (const std::string& title : header.cells) widths.push_back(detail::display_width(title));
    for (const Line& line : lines) {
        for (std::size_t i = 0; i < columns.size(); ++i)
            widths[i] = std::max(widths[i], detail::display_width(line.cells[i]));
    }

    write_colored(out, render(header, columns, widths), ansi_bold, opt.color);
    for (const Line& line : lines)
        write_colored(out, render(line, columns, widths), ansi_ghost, opt.color && line.ghost);
}

void write_summary(std::ostream& out, const core::Report& report, std::size_t ghosts,
                   const TableOptions& opt) {
    const core::ReportMeta& m = report.meta;
    const std::chrono::duration<double> took =
        std::max(m.finished_at - m.started_at, std::chrono::system_clock::duration::zero());
    using detail::group_thousands;
    auto s = [](std::uint64_t n) { return n == 1 ? "" : "s"; };
    out << fmt::format(
        "{} host{} up of {}, {} port{} scanned ({} per host), {} open, {}{} ghost{}, in {:.2f} s\n",
        group_thousands(m.hosts_up), s(m.hosts_up), group_thousands(m.hosts_targeted),
        group_thousands(m.probes_done), s(m.probes_done), group_thousands(m.ports_per_host),
        group_thousands(m.open),
        m.open_filtered > 0 ? fmt::format("{} open|filtered, ", group_thousands(m.open_filtered)) : "",
        group_thousands(ghosts), s(ghosts), took.count());

    out << detail::terminal_safe("registry: " + core::registry_summary(m)) << '\n';
    if (m.registry_stale)
        write_colored(out, "registry snapshot is older than a year: run `ghostport registry update`",
                      ansi_warning, opt.color);
    if (m.prevalence_source.empty()) {
        out << "prevalence: none: rarity unknown; install nmap-common or pass --prevalence FILE\n";
    } else {
        out << detail::terminal_safe(fmt::format("prevalence: {}", m.prevalence_source)) << '\n';
    }
    if (m.has_baseline()) {
        const std::string when = m.baseline_started_at == std::chrono::system_clock::time_point{}
                                     ? std::string()
                                     : fmt::format(", scan of {}", core::iso8601_utc(m.baseline_started_at));
        out << detail::terminal_safe(fmt::format("baseline: {}{}: {} new, {} gone, {} changed, {} unchanged",
                                                 m.baseline_source, when, group_thousands(m.added),
                                                 group_thousands(m.gone), group_thousands(m.changed),
                                                 group_thousands(m.unchanged)))
            << '\n';
    }
    if (m.expected > 0) out << fmt::format("expected (--expect): {}\n", group_thousands(m.expected));
    if (m.partial)
        write_colored(out,
                      fmt::format("PARTIAL: interrupted after {} of {} probes",
                                  group_thousands(m.probes_done), group_thousands(m.probes_planned)),
                      ansi_warning, opt.color);
}

}  // namespace

void write_table(std::ostream& out, const core::Report& report, const TableOptions& opt) {
    std::vector<core::ReportRow> rows = report.rows;
    sort_rows(rows);
    if (rows.empty()) {
        out << (opt.show_state ? "no ports to show" : "no open ports found") << '\n';
    } else {
        write_rows(out, rows, opt, report.meta.has_baseline(), report.meta.service_scan,
                   report.meta.hosts_up);
    }
    const auto ghosts = static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const core::ReportRow& r) { return r.label.is_ghost(); }));
    out << '\n';
    write_summary(out, report, ghosts, opt);
}

}  // namespace ghostport::output
