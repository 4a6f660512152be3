// SPDX-License-Identifier: GPL-2.0-or-later
// Parser for the services(5) format (/etc/services, Wireshark's services) into IanaRecords.
#include "registry/services_file.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "registry/text_util.hpp"

namespace ghostport::registry::detail {

std::vector<IanaRecord> parse_services(std::string_view text, const std::string& source) {
    std::vector<IanaRecord> records;
    LineReader lines(text);
    std::string_view line;
    while (lines.next(line)) {
        const std::size_t line_no = lines.number();
        if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);

        std::string_view comment;
        if (const auto hash = line.find('#'); hash != std::string_view::npos) {
            comment = trim(line.substr(hash + 1));
            line = line.substr(0, hash);
        }
        const auto words = split_words(trim(line));
        if (words.empty()) continue;
        auto fail = [&](std::string_view what) {
            throw core::InputError(fmt::format("{}: line {}: {}", source, line_no, what));
        };
        if (words.size() < 2)
            fail(
                fmt::format("expected \"name port/protocol [aliases...]\", got \"{}\"", excerpt(trim(line))));
        const std::string_view pp = words[1];
        const auto slash = pp.find('/');
        const auto port =
            slash == std::string_view::npos ? std::nullopt : parse_port_number(pp.substr(0, slash));
        const std::string proto =
            slash == std::string_view::npos ? std::string() : lowercase(pp.substr(slash + 1));
        if (!port || proto.empty() ||
            proto.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos)
            fail(fmt::format("bad port/protocol \"{}\" (expected e.g. 22/tcp)", excerpt(pp, 40)));

        IanaRecord rec;
        rec.service_name = std::string(words[0]);
        rec.has_port = true;
        rec.port_lo = rec.port_hi = *port;
        rec.protocol = proto;
        rec.description = std::string(comment);
        rec.line = line_no;
        records.push_back(rec);
        for (std::size_t i = 2; i < words.size(); ++i) {
            IanaRecord alias = rec;
            alias.service_name = std::string(words[i]);
            alias.assignment_notes = fmt::format("This entry is an alias to \"{}\".", rec.service_name);
            records.push_back(std::move(alias));
        }
    }
    return records;
}

}  // namespace ghostport::registry::detail
