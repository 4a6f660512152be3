// SPDX-License-Identifier: GPL-2.0-or-later
// Parses target specs (literals, CIDR blocks, IPv4 ranges, hostnames, target files) into a TargetSet.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "scanner/target_set.hpp"

namespace ghostport::scanner {

// Resolves a hostname to its addresses, both families; throws core::InputError when it cannot.
using Resolver = std::function<std::vector<core::Address>(const std::string& hostname)>;
Resolver system_resolver();  // getaddrinfo

// One spec: "198.18.0.1", "2001:2::1", "198.18.0.0/24", "2001:2::/120", "198.18.1.10-20",
// "198.18.1.10-198.18.2.5" or a hostname. Throws core::InputError("bad target '<spec>': <why>").
std::vector<AddressRange> parse_target(std::string_view spec, const Resolver& resolve,
                                       std::vector<std::pair<core::Address, std::string>>* names = nullptr);

// Target-file lines: whitespace-separated specs, '#' starts a comment, blank lines skipped.
std::vector<std::string> read_target_lines(std::istream& in);

struct TargetOptions {
    std::vector<std::string> targets;        // positional specs
    std::vector<std::string> input_files;    // -iL ("-" = stdin)
    std::vector<std::string> excludes;       // --exclude (each may be comma-separated)
    std::vector<std::string> exclude_files;  // --exclude-file
};

// Builds the finalized set. Throws core::InputError for a bad spec, an unreadable file, or an empty result.
TargetSet build_targets(const TargetOptions& opt, const Resolver& resolve);

}  // namespace ghostport::scanner
