// SPDX-License-Identifier: GPL-2.0-or-later
// What an engine found for one (host, port): the record that flows from the engine to the labeler.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>

#include "core/address.hpp"

namespace ghostport::core {

enum class Proto : std::uint8_t { tcp, udp };
// all_open: a whole host, not one port: it answered SYN-ACK on more ports than --port-threshold (a tarpit or
// an IPS answering everything), so its ports are reported once as one row with port 0.
// open_filtered (UDP): no answer at all, which an open port that ignores the probe and a firewall that drops
// it both give; written "open|filtered". Only open (and all_open) is a listener. New states go at the end:
// resume files store the numeric value.
enum class PortState : std::uint8_t { open, closed, filtered, all_open, open_filtered };
inline constexpr std::size_t port_state_count = 5;
inline constexpr PortState all_port_states[port_state_count] = {
    PortState::open, PortState::closed, PortState::filtered, PortState::all_open, PortState::open_filtered};
// Why the state was decided: the evidence, in nmap's vocabulary. udp_response: a UDP datagram came back
// (open); port_unreach: ICMP port unreachable (closed). New reasons go at the end, like states.
enum class Reason : std::uint8_t { syn_ack, rst, no_response, unreachable, udp_response, port_unreach };
inline constexpr std::size_t reason_count = 6;
inline constexpr Reason all_reasons[reason_count] = {Reason::syn_ack,      Reason::rst,
                                                     Reason::no_response,  Reason::unreachable,
                                                     Reason::udp_response, Reason::port_unreach};

// Whether a row in this state is a listener: open, or all-open (a whole host). open|filtered is not.
constexpr bool is_listener(PortState s) {
    return s == PortState::open || s == PortState::all_open;
}
// Whether the host answered for a row in this state (a reply of any kind): open, closed, all-open.
constexpr bool is_answer(PortState s) {
    return s == PortState::open || s == PortState::closed || s == PortState::all_open;
}

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

// What identifies a row: 1642/udp and 1642/tcp on one host are two ports (two listeners).
using PortKey = std::tuple<Address, std::uint16_t, Proto>;
inline PortKey key_of(const PortResult& r) {
    return {r.host, r.port, r.proto};
}

// IANA's three ranges (RFC 6335).
enum class PortRange : std::uint8_t { well_known, registered, dynamic };
constexpr PortRange range_of(std::uint16_t port) {
    return port <= 1023 ? PortRange::well_known : port <= 49151 ? PortRange::registered : PortRange::dynamic;
}
std::string_view to_string(PortRange r);

}  // namespace ghostport::core
