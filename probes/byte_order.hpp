// SPDX-License-Identifier: GPL-2.0-or-later
// Internal: big-endian loads and stores on packet bytes, for callers that have already checked the bounds.
#pragma once

#include <cstdint>

namespace ghostport::probes::detail {

// Reads the big-endian 16-bit value at p[0..1]; p must point at two readable bytes.
constexpr std::uint16_t load_be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

// Reads the big-endian 32-bit value at p[0..3]; p must point at four readable bytes.
constexpr std::uint32_t load_be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

// Reads the little-endian 32-bit value at p[0..3]; p must point at four readable bytes.
constexpr std::uint32_t load_le32(const std::uint8_t* p) {
    return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
           std::uint32_t{p[0]};
}

// Writes v big-endian into p[0..1]; p must point at two writable bytes.
constexpr void store_be16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}

// Writes v big-endian into p[0..3]; p must point at four writable bytes.
constexpr void store_be32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace ghostport::probes::detail
