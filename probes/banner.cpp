// SPDX-License-Identifier: GPL-2.0-or-later
// Escaping a service's first bytes to printable ASCII.
#include "probes/banner.hpp"

#include <algorithm>

namespace ghostport::probes {

std::string printable_banner(std::string_view bytes, std::size_t max_chars) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(std::min(max_chars, bytes.size() * 4));
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        char piece[4];
        std::size_t n = 0;
        if (u == '\r' || u == '\n' || u == '\t' || u == '\\') {
            piece[0] = '\\';
            piece[1] = u == '\r' ? 'r' : u == '\n' ? 'n' : u == '\t' ? 't' : '\\';
            n = 2;
        } else if (u >= 0x20 && u <= 0x7e) {
            piece[0] = c;
            n = 1;
        } else {
            piece[0] = '\\';
            piece[1] = 'x';
            piece[2] = hex[u >> 4];
            piece[3] = hex[u & 0xF];
            n = 4;
        }
        if (out.size() + n > max_chars) break;
        out.append(piece, n);
    }
    return out;
}

}  // namespace ghostport::probes
