// SPDX-License-Identifier: GPL-2.0-or-later
// The listener report's shared helpers: names of namespaces, executables, row order, name escaping.
#include "core/listener_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace ghostport::core {

namespace {

// The length of the well-formed UTF-8 sequence starting at text[i] (2..4), or 0 when there is none.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > text.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    // C1 controls (U+0080..U+009F) are escaped too: they are control characters on a terminal.
    if (c == 0xC2 && byte(i + 1) <= 0x9F) return 0;
    return n;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string_view to_string(Outside o) {
    switch (o) {
        case Outside::none:
            return "";
        case Outside::seen:
            return "seen";
        case Outside::filtered:
            return "filtered";
    }
    return "";
}

std::string_view namespace_text(std::string_view netns) {
    return netns.empty() ? std::string_view("host") : netns;
}

std::vector<std::string> executables(const Listener& l) {
    std::vector<std::string> out;
    for (const auto& o : l.owners)
        if (!o.exe.empty()) out.push_back(o.exe);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool has_deleted_exe(const Listener& l) {
    return std::any_of(l.owners.begin(), l.owners.end(),
                       [](const ListenerOwner& o) { return o.exe_deleted; });
}

bool listener_row_less(const ListenerRow& a, const ListenerRow& b) {
    const auto& x = a.listener;
    const auto& y = b.listener;
    const int px = x.owners.empty() ? 0 : x.owners.front().pid;
    const int py = y.owners.empty() ? 0 : y.owners.front().pid;
    return std::tie(x.netns, x.proto, x.port, x.address, px) <
           std::tie(y.netns, y.proto, y.port, y.address, py);
}

std::string escape_name(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        const unsigned char c = static_cast<unsigned char>(raw[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8_sequence(raw, i)) {
                out.append(raw.substr(i, n));
                i += n;
                continue;
            }
        }
        if (c < 0x20 || c == 0x7f || c >= 0x80 || c == ';') {
            out += fmt::format("\\x{:02x}", c);
        } else if (c == '\\') {
            out += "\\\\";
        } else {
            out += static_cast<char>(c);
        }
        ++i;
    }
    return out;
}

std::string unescape_name(std::string_view escaped) {
    std::string out;
    out.reserve(escaped.size());
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        if (escaped[i] == '\\' && i + 1 < escaped.size()) {
            if (escaped[i + 1] == '\\') {
                out += '\\';
                ++i;
                continue;
            }
            if (escaped[i + 1] == 'x' && i + 3 < escaped.size()) {
                const int h = hex_value(escaped[i + 2]), l = hex_value(escaped[i + 3]);
                if (h >= 0 && l >= 0) {
                    out += static_cast<char>(h * 16 + l);
                    i += 3;
                    continue;
                }
            }
        }
        out += escaped[i];
    }
    return out;
}

}  // namespace ghostport::core
