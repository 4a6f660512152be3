// SPDX-License-Identifier: GPL-2.0-or-later
// The CSV report format (RFC 4180, UTF-8, one row per port): its writer, and the reader used for baselines.
#include "output/csv_sink.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "output/fields.hpp"
#include "output/order.hpp"
#include "output/utf8.hpp"

namespace ghostport::output {

namespace {

using core::InputError;

// One record: the fields, then the change column of a report compared with a baseline when `last` is set.
void write_record(std::ostream& out, const std::vector<std::string>& fields,
                  std::optional<std::string_view> last) {
    bool first = true;
    for (const std::string& f : fields) {
        if (!first) out << ',';
        out << core::csv_cell(f);
        first = false;
    }
    if (last) out << ',' << core::csv_cell(*last);
    out << '\n';
}

// The row's fields as printed, in detail::row_field_names order.
std::vector<std::string> row_texts(const core::ReportRow& row) {
    const core::PortResult& r = row.result;
    const core::ServiceLabel& l = row.label;
    std::vector<std::string> texts{r.host.to_string(),
                                   row.hostname,
                                   std::to_string(r.port),
                                   std::string(core::to_string(r.proto)),
                                   std::string(core::to_string(r.state)),
                                   std::string(core::to_string(r.reason)),
                                   std::string(core::to_string(core::range_of(r.port))),
                                   l.service,
                                   l.description,
                                   l.known_as,
                                   std::string(core::to_string(l.status)),
                                   detail::format_prevalence(l.prevalence),
                                   detail::format_rarity(l.rarity, ""),
                                   core::labels_to_string(l.labels),
                                   detail::format_rtt_ms(r.rtt_us),
                                   core::iso8601_utc(r.scanned_at)};
    for (auto member : detail::service_field_members) texts.push_back(row.service.*member);
    texts.push_back(std::to_string(l.hosts_open));
    return texts;
}

// A field value as an error message shows it: quoted, shortened, and safe for a terminal.
std::string shown(std::string_view value) {
    constexpr std::size_t max_shown = 60;
    if (value.size() > max_shown)
        return fmt::format("\"{}...\"", detail::terminal_safe(value.substr(0, max_shown)));
    return fmt::format("\"{}\"", detail::terminal_safe(value));
}

[[noreturn]] void bad_field(std::size_t line, std::string_view name, std::string_view value) {
    throw InputError(fmt::format("line {}: bad {} {}", line, name, shown(value)));
}

// Parses a whole field as an unsigned decimal no larger than max; nullopt otherwise.
std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value > max) return std::nullopt;
    return value;
}

// Parses a whole field as a double, locale-independently; nullopt otherwise.
std::optional<double> parse_double(std::string_view text) {
    if (text.empty()) return std::nullopt;
    double value = 0.0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

// The enumerator whose to_string is text, among candidates.
template <typename E, std::size_t N>
std::optional<E> parse_enum(std::string_view text, const E (&candidates)[N]) {
    for (E e : candidates) {
        if (core::to_string(e) == text) return e;
    }
    return std::nullopt;
}

// "12.345" (milliseconds, at most 3 decimals) -> 12345 microseconds.
std::optional<std::uint32_t> parse_rtt_ms(std::string_view text) {
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 3)) return std::nullopt;
    const auto ms = parse_unsigned(whole, UINT32_MAX / 1000);
    if (!ms) return std::nullopt;
    std::uint64_t us = 0;
    if (!fraction.empty()) {
        const auto digits = parse_unsigned(fraction, 999);
        if (!digits) return std::nullopt;
        us = *digits;
        for (std::size_t i = fraction.size(); i < 3; ++i) us *= 10;
    }
    us += *ms * 1000;
    if (us > UINT32_MAX) return std::nullopt;
    return static_cast<std::uint32_t>(us);
}

// "2026-11-22T10:00:00.123Z" (the fraction optional, 1 to 9 digits) -> a time point.
std::optional<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text) {
    using namespace std::chrono;
    // Positions of the fixed-width parts of "YYYY-MM-DDTHH:MM:SS".
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text.back() != 'Z')
        return std::nullopt;
    const auto y = parse_unsigned(text.substr(0, 4), 9999);
    const auto mo = parse_unsigned(text.substr(5, 2), 12);
    const auto d = parse_unsigned(text.substr(8, 2), 31);
    const auto h = parse_unsigned(text.substr(11, 2), 23);
    const auto mi = parse_unsigned(text.substr(14, 2), 59);
    const auto s = parse_unsigned(text.substr(17, 2), 59);
    if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
    // A time point counts nanoseconds in 64 bits (years 1677-2262): outside 1970-2200 is not a scan's time.
    if (*y < 1970 || *y > 2200) return std::nullopt;
    const year_month_day date{year{static_cast<int>(*y)}, month{static_cast<unsigned>(*mo)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;

    std::string_view rest = text.substr(19, text.size() - 20);  // between the seconds and the 'Z'
    nanoseconds fraction{0};
    if (!rest.empty()) {
        if (rest[0] != '.' || rest.size() < 2 || rest.size() > 10) return std::nullopt;
        const std::string_view digits = rest.substr(1);
        // from_chars would accept a sign; only digits are allowed here.
        if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
        auto ns = *parse_unsigned(digits, 999'999'999);
        for (std::size_t i = digits.size(); i < 9; ++i) ns *= 10;
        fraction = nanoseconds{ns};
    }
    const auto t = sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s} + fraction;
    return time_point_cast<system_clock::duration>(t);
}

// "ghost;unassigned" -> the label bits; every name must be one labels_to_string writes, or one an earlier
// version wrote (locally-common: accepted and dropped).
std::optional<core::Labels> parse_labels(std::string_view text) {
    core::Labels labels = 0;
    while (!text.empty()) {
        const std::size_t semi = text.find(';');
        const std::string_view name = text.substr(0, semi);
        bool found = name == "locally-common";
        for (unsigned bit = 0; bit < 32 && !found; ++bit) {
            const core::Labels flag = core::Labels{1} << bit;
            const std::string flag_name = core::labels_to_string(flag);
            if (!flag_name.empty() && flag_name == name) {
                labels |= flag;
                found = true;
            }
        }
        if (!found) return std::nullopt;
        if (semi == std::string_view::npos) break;
        text.remove_prefix(semi + 1);
        if (text.empty()) return std::nullopt;  // a trailing ';'
    }
    return labels;
}

// Unsigned fields accept only digits (from_chars would take neither '+' nor spaces, but be explicit).
bool all_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

namespace detail {

core::ReportRow parse_row(const std::vector<std::string>& f, RowLayout layout, std::size_t line) {
    // Field indices follow detail::row_field_names.
    core::ReportRow row;
    core::PortResult& r = row.result;
    const auto host = core::Address::parse(f[0]);
    if (!host) bad_field(line, "host address", f[0]);
    r.host = *host;
    row.hostname = f[1];
    const auto port = all_digits(f[2]) ? parse_unsigned(f[2], 65535) : std::nullopt;
    if (!port) bad_field(line, "port", f[2]);
    r.port = static_cast<std::uint16_t>(*port);

    using core::PortRange, core::PortState, core::Proto, core::Reason, core::RegistryStatus;
    const auto proto = parse_enum(f[3], {Proto::tcp, Proto::udp});
    if (!proto) bad_field(line, "proto", f[3]);
    r.proto = *proto;
    const auto state = parse_enum(f[4], core::all_port_states);
    if (!state) bad_field(line, "state", f[4]);
    r.state = *state;
    const auto reason = parse_enum(f[5], core::all_reasons);
    if (!reason) bad_field(line, "reason", f[5]);
    r.reason = *reason;
    const auto range = parse_enum(f[6], {PortRange::well_known, PortRange::registered, PortRange::dynamic});
    if (!range) bad_field(line, "port_range", f[6]);
    if (*range != core::range_of(r.port))
        throw InputError(fmt::format("line {}: port_range \"{}\" does not match port {} ({})", line, f[6],
                                     r.port, core::to_string(core::range_of(r.port))));

    core::ServiceLabel& label = row.label;
    label.service = f[7];
    label.description = f[8];
    label.known_as = f[9];
    const auto status =
        parse_enum(f[10], {RegistryStatus::assigned, RegistryStatus::unassigned, RegistryStatus::reserved,
                           RegistryStatus::unknown, RegistryStatus::services_file});
    if (!status) bad_field(line, "registry_status", f[10]);
    label.status = *status;
    const auto prevalence = parse_double(f[11]);
    if (!prevalence) bad_field(line, "prevalence number", f[11]);
    label.prevalence = *prevalence;
    // Empty (or a JSON null, "nan"): unknown, as written without prevalence data.
    if (!f[12].empty() && f[12] != "nan") {
        const auto rarity = parse_double(f[12]);
        if (!rarity || !std::isfinite(*rarity)) bad_field(line, "rarity number", f[12]);
        label.rarity = *rarity;
    }
    const auto labels = parse_labels(f[13]);
    if (!labels) bad_field(line, "labels", f[13]);
    label.labels = *labels;

    const auto rtt = parse_rtt_ms(f[14]);
    if (!rtt) bad_field(line, "rtt_ms number", f[14]);
    r.rtt_us = *rtt;
    const auto scanned_at = parse_timestamp(f[15]);
    if (!scanned_at) bad_field(line, "scanned_at timestamp", f[15]);
    r.scanned_at = *scanned_at;
    if (layout.fields > service_fields_begin) {
        for (std::size_t i = 0; i < service_field_members.size(); ++i)
            row.service.*service_field_members[i] = f[service_fields_begin + i];
    }
    if (layout.fields > hosts_open_field && !f[hosts_open_field].empty()) {
        const std::string& text = f[hosts_open_field];
        const auto n = all_digits(text) ? parse_unsigned(text, UINT32_MAX) : std::nullopt;
        if (!n) bad_field(line, "hosts_open number", text);
        label.hosts_open = static_cast<std::uint32_t>(*n);
    }
    if (layout.change) {
        const std::string& text = f[layout.fields];
        const auto change = parse_enum(text, {core::Change::none, core::Change::added, core::Change::gone,
                                              core::Change::changed, core::Change::unchanged});
        if (!change) bad_field(line, "change", text);
        row.change = *change;
    }
    return row;
}

std::optional<std::chrono::system_clock::time_point> parse_timestamp_field(std::string_view text) {
    return parse_timestamp(text);
}

std::optional<RowLayout> layout_of_header(const std::vector<std::string>& header) {
    for (std::size_t fields : row_field_layouts)
        if (header.size() == fields + 1 && header.back() == change_field_name) return RowLayout{fields, true};
    for (std::size_t fields : row_field_layouts)
        if (header.size() == fields) return RowLayout{fields, false};
    return std::nullopt;
}

}  // namespace detail

void write_csv(std::ostream& out, const core::Report& report) {
    const bool with_change = report.meta.has_baseline();
    const std::optional<std::string_view> change_title =
        with_change ? std::optional<std::string_view>(detail::change_field_name) : std::nullopt;
    write_record(out,
                 std::vector<std::string>(detail::row_field_names.begin(), detail::row_field_names.end()),
                 change_title);

    std::vector<core::ReportRow> rows = report.rows;
    sort_rows(rows);
    for (const core::ReportRow& row : rows) {
        write_record(
            out, row_texts(row),
            with_change ? std::optional<std::string_view>(core::to_string(row.change)) : std::nullopt);
    }
}

std::vector<core::ReportRow> read_csv_report(std::string_view text) {
    core::CsvReader reader(text);
    std::vector<std::string> fields;
    const auto& names = detail::row_field_names;

    if (!reader.next(fields)) throw InputError("line 1: empty file, expected the CSV report header");
    const auto layout = detail::layout_of_header(fields);
    if (!layout) {
        std::string counts;
        for (std::size_t i = 0; i < detail::row_field_layouts.size(); ++i)
            counts += fmt::format("{}{}", i == 0 ? "" : " or ", detail::row_field_layouts[i]);
        throw InputError(
            fmt::format("line {}: header has {} fields, expected {} (not a ghostport CSV report)",
                        reader.line(), fields.size(), counts));
    }
    const std::size_t columns = layout->columns();
    for (std::size_t i = 0; i < layout->fields; ++i) {
        if (fields[i] != names[i])
            throw InputError(fmt::format("line {}: header field {} is {}, expected \"{}\"", reader.line(),
                                         i + 1, shown(fields[i]), names[i]));
    }

    std::vector<core::ReportRow> rows;
    while (reader.next(fields)) {
        if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
        if (fields.size() != columns)
            throw InputError(
                fmt::format("line {}: {} fields, expected {}", reader.line(), fields.size(), columns));
        for (auto& f : fields) f = std::string(core::csv_cell_value(f));  // undo the formula neutralization
        rows.push_back(detail::parse_row(fields, *layout, reader.line()));
    }
    return rows;
}

}  // namespace ghostport::output
