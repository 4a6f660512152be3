// SPDX-License-Identifier: GPL-2.0-or-later
// Parses port specs ("22,80,1000-2000", "well-known", "all") into a sorted list of unique ports.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ghostport::scanner {

// Items are comma-separated: a port, a range "N-M", an open range "-M" (from 1) or "N-" (to 65535),
// or a named set: well-known (0-1023), registered (1024-49151), dynamic (49152-65535), all (1-65535).
// Port 0 is scanned only when named explicitly. Throws core::InputError("bad port spec '<spec>': <why>").
std::vector<std::uint16_t> parse_ports(std::string_view spec);

}  // namespace ghostport::scanner
