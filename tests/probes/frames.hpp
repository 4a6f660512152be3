// SPDX-License-Identifier: GPL-2.0-or-later
// Test helpers shared by the tests of the frame parsers (ip_frame, reply, discovery_packets): hex literals,
// addresses, byte access, and builders for IPv4 and IPv6 packets and the link-layer framing around them.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "probes/ip_frame.hpp"

namespace frames {

using Bytes = std::vector<std::uint8_t>;
using ghostport::core::Address;
using ghostport::probes::LinkType;

// Bytes from hex digits; whitespace between them is ignored.
inline Bytes from_hex(std::string_view text) {
    Bytes out;
    int high = -1;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) continue;
        const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    EXPECT_EQ(high, -1) << "odd number of hex digits";
    return out;
}

inline Address addr(const char* text) {
    return *Address::parse(text);
}

inline std::uint16_t be16(const Bytes& b, std::size_t at) {
    return static_cast<std::uint16_t>(b.at(at) << 8 | b.at(at + 1));
}
inline std::uint32_t be32(const Bytes& b, std::size_t at) {
    return std::uint32_t{be16(b, at)} << 16 | be16(b, at + 2);
}
inline void put16(Bytes& b, std::size_t at, std::uint16_t v) {
    b.at(at) = static_cast<std::uint8_t>(v >> 8);
    b.at(at + 1) = static_cast<std::uint8_t>(v);
}
inline void put32(Bytes& b, std::size_t at, std::uint32_t v) {
    put16(b, at, static_cast<std::uint16_t>(v >> 16));
    put16(b, at + 2, static_cast<std::uint16_t>(v));
}

// An independent RFC 1071 sum: 32-bit accumulation of big-endian words, folded at the end.
inline std::uint16_t naive_sum(const Bytes& data) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 2)
        sum += static_cast<std::uint32_t>(data[i] << 8) | (i + 1 < data.size() ? data[i + 1] : 0);
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

// An IPv4 packet (IHL 5, DF, TTL 64, header checksum right) carrying `payload` of `protocol`.
inline Bytes ipv4(const Address& src, const Address& dst, std::uint8_t protocol, const Bytes& payload) {
    Bytes p = from_hex("4500 0000 1234 4000 40 00 0000 00000000 00000000");
    p[9] = protocol;
    put16(p, 2, static_cast<std::uint16_t>(20 + payload.size()));
    std::copy_n(src.bytes.begin(), 4, p.begin() + 12);
    std::copy_n(dst.bytes.begin(), 4, p.begin() + 16);
    put16(p, 10, static_cast<std::uint16_t>(~naive_sum(p)));
    p.insert(p.end(), payload.begin(), payload.end());
    return p;
}

// An IPv6 packet (hop limit 64) whose header names `next` and carries `payload`.
inline Bytes ipv6(const Address& src, const Address& dst, std::uint8_t next, const Bytes& payload) {
    Bytes p = from_hex("60000000 0000 00 40");
    p[6] = next;
    put16(p, 4, static_cast<std::uint16_t>(payload.size()));
    p.insert(p.end(), src.bytes.begin(), src.bytes.end());
    p.insert(p.end(), dst.bytes.begin(), dst.bytes.end());
    p.insert(p.end(), payload.begin(), payload.end());
    return p;
}

// An IPv6 RST from [2001:2::99]:80 to [2001:2::1]:40000 behind `count` destination options headers.
inline Bytes v6_with_destination_options(std::size_t count) {
    Bytes payload;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t next = i + 1 < count ? 60 : 6;
        for (std::uint8_t b : {next, std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{4}, std::uint8_t{0},
                               std::uint8_t{0}, std::uint8_t{0}, std::uint8_t{0}})
            payload.push_back(b);
    }
    const Bytes tcp = from_hex("0050 9c40 00000000 00000001 5014 0000 0000 0000");
    payload.insert(payload.end(), tcp.begin(), tcp.end());
    return ipv6(addr("2001:2::99"), addr("2001:2::1"), count ? 60 : 6, payload);
}

// `packet` framed for `link`: Ethernet and SLL with the EtherType of its version, SLL2 likewise, BSD
// loopback with AF_INET (2) or Linux's AF_INET6 (10) in little-endian order.
inline Bytes frame(const Bytes& packet, LinkType link) {
    const bool v4 = (packet.at(0) >> 4) == 4;
    const Bytes ethertype = v4 ? from_hex("0800") : from_hex("86dd");
    Bytes out;
    switch (link) {
        case LinkType::ethernet:
            out = from_hex("020000000001 020000000002");
            out.insert(out.end(), ethertype.begin(), ethertype.end());
            break;
        case LinkType::linux_sll:
            out = from_hex("0000 0001 0006 020000000002 0000");
            out.insert(out.end(), ethertype.begin(), ethertype.end());
            break;
        case LinkType::linux_sll2:
            out = ethertype;
            for (auto b : from_hex("0000 00000002 0001 00 06 020000000002 0000")) out.push_back(b);
            break;
        case LinkType::raw_ip:
            break;
        case LinkType::null_loop:
            out = v4 ? from_hex("02000000") : from_hex("0a000000");
            break;
    }
    out.insert(out.end(), packet.begin(), packet.end());
    return out;
}

inline constexpr LinkType all_links[] = {LinkType::ethernet, LinkType::linux_sll, LinkType::linux_sll2,
                                         LinkType::raw_ip, LinkType::null_loop};

}  // namespace frames
