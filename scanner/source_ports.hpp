// SPDX-License-Identifier: GPL-2.0-or-later
// The raw engines' source ports, kept out of the range the kernel hands to connect(): -sV's conversations
// (and any other connection of this machine) then never share a port with the SYN engine's probes.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

namespace ghostport::scanner {

// "32768\t60999\n" (the format of /proc/sys/net/ipv4/ip_local_port_range) -> {32768, 60999}; Linux's default
// {32768, 60999} when the text is not two ascending ports.
std::pair<std::uint16_t, std::uint16_t> parse_port_range(std::string_view text);

// The kernel's ephemeral range, read from /proc (the default when it cannot be read).
std::pair<std::uint16_t, std::uint16_t> ephemeral_port_range();

// The first of `count` consecutive source ports outside `ephemeral`: above it when they fit there, else
// below it (never under 1024); `r` picks the offset inside the room there is. count must be 1..4096.
std::uint16_t raw_source_window(std::pair<std::uint16_t, std::uint16_t> ephemeral, unsigned count,
                                std::uint32_t r);

}  // namespace ghostport::scanner
