// SPDX-License-Identifier: GPL-2.0-or-later
// What an engine found for one (host, port): the record that flows from the engine to the labeler.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/address.hpp"

namespace ghostport::core {

enum class Proto : std::uint8_t { tcp, udp };
// all_open: a whole host, not one port: it answered SYN-ACK on more ports than --port-threshold (a tarpit or
// an IPS answering everything), so its ports are reported once as one row with port 0.
enum class PortState : std::uint8_t { open, closed, filtered, all_open, open_filtered };
// Why the state was decided: the evidence, in nmap's vocabulary.
enum class Reason : std::uint8_t { syn_ack, rst, no_response, unreachable, udp_response, port_unreach };

std::string_view to_string(Proto p);
std::string_view to_string(PortState s);
std::string_view to_string(Reason r);

struct PortResult {
    Address host;
    std::uint16_t port = 0;
    Proto proto = Proto::tcp;
    PortState state = PortState::filtered;
    Reason reason = Reason::no_response;
    std::uint32_t rtt_us = 0;  // time from probe to answer; 0 when there was none
    std::chrono::system_clock::time_point scanned_at{};
};

// IANA's three ranges (RFC 6335).
enum class PortRange : std::uint8_t { well_known, registered, dynamic };
constexpr PortRange range_of(std::uint16_t port) {
    return port <= 1023 ? PortRange::well_known : port <= 49151 ? PortRange::registered : PortRange::dynamic;
}
std::string_view to_string(PortRange r);

}  // namespace ghostport::core
