// SPDX-License-Identifier: GPL-2.0-or-later
// Small text and file helpers shared by the registry's file parsers.
#include "registry/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/errors.hpp"

namespace ghostport::registry::detail {

std::string read_text_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw core::InputError(fmt::format("{}: cannot read: is a directory", path.string()));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::InputError(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
    // One sized read: growing a string byte by byte costs more than parsing a 1.5 MB registry.
    std::string text;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > 0) {
        text.resize(static_cast<std::size_t>(size));
        in.read(text.data(), static_cast<std::streamsize>(size));
        text.resize(static_cast<std::size_t>(in.gcount()));
    }
    // Files that report no size (pipes, /proc) or grew meanwhile: read the rest as it comes.
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) throw core::InputError(fmt::format("{}: cannot read: I/O error", path.string()));
    return text;
}

bool LineReader::next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t eol = text_.find('\n', pos_);
    line = text_.substr(pos_, eol == std::string_view::npos ? std::string_view::npos : eol - pos_);
    pos_ = eol == std::string_view::npos ? text_.size() : eol + 1;
    ++number_;
    return true;
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view blanks = " \t\r\n";
    const auto first = s.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(blanks);
    return s.substr(first, last - first + 1);
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) words.push_back(s.substr(start, i - start));
    }
    return words;
}

std::optional<std::uint16_t> parse_port_number(std::string_view s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    std::uint32_t value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

std::string excerpt(std::string_view s, std::size_t max) {
    std::string out;
    for (char c : s.substr(0, max)) out += (c == '\n' || c == '\r') ? ' ' : c;
    if (s.size() > max) out += "...";
    return out;
}

}  // namespace ghostport::registry::detail
