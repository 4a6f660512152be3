// SPDX-License-Identifier: GPL-2.0-or-later
// Parses port specs ("22,80,1000-2000", "well-known", "all", "U:53,T:22") into sorted lists of unique
// ports.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ghostport::scanner {

// Items are comma-separated: a port, a range "N-M", an open range "-M" (from 1) or "N-" (to 65535),
// or a named set: well-known (0-1023), registered (1024-49151), dynamic (49152-65535), all (1-65535).
// Port 0 is scanned only when named explicitly. Throws core::InputError("bad port spec '<spec>': <why>").
std::vector<std::uint16_t> parse_ports(std::string_view spec);

// The ports of `-p` per protocol. An item may start with a prefix, T: (TCP) or U: (UDP), which applies to
// it and to the items after it until the next prefix; the items before any prefix apply to both protocols:
// "U:53,161,T:22,80" is UDP 53 and 161, TCP 22 and 80; "22,U:53" is TCP 22, UDP 22 and 53. Which
// protocols are scanned is the caller's choice (-sU); the flags say whether a prefix named each.
struct PortPlan {
    std::vector<std::uint16_t> tcp, udp;  // sorted, unique
    bool tcp_prefixed = false, udp_prefixed = false;
};

// Parses a spec with protocol prefixes (the items as parse_ports reads them). Throws core::InputError
// ("bad port spec '<spec>': <why>") for a bad item or a prefix other than T: and U:.
PortPlan parse_port_plan(std::string_view spec);

}  // namespace ghostport::scanner
