// SPDX-License-Identifier: GPL-2.0-or-later
// The output formats by name, and the one place that maps a format to its sink.
#include "output/format.hpp"

#include "output/csv_sink.hpp"
#include "output/html_sink.hpp"
#include "output/json_sink.hpp"
#include "output/xml_sink.hpp"

namespace ghostport::output {

std::optional<Format> format_of_path(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return std::nullopt;
    const std::string_view ext = name.substr(dot + 1);
    if (ext == "csv") return Format::csv;
    if (ext == "json" || ext == "jsonl") return Format::json;
    if (ext == "xml") return Format::xml;
    if (ext == "html" || ext == "htm") return Format::html;
    return std::nullopt;
}

std::optional<Format> parse_format(std::string_view name) {
    for (Format f : {Format::table, Format::csv, Format::json, Format::xml, Format::html}) {
        if (name == to_string(f)) return f;
    }
    return std::nullopt;
}

std::string_view to_string(Format format) {
    switch (format) {
        case Format::table:
            return "table";
        case Format::csv:
            return "csv";
        case Format::json:
            return "json";
        case Format::xml:
            return "xml";
        case Format::html:
            return "html";
    }
    return "?";
}

void write_report(std::ostream& out, const core::Report& report, Format format,
                  const TableOptions& table_options) {
    switch (format) {
        case Format::table:
            write_table(out, report, table_options);
            return;
        case Format::csv:
            write_csv(out, report);
            return;
        case Format::json:
            write_json(out, report);
            return;
        case Format::xml:
            write_xml(out, report);
            return;
        case Format::html:
            write_html(out, report);
            return;
    }
}

}  // namespace ghostport::output
