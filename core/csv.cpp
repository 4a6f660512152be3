// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/csv.hpp"

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
    std::string field;
    const std::size_t n = text_.size();
    while (true) {
        if (pos_ < n && text_[pos_] == '"') {
            ++pos_;
            while (true) {
                if (pos_ >= n)
                    throw InputError(fmt::format("line {}: quoted field is never closed", record_line_));
                char c = text_[pos_++];
                if (c == '"') {
                    if (pos_ < n && text_[pos_] == '"') {
                        field += '"';
                        ++pos_;
                        continue;
                    }
                    break;
                }
                if (c == '\n') ++line_;
                field += c;
            }
            if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r')
                throw InputError(fmt::format("line {}: unexpected text after a closing quote", line_));
        } else {
            while (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r')
                field += text_[pos_++];
        }
        fields.push_back(std::move(field));
        field.clear();
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
