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
