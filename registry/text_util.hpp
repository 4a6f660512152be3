// SPDX-License-Identifier: GPL-2.0-or-later
// Small text and file helpers shared by the registry's file parsers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ghostport::registry::detail {

// The whole file as bytes; throws core::InputError "<path>: cannot read: <reason>" (also for a directory).
std::string read_text_file(const std::filesystem::path& path);

// Walks text line by line (LF-separated; a last line without LF counts), numbering lines from 1.
class LineReader {
  public:
    explicit LineReader(std::string_view text) : text_(text) {}
    // The next line, without its LF; false at the end of the text.
    bool next(std::string_view& line);
    // 1-based number of the line last returned.
    std::size_t number() const { return number_; }

  private:
    std::string_view text_;
    std::size_t pos_ = 0, number_ = 0;
};

// `s` without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view s);

// `s` in ASCII lower case.
std::string lowercase(std::string_view s);

// The whitespace-separated words of `s` (spaces and tabs).
std::vector<std::string_view> split_words(std::string_view s);

// A decimal port number 0..65535 made only of digits; nullopt otherwise ("", "+1", "70000", "1e3").
std::optional<std::uint16_t> parse_port_number(std::string_view s);

// `s` cut to `max` characters with line breaks shown as spaces, for quoting bad input in messages.
std::string excerpt(std::string_view s, std::size_t max = 80);

}  // namespace ghostport::registry::detail
