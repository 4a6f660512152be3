// SPDX-License-Identifier: GPL-2.0-or-later
// Observed open-frequency per (port, protocol), read from a file in nmap-services format.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace ghostport::registry {

class Prevalence {
  public:
    struct Entry {
        std::string name;  // the file's service name ("unknown" when it has none)
        double frequency;  // share of scanned hosts with the port open, 0..1
    };

    // Parses `name<TAB>port/proto<TAB>frequency[<TAB># comment]` lines; blank and `#` lines are skipped.
    // Protocols tcp, udp, sctp and dccp are accepted (only tcp and udp are kept); the first line for a
    // (port, proto) wins. Throws core::InputError "<source>: line N: <what>" on a malformed line (missing
    // field, bad port/proto, frequency that is not a number in [0, 1]).
    static Prevalence parse(std::string_view text, std::string source);

    // Reads and parses `path`; throws core::InputError naming the path when unreadable, invalid or empty.
    static Prevalence load(const std::filesystem::path& path);

    // The entry for (port, proto), or nullptr when the file does not list it.
    const Entry* lookup(std::uint16_t port, core::Proto proto) const;

    // Up to `n` ports of `proto` listed in the file, by frequency descending, ties by port ascending.
    std::vector<std::uint16_t> top_ports(std::size_t n, core::Proto proto) const;

    const std::string& source() const { return source_; }
    std::size_t size() const { return entries_.size(); }

  private:
    std::string source_;
    std::vector<Entry> entries_;
    std::array<std::vector<std::int32_t>, 2> index_;  // per protocol (tcp, udp), per port: entry or -1
};

// The prevalence file to use: `flag` when given (throws core::InputError when it names no file), else
// /usr/share/nmap/nmap-services when present, else nullopt (rarity then treats every port as unseen).
std::optional<std::filesystem::path> locate_prevalence(const std::optional<std::string>& flag);

}  // namespace ghostport::registry
