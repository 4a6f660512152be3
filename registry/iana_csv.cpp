// SPDX-License-Identifier: GPL-2.0-or-later
// Parser for IANA's service-names-port-numbers.csv (2014 and 2025 header variants) into IanaRecords.
#include "registry/iana_csv.hpp"
#include <algorithm>

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <optional>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "registry/text_util.hpp"

namespace ghostport::registry::detail {

namespace {

using Member = std::string IanaRecord::*;

// Text columns stored verbatim (trimmed). Port Number and Transport Protocol are parsed separately.
struct TextColumn {
    std::string_view name;
    Member member;
};
constexpr std::array<TextColumn, 11> text_columns{{
    {"service name", &IanaRecord::service_name},
    {"description", &IanaRecord::description},
    {"assignee", &IanaRecord::assignee},
    {"contact", &IanaRecord::contact},
    {"registration date", &IanaRecord::registration_date},
    {"modification date", &IanaRecord::modification_date},
    {"reference", &IanaRecord::reference},
    {"service code", &IanaRecord::service_code},
    {"unauthorized use reported", &IanaRecord::unauthorized_use},
    {"known unauthorized uses", &IanaRecord::unauthorized_use},
    {"assignment notes", &IanaRecord::assignment_notes},
}};

constexpr std::array<std::string_view, 4> required_columns{"service name", "port number",
                                                           "transport protocol", "description"};

// Where each column of the file goes.
struct Layout {
    std::vector<Member> members;  // per file column; nullptr when not a text column
    std::optional<std::size_t> port, protocol;
};

std::optional<Layout> layout_from_header(const std::vector<std::string>& header) {
    Layout layout;
    std::array<bool, required_columns.size()> seen{};
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string name = lowercase(trim(header[i]));
        for (std::size_t r = 0; r < required_columns.size(); ++r)
            if (name == required_columns[r]) seen[r] = true;
        Member member = nullptr;
        for (const auto& c : text_columns)
            if (name == c.name) member = c.member;
        layout.members.push_back(member);
        if (name == "port number") layout.port = i;
        if (name == "transport protocol") layout.protocol = i;
    }
    for (bool s : seen)
        if (!s) return std::nullopt;
    return layout;
}

std::string_view first_line(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    return text.substr(0, text.find_first_of("\r\n"));
}

[[noreturn]] void fail(const std::string& source, std::size_t line, std::string_view what) {
    throw core::InputError(fmt::format("{}: line {}: {}", source, line, what));
}

// Fills has_port/port_lo/port_hi from "", "22" or "225-241".
void parse_port_field(std::string_view text, IanaRecord& rec, const std::string& source) {
    if (text.empty()) return;
    const auto dash = text.find('-');
    const auto lo = parse_port_number(text.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : parse_port_number(text.substr(dash + 1));
    if (!lo || !hi)
        fail(source, rec.line, fmt::format("bad port number \"{}\" (expected 0..65535 or a range)", text));
    if (*lo > *hi) fail(source, rec.line, fmt::format("bad port range \"{}\" (start after end)", text));
    rec.has_port = true;
    rec.port_lo = *lo;
    rec.port_hi = *hi;
}

// "YYYY-MM-DD" for a well-formed "YYYY-MM-DD" or "YYYY-MM"; "" otherwise.
std::string normalized_date(std::string_view d) {
    auto digits = [&](std::size_t from, std::size_t n) {
        for (std::size_t i = from; i < from + n; ++i)
            if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
        return true;
    };
    if (d.size() == 7 && digits(0, 4) && d[4] == '-' && digits(5, 2)) return std::string(d) + "-01";
    if (d.size() == 10 && digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-' && digits(8, 2))
        return std::string(d);
    return {};
}

}  // namespace

bool looks_like_iana_csv(std::string_view text) {
    std::vector<std::string> header;
    try {
        core::CsvReader reader(first_line(text));
        if (!reader.next(header)) return false;
    } catch (const core::InputError&) {
        return false;
    }
    return layout_from_header(header).has_value();
}

std::vector<IanaRecord> parse_iana_csv(std::string_view text, const std::string& source) {
    core::CsvReader reader(text);
    std::vector<std::string> fields;
    auto next = [&]() {
        try {
            return reader.next(fields);
        } catch (const core::InputError& e) {
            throw core::InputError(fmt::format("{}: {}", source, e.what()));
        }
    };

    std::optional<Layout> layout;
    try {
        if (reader.next(fields)) layout = layout_from_header(fields);
    } catch (const core::InputError&) {
        // An unreadable first record is reported as a foreign header below.
    }
    if (!layout) {
        const std::string_view line = first_line(text);
        throw core::InputError(
            fmt::format("{}: not IANA's service-names-port-numbers.csv format (line 1: {})", source,
                        line.empty() ? std::string("empty") : "\"" + excerpt(line) + "\""));
    }

    std::vector<IanaRecord> records;
    // Room for a record per line, and for the services file's that may fill the registry's gaps later
    // (Registry::fill_from): reserved pages cost nothing until used, moving every record would.
    records.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 4096);
    while (next()) {
        if (fields.size() == 1 && trim(fields[0]).empty()) continue;  // blank line
        IanaRecord rec;
        rec.line = reader.line();
        if (fields.size() != layout->members.size())
            fail(source, rec.line,
                 fmt::format("{} fields where the header has {}", fields.size(), layout->members.size()));
        for (std::size_t i = 0; i < fields.size(); ++i) {
            Member m = layout->members[i];
            if (!m) continue;
            const std::string_view t = trim(fields[i]);
            if (t.size() == fields[i].size())
                rec.*m = std::move(fields[i]);  // nothing to trim (nearly always): no copy
            else
                rec.*m = std::string(t);
        }
        parse_port_field(trim(fields[*layout->port]), rec, source);
        rec.protocol = lowercase(trim(fields[*layout->protocol]));
        if (!rec.protocol.empty() && rec.protocol != "tcp" && rec.protocol != "udp" &&
            rec.protocol != "sctp" && rec.protocol != "dccp")
            fail(source, rec.line,
                 fmt::format("unknown transport protocol \"{}\"", excerpt(rec.protocol, 20)));
        records.push_back(std::move(rec));
    }
    return records;
}

std::string newest_date(const std::vector<IanaRecord>& records) {
    std::string newest;
    for (const auto& r : records)
        for (const std::string* d : {&r.registration_date, &r.modification_date}) {
            std::string n = normalized_date(*d);
            if (n > newest) newest = std::move(n);
        }
    return newest;
}

}  // namespace ghostport::registry::detail
