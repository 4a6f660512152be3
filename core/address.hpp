// SPDX-License-Identifier: GPL-2.0-or-later
// An IPv4 or IPv6 address as a plain value: 16 bytes plus a family, ordered and hashable.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ghostport::core {

enum class Family : std::uint8_t { v4, v6 };

struct Address {
    Family family = Family::v4;
    // Network byte order. IPv4 uses bytes[0..3]; the rest stay zero.
    std::array<std::uint8_t, 16> bytes{};

    static Address from_v4(std::uint32_t host_order);
    // Parses a literal ("198.18.0.1", "2001:2::1"); nullopt when it is not one.
    static std::optional<Address> parse(std::string_view text);

    std::uint32_t v4() const;  // host byte order; only for Family::v4
    std::string to_string() const;
    bool is_v4() const { return family == Family::v4; }

    auto operator<=>(const Address&) const = default;
};

}  // namespace ghostport::core
