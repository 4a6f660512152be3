// SPDX-License-Identifier: GPL-2.0-or-later
// nmap's spellings that `ghostport scan` accepts, and the words each stands for: main rewrites them before
// CLI11 parses (-iL is no CLI11 short option), and the bash completion offers them.
#pragma once

#include <array>
#include <string_view>

namespace ghostport::cli {

struct NmapAlias {
    std::string_view spelling;
    // What the spelling becomes, in order ("" ends it); when the last word is an option that takes a value,
    // the alias takes that value (-iL FILE).
    std::array<std::string_view, 3> words;
};

inline constexpr std::array<NmapAlias, 7> nmap_aliases{{
    {"-iL", {"--input-list"}},
    {"-Pn", {"--no-discovery"}},            // no discovery
    {"-sn", {"--discovery-only"}},          // discovery only
    {"-sV", {"--identify"}},                // service identification
    {"-sU", {"--udp"}},                     // UDP
    {"-sS", {"--tcp", "--engine", "syn"}},  // TCP with that engine (with -sU: TCP too)
    {"-sT", {"--tcp", "--engine", "connect"}},
}};

}  // namespace ghostport::cli
