// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/csv.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::core {

CsvReader::CsvReader(std::string_view text) : text_(text) {
    // A UTF-8 byte order mark is not part of the first field.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool CsvReader::next(std::vector<std::string>& fields) {
    fields.clear();
    if (pos_ >= text_.size()) return false;
    record_line_ = line_;
    const std::size_t n = text_.size();
    while (true) {
        if (pos_ < n && text_[pos_] == '"') {
            // Quoted: copied a run of text at a time, up to each quote (doubled quotes are one).
            ++pos_;
            std::string field;
            while (true) {
                const std::size_t quote = text_.find('"', pos_);
                if (quote == std::string_view::npos)
                    throw InputError(fmt::format("line {}: quoted field is never closed", record_line_));
                const std::string_view run = text_.substr(pos_, quote - pos_);
                line_ += static_cast<std::size_t>(std::count(run.begin(), run.end(), '\n'));
                field += run;
                pos_ = quote + 1;
                if (pos_ < n && text_[pos_] == '"') {
                    field += '"';
                    ++pos_;
                    continue;
                }
                break;
            }
            if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r')
                throw InputError(fmt::format("line {}: unexpected text after a closing quote", line_));
            fields.push_back(std::move(field));
        } else {
            std::size_t end = text_.find_first_of(",\n\r", pos_);
            if (end == std::string_view::npos) end = n;
            fields.emplace_back(text_.substr(pos_, end - pos_));
            pos_ = end;
        }
        if (pos_ >= n) return true;
        char c = text_[pos_++];
        if (c == ',') continue;
        if (c == '\r' && pos_ < n && text_[pos_] == '\n') ++pos_;
        ++line_;
        return true;
    }
}

std::string csv_cell(std::string_view value) {
    if (!value.empty() && std::string_view("=+-@\t\r'").find(value.front()) != std::string_view::npos)
        return csv_field("'" + std::string(value));
    return csv_field(value);
}

std::string_view csv_cell_value(std::string_view field) {
    if (!field.empty() && field.front() == '\'') field.remove_prefix(1);
    return field;
}

std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace ghostport::core
