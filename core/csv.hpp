// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 4180 CSV: a streaming record reader and a field quoter. Shared by the registry and report
// readers/writers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ghostport::core {

class CsvReader {
  public:
    explicit CsvReader(std::string_view text);

    // Reads the next record into `fields` (cleared first); false at the end of the text.
    // Quoted fields may hold commas, doubled quotes and line breaks; CRLF and LF both end a record.
    // A quote left open at the end, or text after a closing quote, throws core::InputError naming the line.
    bool next(std::vector<std::string>& fields);

    // 1-based line on which the record last returned by next() started.
    std::size_t line() const { return record_line_; }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t record_line_ = 0;
};

// The field as RFC 4180 writes it: quoted (with doubled quotes) only when it holds , " CR or LF.
std::string csv_field(std::string_view value);

// A report cell, neutralized against CSV (formula) injection as OWASP advises: a value that begins with
// '=', '+', '-', '@', tab or carriage return, which a spreadsheet would run as a formula, gets a leading
// apostrophe (shown as text, not run); so does a value that begins with an apostrophe, so that
// csv_cell_value() gives every value back exactly. Then quoted as csv_field does.
std::string csv_cell(std::string_view value);

// The value of a report cell that csv_cell wrote: one leading apostrophe removed, when there is one.
std::string_view csv_cell_value(std::string_view field);

}  // namespace ghostport::core
