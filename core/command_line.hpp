// SPDX-License-Identifier: GPL-2.0-or-later
// A command line as ghostport records it in reports (shell words, quoted only when they need it), and back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ghostport::core {

// Shell words of a command line as ghostport records it (words separated by spaces; single quotes, with
// '\'' for a quote inside them; a backslash outside quotes escapes the next character), and back (quoted
// the same way: a word of only letters, digits and -_./:,=%+@ as it is, any other in single quotes).
std::vector<std::string> split_command_line(std::string_view command_line);
std::string join_command_line(const std::vector<std::string>& words);

}  // namespace ghostport::core
