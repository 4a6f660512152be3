// The output formats by name, and the one place that maps a format to its sink.
#include "output/format.hpp"

#include "output/csv_sink.hpp"
#include "output/json_sink.hpp"

namespace ghostport::output {

std::optional<Format> parse_format(std::string_view name) {
    for (Format f : {Format::table, Format::csv, Format::json}) {
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
    }
}

}  // namespace ghostport::output
