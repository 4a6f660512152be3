// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 1071 checksum vectors, pseudo-header sums, and RFC 1624 incremental updates against full recomputes.
#include "probes/checksum.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "core/address.hpp"

namespace gp = ghostport::probes;
using ghostport::core::Address;

namespace {

std::uint16_t be16(const std::vector<std::uint8_t>& b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

}  // namespace

TEST(Checksum, Rfc1071Example) {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 2ddf0, folded ddf2; the checksum is its complement.
    const std::array<std::uint8_t, 8> data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    EXPECT_EQ(gp::ones_complement_sum(data), 0xddf2);
    EXPECT_EQ(gp::internet_checksum(data), 0x220d);
}

TEST(Checksum, OddLengthPadsWithZeroOnTheRight) {
    const std::array<std::uint8_t, 1> one{0xab};
    EXPECT_EQ(gp::ones_complement_sum(one), 0xab00);
    const std::array<std::uint8_t, 3> three{0x00, 0x01, 0xf2};
    EXPECT_EQ(gp::ones_complement_sum(three), 0xf201);
    EXPECT_EQ(gp::ones_complement_sum(std::span<const std::uint8_t>{}), 0);
    EXPECT_EQ(gp::internet_checksum(std::span<const std::uint8_t>{}), 0xffff);
}

TEST(Checksum, Ipv4HeaderByHand) {
    // 4500 002c beef 4000 4006 [0000] c612 0001 c613 072a: 198.18.0.1 -> 198.19.7.42, TTL 64, TCP, DF.
    // Sum 31771, folded 1774, complement e88b.
    std::array<std::uint8_t, 20> header{0x45, 0x00, 0x00, 0x2c, 0xbe, 0xef, 0x40, 0x00, 0x40, 0x06,
                                        0x00, 0x00, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x13, 0x07, 0x2a};
    EXPECT_EQ(gp::internet_checksum(header), 0xe88b);
    header[10] = 0xe8;
    header[11] = 0x8b;
    EXPECT_EQ(gp::internet_checksum(header), 0) << "a header with its right checksum sums to 0xffff";
}

TEST(Checksum, InitialContinuesASum) {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        std::vector<std::uint8_t> a(2 * (rng() % 20)), b(rng() % 41);
        for (auto& x : a) x = static_cast<std::uint8_t>(rng());
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        std::vector<std::uint8_t> ab = a;
        ab.insert(ab.end(), b.begin(), b.end());
        EXPECT_EQ(gp::ones_complement_sum(b, gp::ones_complement_sum(a)), gp::ones_complement_sum(ab));
        EXPECT_EQ(gp::internet_checksum(b, gp::ones_complement_sum(a)), gp::internet_checksum(ab));
    }
}

TEST(Checksum, PseudoHeaderV4MatchesItsBytes) {
    const Address src = *Address::parse("198.18.0.1"), dst = *Address::parse("198.19.7.42");
    // src(4) dst(4) zero protocol length(2)
    const std::array<std::uint8_t, 12> bytes{0xc6, 0x12, 0x00, 0x01, 0xc6, 0x13,
                                             0x07, 0x2a, 0x00, 0x06, 0x00, 0x18};
    EXPECT_EQ(gp::pseudo_header_sum(src, dst, 6, 24), gp::ones_complement_sum(bytes));
    EXPECT_EQ(gp::pseudo_header_sum(src, dst, 6, 24), 0x936f);  // c612+0001+c613+072a+0006+0018 = 1936e
}

TEST(Checksum, PseudoHeaderV6MatchesItsBytes) {
    const Address src = *Address::parse("2001:2::1"), dst = *Address::parse("2001:2:0:1::42");
    // src(16) dst(16) length(4) zero(3) next header(1), RFC 8200 §8.1
    std::vector<std::uint8_t> bytes(src.bytes.begin(), src.bytes.end());
    bytes.insert(bytes.end(), dst.bytes.begin(), dst.bytes.end());
    for (std::uint8_t b : {0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x06})
        bytes.push_back(b);  // length 0x10203
    EXPECT_EQ(gp::pseudo_header_sum(src, dst, 6, 0x10203), gp::ones_complement_sum(bytes));
}

TEST(Checksum, Rfc1624Example) {
    // RFC 1624 §4: the other words sum to cd7a, m = 5555 -> m' = 3285. HC = ~(cd7a + 5555) = dd2f, and the
    // recomputed checksum is ~(cd7a + 3285) = ~ffff = 0000. Equation 3 gets 0000 (RFC 1141's gave ffff).
    EXPECT_EQ(gp::checksum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
    EXPECT_EQ(gp::checksum_update32(0xdd2f, 0x00005555, 0x00003285), 0x0000);
}

TEST(Checksum, IncrementalEqualsFullRecomputeOverRandomPatches) {
    std::mt19937 rng(1624);
    for (int round = 0; round < 20000; ++round) {
        std::vector<std::uint8_t> data(2 * (4 + rng() % 30));
        for (auto& x : data) x = static_cast<std::uint8_t>(rng());
        if (round % 7 == 0) std::fill(data.begin(), data.begin() + 8, 0xff);  // runs of ffff words
        std::uint16_t checksum = gp::internet_checksum(data);
        const std::size_t words = data.size() / 2;
        const std::size_t at = 2 * (rng() % (words - 1));  // room for 32 bits
        switch (round % 3) {
            case 0: {
                const std::uint16_t old_value = be16(data, at);
                const std::uint16_t new_value = round % 11 == 0 ? 0xffff : static_cast<std::uint16_t>(rng());
                data[at] = static_cast<std::uint8_t>(new_value >> 8);
                data[at + 1] = static_cast<std::uint8_t>(new_value);
                checksum = gp::checksum_update16(checksum, old_value, new_value);
                break;
            }
            case 1: {
                const std::uint32_t old_value = (std::uint32_t{be16(data, at)} << 16) | be16(data, at + 2);
                const std::uint32_t new_value = round % 13 == 0 ? 0 : static_cast<std::uint32_t>(rng());
                for (int i = 0; i < 4; ++i)
                    data[at + i] = static_cast<std::uint8_t>(new_value >> (24 - 8 * i));
                checksum = gp::checksum_update32(checksum, old_value, new_value);
                break;
            }
            default: {
                const std::size_t length = 2 * (1 + rng() % (words - at / 2));
                const std::vector<std::uint8_t> old_bytes(data.begin() + at, data.begin() + at + length);
                std::vector<std::uint8_t> new_bytes(length);
                for (auto& x : new_bytes) x = static_cast<std::uint8_t>(rng());
                std::copy(new_bytes.begin(), new_bytes.end(), data.begin() + at);
                checksum = gp::checksum_update(checksum, old_bytes, new_bytes);
                break;
            }
        }
        ASSERT_EQ(checksum, gp::internet_checksum(data)) << "round " << round;
    }
}

TEST(Checksum, ChainedUpdatesStayExact) {
    // Many successive updates of one buffer never drift from the full recompute.
    std::mt19937 rng(99);
    std::vector<std::uint8_t> data(44);
    for (auto& x : data) x = static_cast<std::uint8_t>(rng());
    std::uint16_t checksum = gp::internet_checksum(data);
    for (int i = 0; i < 5000; ++i) {
        const std::size_t at = 2 * (rng() % 22);
        const std::uint16_t old_value = be16(data, at), new_value = static_cast<std::uint16_t>(rng());
        data[at] = static_cast<std::uint8_t>(new_value >> 8);
        data[at + 1] = static_cast<std::uint8_t>(new_value);
        checksum = gp::checksum_update16(checksum, old_value, new_value);
    }
    EXPECT_EQ(checksum, gp::internet_checksum(data));
}
