// SPDX-License-Identifier: GPL-2.0-or-later
// The Internet checksum (RFC 1071), its incremental update (RFC 1624) and the TCP pseudo-header sums.
#include "probes/checksum.hpp"

#include <cstddef>

namespace ghostport::probes {
namespace {

// Folds carries back into the low 16 bits (end-around carry) until none is left.
constexpr std::uint16_t fold(std::uint64_t sum) {
    while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

}  // namespace

std::uint16_t ones_complement_sum(std::span<const std::uint8_t> data, std::uint16_t initial) noexcept {
    std::uint64_t sum = initial;
    const std::size_t even = data.size() & ~std::size_t{1};
    for (std::size_t i = 0; i < even; i += 2) sum += (std::uint32_t{data[i]} << 8) | data[i + 1];
    if (even != data.size()) sum += std::uint32_t{data[even]} << 8;
    return fold(sum);
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint16_t initial) noexcept {
    return static_cast<std::uint16_t>(~ones_complement_sum(data, initial));
}

std::uint16_t checksum_update16(std::uint16_t checksum, std::uint16_t old_value,
                                std::uint16_t new_value) noexcept {
    const std::uint64_t sum = std::uint16_t(~checksum) + std::uint16_t(~old_value) + std::uint64_t{new_value};
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint16_t checksum_update32(std::uint16_t checksum, std::uint32_t old_value,
                                std::uint32_t new_value) noexcept {
    const std::uint64_t sum = std::uint16_t(~checksum) + std::uint16_t(~(old_value >> 16)) +
                              std::uint16_t(~old_value) + (new_value >> 16) + (new_value & 0xFFFFu);
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint16_t checksum_update(std::uint16_t checksum, std::span<const std::uint8_t> old_bytes,
                              std::span<const std::uint8_t> new_bytes) noexcept {
    // The complement of a sum is the sum of the complements in one's-complement arithmetic, so
    // ~HC + sum(~m_i) + sum(m'_i) = ~HC + ~sum(m_i) + sum(m'_i).
    const std::uint64_t sum = std::uint16_t(~checksum) + std::uint16_t(~ones_complement_sum(old_bytes)) +
                              std::uint64_t{ones_complement_sum(new_bytes)};
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint16_t pseudo_header_sum(const core::Address& src, const core::Address& dst, std::uint8_t protocol,
                                std::uint32_t upper_length) noexcept {
    const std::size_t n = src.is_v4() ? 4 : 16;
    std::uint64_t sum = ones_complement_sum(std::span(src.bytes).first(n));
    sum += ones_complement_sum(std::span(dst.bytes).first(n));
    // IPv4: zero, protocol, 16-bit length. IPv6: 32-bit length, three zero bytes, next header.
    // Both place the protocol in the low byte of a 16-bit word, so the sums only differ in the length.
    sum += protocol;
    sum += (upper_length >> 16) + (upper_length & 0xFFFFu);
    return fold(sum);
}

}  // namespace ghostport::probes
