// SPDX-License-Identifier: GPL-2.0-or-later
// The TCP header's control bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR), as the byte at header offset 13.
#pragma once

#include <cstdint>

namespace ghostport::probes::tcp_flag {

inline constexpr std::uint8_t fin = 0x01;
inline constexpr std::uint8_t syn = 0x02;
inline constexpr std::uint8_t rst = 0x04;
inline constexpr std::uint8_t psh = 0x08;
inline constexpr std::uint8_t ack = 0x10;
inline constexpr std::uint8_t urg = 0x20;
inline constexpr std::uint8_t ece = 0x40;
inline constexpr std::uint8_t cwr = 0x80;

}  // namespace ghostport::probes::tcp_flag
