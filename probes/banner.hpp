// SPDX-License-Identifier: GPL-2.0-or-later
// The first bytes a service sent, made safe to print: escaped to printable ASCII for reports and terminals.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ghostport::probes {

// `bytes` as printable ASCII: 0x20-0x7e stay (a backslash doubled), \r \n \t become those two-character
// escapes, every other byte (NUL, ESC, DEL, 0x80-0xff) becomes \xHH. The result is at most `max_chars`
// characters long, cut before an escape that would not fit whole (never in the middle of one).
std::string printable_banner(std::string_view bytes, std::size_t max_chars = 256);

}  // namespace ghostport::probes
