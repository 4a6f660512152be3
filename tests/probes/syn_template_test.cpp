// SPDX-License-Identifier: GPL-2.0-or-later
// SYN templates: hand-written golden probes, checksums that verify, and patching equal to building afresh.
#include "probes/syn_template.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "probes/checksum.hpp"
#include "probes/reply.hpp"
#include "probes/tcp_flags.hpp"

namespace gp = ghostport::probes;
using ghostport::core::Address;
using ghostport::core::Family;
using Bytes = std::vector<std::uint8_t>;

namespace {

Address addr(const char* text) {
    return *Address::parse(text);
}

Bytes to_vector(std::span<const std::uint8_t> s) {
    return Bytes(s.begin(), s.end());
}

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

// An independent builder: every field written from the RFC layouts, both checksums computed in full.
Bytes build_from_scratch(const Address& src, const Address& dst, std::uint16_t sport, std::uint16_t dport,
                         std::uint32_t seq, std::uint16_t ip_id, const gp::SynOptions& o = {}) {
    Bytes tcp{static_cast<std::uint8_t>(sport >> 8),
              static_cast<std::uint8_t>(sport),
              static_cast<std::uint8_t>(dport >> 8),
              static_cast<std::uint8_t>(dport),
              static_cast<std::uint8_t>(seq >> 24),
              static_cast<std::uint8_t>(seq >> 16),
              static_cast<std::uint8_t>(seq >> 8),
              static_cast<std::uint8_t>(seq),
              0,
              0,
              0,
              0,  // ack
              0x60,
              0x02,  // data offset 6, SYN
              static_cast<std::uint8_t>(o.window >> 8),
              static_cast<std::uint8_t>(o.window),
              0,
              0,
              0,
              0,  // checksum, urgent pointer
              2,
              4,
              0,
              0};  // MSS option
    put16(tcp, 22, o.mss ? o.mss : (src.is_v4() ? 1460 : 1440));
    put16(tcp, 16, gp::internet_checksum(tcp, gp::pseudo_header_sum(src, dst, 6, 24)));
    if (!src.is_v4()) return tcp;
    Bytes ip{0x45,
             0,
             0,
             44,
             static_cast<std::uint8_t>(ip_id >> 8),
             static_cast<std::uint8_t>(ip_id),
             static_cast<std::uint8_t>(o.dont_fragment ? 0x40 : 0),
             0,
             o.ttl,
             6,
             0,
             0};
    ip.insert(ip.end(), src.bytes.begin(), src.bytes.begin() + 4);
    ip.insert(ip.end(), dst.bytes.begin(), dst.bytes.begin() + 4);
    put16(ip, 10, gp::internet_checksum(ip));
    ip.insert(ip.end(), tcp.begin(), tcp.end());
    return ip;
}

Address random_address(std::mt19937& rng, Family family) {
    if (family == Family::v4) return Address::from_v4(0xc6120000u | (rng() & 0x1ffffu));  // 198.18.0.0/15
    Address a = addr("2001:2::");                                                         // 2001:2::/48
    for (std::size_t i = 6; i < 16; ++i) a.bytes[i] = static_cast<std::uint8_t>(rng());
    return a;
}

}  // namespace

TEST(SynTemplate, GoldenIpv4Probe) {
    const gp::SynTemplate t(addr("198.18.0.1"));
    gp::SynBuffer buffer{};
    const auto probe = t.patch(buffer, addr("198.19.7.42"), 40000, 443, 0x12345678, 0xbeef);
    const Bytes golden{
        // IPv4 header (RFC 791 §3.1)
        0x45, 0x00,              // version 4, IHL 5 (20 bytes); DSCP 0, ECN 0
        0x00, 0x2c,              // total length 44 = 20 + 24
        0xbe, 0xef,              // identification 0xbeef
        0x40, 0x00,              // flags 010 (DF), fragment offset 0
        0x40, 0x06,              // TTL 64, protocol 6 (TCP)
        0xe8, 0x8b,              // header checksum: ~fold(4500+002c+beef+4000+4006+c612+0001+c613+072a)
        0xc6, 0x12, 0x00, 0x01,  // source 198.18.0.1
        0xc6, 0x13, 0x07, 0x2a,  // destination 198.19.7.42
        // TCP header (RFC 9293 §3.1)
        0x9c, 0x40, 0x01, 0xbb,  // source port 40000, destination port 443
        0x12, 0x34, 0x56, 0x78,  // sequence number (the cookie)
        0x00, 0x00, 0x00, 0x00,  // acknowledgment number 0 (ACK clear)
        0x60, 0x02,              // data offset 6 (24 bytes), flags SYN
        0xfa, 0xf0,              // window 64240
        0x03, 0x3d,              // checksum over pseudo-header (c612 0001 c613 072a 0006 0018) and segment
        0x00, 0x00,              // urgent pointer 0
        0x02, 0x04, 0x05, 0xb4,  // option: kind 2 (MSS), length 4, 1460
    };
    EXPECT_EQ(to_vector(probe), golden);
    EXPECT_EQ(probe.data(), buffer.data());
    EXPECT_EQ(t.size(), 44u);
}

TEST(SynTemplate, GoldenIpv6Probe) {
    const gp::SynTemplate t(addr("2001:2::1"));
    gp::SynBuffer buffer{};
    const auto probe = t.patch(buffer, addr("2001:2:0:1::42"), 40000, 22, 0xdeadbeef);
    const Bytes golden{
        // TCP header only: the kernel writes the IPv6 header for an AF_INET6/IPPROTO_TCP raw socket.
        0x9c, 0x40, 0x00, 0x16,  // source port 40000, destination port 22
        0xde, 0xad, 0xbe, 0xef,  // sequence number (the cookie)
        0x00, 0x00, 0x00, 0x00,  // acknowledgment number 0
        0x60, 0x02,              // data offset 6, flags SYN
        0xfa, 0xf0,              // window 64240
        0x23, 0x0c,              // checksum including the IPv6 pseudo-header (RFC 8200 §8.1):
                                 // 2001+0002+0001 (src) + 2001+0002+0001+0042 (dst) + 0018 (length) + 0006
        0x00, 0x00,              // urgent pointer 0
        0x02, 0x04, 0x05, 0xa0,  // option: MSS 1440 (1500 - 40 - 20)
    };
    EXPECT_EQ(to_vector(probe), golden);
    EXPECT_EQ(t.size(), 24u);
}

TEST(SynTemplate, TemplateIsTheProbeForTheUnspecifiedDestination) {
    for (const char* src : {"198.18.0.1", "2001:2::1"}) {
        const gp::SynTemplate t(addr(src));
        Address zero;
        zero.family = t.family();
        EXPECT_EQ(to_vector(t.bytes()), build_from_scratch(t.source(), zero, 0, 0, 0, 0)) << src;
    }
}

TEST(SynTemplate, ChecksumsVerifyByFullRecompute) {
    std::mt19937 rng(44);
    for (Family family : {Family::v4, Family::v6}) {
        const Address src = random_address(rng, family);
        const gp::SynTemplate t(src);
        gp::SynBuffer buffer{};
        for (int i = 0; i < 1000; ++i) {
            const Address dst = random_address(rng, family);
            const auto probe =
                t.patch(buffer, dst, static_cast<std::uint16_t>(rng()), static_cast<std::uint16_t>(rng()),
                        static_cast<std::uint32_t>(rng()), static_cast<std::uint16_t>(rng()));
            ASSERT_EQ(probe.size(), t.size());
            auto tcp = probe;
            if (family == Family::v4) {
                ASSERT_EQ(gp::internet_checksum(probe.first(20)), 0) << "IPv4 header checksum";
                tcp = probe.subspan(20);
            }
            ASSERT_EQ(gp::internet_checksum(tcp, gp::pseudo_header_sum(src, dst, 6, 24)), 0)
                << "TCP checksum";
        }
    }
}

TEST(SynTemplate, PatchingManyTargetsEqualsBuildingFromScratch) {
    std::mt19937 rng(2024);
    for (Family family : {Family::v4, Family::v6}) {
        const Address src = random_address(rng, family);
        const gp::SynTemplate t(src);
        // A sendmmsg-style batch: each buffer is patched repeatedly, in any order, with no stale bytes
        // showing.
        std::vector<gp::SynBuffer> batch(16);
        for (auto& b : batch) b.fill(0xa5);
        for (int i = 0; i < 4000; ++i) {
            const Address dst = random_address(rng, family);
            const auto sport = static_cast<std::uint16_t>(rng()), dport = static_cast<std::uint16_t>(rng());
            const auto seq = static_cast<std::uint32_t>(rng());
            const auto id = static_cast<std::uint16_t>(rng());
            auto& buffer = batch[rng() % batch.size()];
            ASSERT_EQ(to_vector(t.patch(buffer, dst, sport, dport, seq, id)),
                      build_from_scratch(src, dst, sport, dport, seq, id))
                << dst.to_string() << " " << sport << " " << dport << " " << seq;
        }
    }
}

TEST(SynTemplate, ExtremeFieldValues) {
    // All-zero and all-one words make the one's-complement edge cases (0x0000 vs 0xffff) show up.
    for (const char* src : {"198.18.0.1", "2001:2::1"}) {
        const gp::SynTemplate t(addr(src));
        const bool v4 = t.family() == Family::v4;
        const Address low = addr(v4 ? "198.18.0.0" : "2001:2::"),
                      high = addr(v4 ? "198.19.255.255" : "2001:2:0:ffff:ffff:ffff:ffff:ffff");
        gp::SynBuffer buffer{};
        for (const Address& dst : {low, high})
            for (std::uint16_t port : {std::uint16_t{0}, std::uint16_t{0xffff}})
                for (std::uint32_t seq : {0u, 0xffffffffu})
                    for (std::uint16_t id : {std::uint16_t{0}, std::uint16_t{0xffff}})
                        EXPECT_EQ(to_vector(t.patch(buffer, dst, port, port, seq, id)),
                                  build_from_scratch(t.source(), dst, port, port, seq, id))
                            << src << " " << dst.to_string() << " " << port << " " << seq << " " << id;
    }
}

TEST(SynTemplate, WrongFamilyWritesNothing) {
    const gp::SynTemplate t(addr("198.18.0.1"));
    gp::SynBuffer buffer;
    buffer.fill(0x5a);
    EXPECT_TRUE(t.patch(buffer, addr("2001:2::1"), 1, 2, 3).empty());
    for (std::uint8_t b : buffer) EXPECT_EQ(b, 0x5a);
    const gp::SynTemplate t6(addr("2001:2::1"));
    EXPECT_TRUE(t6.patch(buffer, addr("198.18.0.1"), 1, 2, 3).empty());
}

TEST(SynTemplate, OptionsAreHonoured) {
    gp::SynOptions o;
    o.ttl = 200;
    o.window = 1024;
    o.mss = 536;
    o.dont_fragment = false;
    const Address src = addr("198.18.0.1"), dst = addr("198.19.7.42");
    const gp::SynTemplate t(src, o);
    gp::SynBuffer buffer{};
    const Bytes probe = to_vector(t.patch(buffer, dst, 1234, 80, 42, 7));
    EXPECT_EQ(probe, build_from_scratch(src, dst, 1234, 80, 42, 7, o));
    EXPECT_EQ(probe[6], 0x00) << "DF clear";
    EXPECT_EQ(probe[8], 200);
    EXPECT_EQ(probe[34], 0x04);  // window 1024
    EXPECT_EQ(probe[35], 0x00);
    EXPECT_EQ(probe[42], 0x02);  // MSS 536
    EXPECT_EQ(probe[43], 0x18);

    const gp::SynTemplate t6(addr("2001:2::1"), o);
    const Bytes probe6 = to_vector(t6.patch(buffer, addr("2001:2::2"), 1234, 80, 42));
    EXPECT_EQ(probe6, build_from_scratch(addr("2001:2::1"), addr("2001:2::2"), 1234, 80, 42, 0, o));
}

TEST(SynTemplate, ProbesParseBackAsSyns) {
    gp::SynBuffer buffer{};
    const gp::SynTemplate t(addr("198.18.0.1"));
    const auto parsed = gp::parse_reply(t.patch(buffer, addr("198.19.7.42"), 40000, 443, 0x12345678, 1),
                                        gp::LinkType::raw_ip);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->src, addr("198.18.0.1"));
    EXPECT_EQ(parsed->dst, addr("198.19.7.42"));
    EXPECT_EQ(parsed->sport, 40000);
    EXPECT_EQ(parsed->dport, 443);
    EXPECT_EQ(parsed->seq, 0x12345678u);
    EXPECT_EQ(parsed->flags, gp::tcp_flag::syn);
    EXPECT_EQ(parsed->window, 64240);
    EXPECT_EQ(parsed->ttl, 64);

    // IPv6: put the IPv6 header the kernel would write in front of the TCP header.
    const gp::SynTemplate t6(addr("2001:2::1"));
    const Address dst6 = addr("2001:2::99");
    const auto tcp = t6.patch(buffer, dst6, 40000, 22, 0xdeadbeef);
    Bytes packet{0x60, 0, 0, 0, 0, 24, 6, 64};  // version 6, payload length 24, next header TCP, hop limit 64
    packet.insert(packet.end(), t6.source().bytes.begin(), t6.source().bytes.end());
    packet.insert(packet.end(), dst6.bytes.begin(), dst6.bytes.end());
    packet.insert(packet.end(), tcp.begin(), tcp.end());
    const auto parsed6 = gp::parse_reply(packet, gp::LinkType::raw_ip);
    ASSERT_TRUE(parsed6);
    EXPECT_EQ(parsed6->dst, dst6);
    EXPECT_EQ(parsed6->seq, 0xdeadbeefu);
    EXPECT_EQ(parsed6->dport, 22);
}
