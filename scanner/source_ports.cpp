// SPDX-License-Identifier: GPL-2.0-or-later
// The raw engines' source ports, kept out of the range the kernel hands to connect().
#include "scanner/source_ports.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace ghostport::scanner {

namespace {
constexpr std::pair<std::uint16_t, std::uint16_t> linux_default{32768, 60999};
}

std::pair<std::uint16_t, std::uint16_t> parse_port_range(std::string_view text) {
    unsigned values[2] = {0, 0};
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (unsigned& v : values) {
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc{} || v > 65535) return linux_default;
        p = next;
    }
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n')) ++p;
    if (p != end || values[0] == 0 || values[0] > values[1]) return linux_default;
    return {static_cast<std::uint16_t>(values[0]), static_cast<std::uint16_t>(values[1])};
}

std::pair<std::uint16_t, std::uint16_t> ephemeral_port_range() {
    std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
    std::stringstream text;
    text << in.rdbuf();
    return in ? parse_port_range(text.str()) : linux_default;
}

std::uint16_t raw_source_window(std::pair<std::uint16_t, std::uint16_t> ephemeral, unsigned count,
                                std::uint32_t r) {
    const unsigned above_first = ephemeral.second + 1u;
    if (above_first + count - 1 <= 65535u) {
        const unsigned room = 65535u - (above_first + count - 1) + 1;
        return static_cast<std::uint16_t>(above_first + r % room);
    }
    const unsigned low = 1024, high = ephemeral.first > low ? ephemeral.first - 1u : low;
    if (high >= low + count - 1) {
        const unsigned room = high - (low + count - 1) + 1;
        return static_cast<std::uint16_t>(low + r % room);
    }
    return static_cast<std::uint16_t>(65535u - count + 1);  // the kernel owns everything: the top, and hope
}

}  // namespace ghostport::scanner
