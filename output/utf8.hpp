// SPDX-License-Identifier: GPL-2.0-or-later
// UTF-8 decoding shared by the sinks: one code point at a time, with invalid bytes reported, not trusted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ghostport::output::detail {

struct Utf8Step {
    char32_t code_point = 0;  // U+FFFD when !valid
    std::size_t length = 0;   // bytes consumed, >= 1
    bool valid = false;
};

// Decodes the code point starting at text[pos] (pos < text.size()). An ill-formed sequence (stray
// continuation byte, overlong form, surrogate, value above U+10FFFF, truncation) yields valid == false and
// consumes its maximal subpart (Unicode 15, section 3.9), so each such run becomes exactly one U+FFFD.
Utf8Step decode_utf8(std::string_view text, std::size_t pos);

// Appends code point `cp` (at most U+10FFFF) to `out` as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// The text made safe to print on a terminal: ill-formed UTF-8 becomes U+FFFD and control characters
// (C0, DEL, C1) become '?', so no escape sequence from a scanned name or registry file reaches the tty.
std::string terminal_safe(std::string_view text);

// The number of code points in well-formed UTF-8 text: the column count for alignment (wide East Asian
// characters are counted as one column).
std::size_t display_width(std::string_view text);

}  // namespace ghostport::output::detail
