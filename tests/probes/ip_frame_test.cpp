// SPDX-License-Identifier: GPL-2.0-or-later
// Locating the IP packet in a captured frame: every link type, the located fields and payload, every
// truncation, each IPv4/IPv6 header check and the extension-header walk, and random frames whose located
// payload must always lie inside the frame.
#include "probes/ip_frame.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "frames.hpp"

namespace gp = ghostport::probes;
using gp::LinkType;
using namespace frames;

namespace {

const Address host4 = addr("198.18.0.10"), us4 = addr("198.18.0.1");
const Address host6 = addr("2001:2::10"), us6 = addr("2001:2::1");

// Located fields, with the payload copied out of the frame (and checked to lie inside it).
struct Located {
    Address src;
    Address dst;
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    Bytes payload;

    bool operator==(const Located&) const = default;
};

// Locates the packet in a copy of `frame` that is exactly as long as it, so a read past the end is a heap
// overflow that the sanitizers would catch.
std::optional<Located> locate(const Bytes& frame, LinkType link) {
    const Bytes copy(frame);
    const auto ip = gp::locate_ip_packet(copy, link);
    if (!ip) return std::nullopt;
    const std::uint8_t* begin = copy.data();
    const std::uint8_t* end = begin + copy.size();
    EXPECT_TRUE(ip->payload.empty() ||
                (ip->payload.data() >= begin && ip->payload.data() + ip->payload.size() <= end));
    EXPECT_EQ(ip->src.family, ip->dst.family);
    return Located{ip->src, ip->dst, ip->ttl, ip->protocol, Bytes(ip->payload.begin(), ip->payload.end())};
}

// An arbitrary upper-layer message: the locator never looks into it.
const Bytes message = from_hex("0102 0304 0506 0708 090a");

// IPv4 with a 4-byte option block (IHL 6) and TTL 57, carrying `message` as UDP.
Bytes v4_with_options() {
    Bytes p = ipv4(host4, us4, 17, message);
    p.insert(p.begin() + 20, {0x01, 0x01, 0x01, 0x00});  // NOP NOP NOP EOL
    p[0] = 0x46;
    p[8] = 57;
    put16(p, 2, static_cast<std::uint16_t>(p.size()));
    return p;
}

// Hop-by-hop, destination options, routing and an atomic fragment header (offsets 40, 48, 56, 64 in the
// packet), then `message` as UDP at 72; hop limit 52.
Bytes v6_chain() {
    Bytes p = ipv6(host6, us6, 0,
                   from_hex("3c 00 0104 00000000"     // hop-by-hop: next 60, PadN
                            "2b 00 0104 00000000"     // destination options: next 43, PadN
                            "2c 00 fd 00 00000000"    // routing: next 44, type 253, segments left 0
                            "11 00 0000 00001234"));  // fragment: next 17 (UDP), offset 0, M clear
    p.insert(p.end(), message.begin(), message.end());
    put16(p, 4, static_cast<std::uint16_t>(p.size() - 40));
    p[7] = 52;
    return p;
}

Located expected(const Address& src, const Address& dst, std::uint8_t ttl, std::uint8_t protocol) {
    return {src, dst, ttl, protocol, message};
}

}  // namespace

TEST(IpFrame, LinkTypesFromDlt) {
    EXPECT_EQ(gp::link_type_from_dlt(0), LinkType::null_loop);
    EXPECT_EQ(gp::link_type_from_dlt(1), LinkType::ethernet);
    EXPECT_EQ(gp::link_type_from_dlt(12), LinkType::raw_ip);
    EXPECT_EQ(gp::link_type_from_dlt(108), LinkType::null_loop);
    EXPECT_EQ(gp::link_type_from_dlt(113), LinkType::linux_sll);
    EXPECT_EQ(gp::link_type_from_dlt(228), LinkType::raw_ip);
    EXPECT_EQ(gp::link_type_from_dlt(229), LinkType::raw_ip);
    EXPECT_EQ(gp::link_type_from_dlt(276), LinkType::linux_sll2);
    for (int other : {-1, 2, 9, 105, 127, 147, 1000}) EXPECT_FALSE(gp::link_type_from_dlt(other)) << other;
}

TEST(IpFrame, LocatesThePacketOnEveryLinkType) {
    for (LinkType link : all_links) {
        const int l = static_cast<int>(link);
        EXPECT_EQ(locate(frame(v4_with_options(), link), link), expected(host4, us4, 57, 17)) << l;
        EXPECT_EQ(locate(frame(v6_chain(), link), link), expected(host6, us6, 52, 17)) << l;
        // Any protocol is located; judging it is the caller's business.
        for (std::uint8_t protocol : {1, 6, 58, 132}) {
            const auto v4 = locate(frame(ipv4(host4, us4, protocol, message), link), link);
            ASSERT_TRUE(v4) << l;
            EXPECT_EQ(*v4, expected(host4, us4, 64, protocol));
            const auto v6 = locate(frame(ipv6(host6, us6, protocol, message), link), link);
            ASSERT_TRUE(v6) << l;
            EXPECT_EQ(*v6, expected(host6, us6, 64, protocol));
        }
    }
}

TEST(IpFrame, TruncationsAreRejectedAndTrailingBytesIgnored) {
    for (LinkType link : all_links) {
        for (const Bytes& packet : {v4_with_options(), v6_chain()}) {
            const Bytes f = frame(packet, link);
            for (std::size_t n = 0; n < f.size(); ++n)
                EXPECT_FALSE(locate(Bytes(f.begin(), f.begin() + static_cast<long>(n)), link))
                    << "link " << static_cast<int>(link) << " cut to " << n;
            Bytes padded = f;  // Ethernet padding: the IP lengths, not the capture, bound the packet
            padded.resize(f.size() + 6, 0xee);
            EXPECT_EQ(locate(padded, link), locate(f, link));
        }
    }
}

TEST(IpFrame, Ipv4HeaderChecks) {
    const Bytes good = v4_with_options();  // IHL 6, total 34
    ASSERT_TRUE(locate(good, LinkType::raw_ip));
    for (std::uint8_t ihl : {0, 1, 4, 9, 15}) {  // below 5, or past the total length
        Bytes bad = good;
        bad[0] = static_cast<std::uint8_t>(0x40 | ihl);
        EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << "IHL " << int{ihl};
    }
    for (std::uint16_t total : {0, 20, 23, 35, 0xffff}) {  // shorter than the header, or past the capture
        Bytes bad = good;
        put16(bad, 2, total);
        EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << "total " << total;
    }
    Bytes empty_payload = good;  // a total length of exactly the header leaves an empty message
    put16(empty_payload, 2, 24);
    const auto located = locate(empty_payload, LinkType::raw_ip);
    ASSERT_TRUE(located);
    EXPECT_TRUE(located->payload.empty());
    for (std::uint16_t frag : {0x2000, 0x0001, 0x1fff, 0x6000, 0x4001}) {  // MF, offsets, DF+MF, DF+offset
        Bytes bad = good;
        put16(bad, 6, frag);
        EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << std::hex << frag;
    }
    for (std::uint16_t flags : {0x0000, 0x8000, 0xc000}) {  // DF clear, the reserved bit: not fragments
        Bytes ok = good;
        put16(ok, 6, flags);
        EXPECT_TRUE(locate(ok, LinkType::raw_ip)) << std::hex << flags;
    }
}

TEST(IpFrame, Ipv6LengthsAndFragments) {
    const Bytes good = v6_chain();                  // payload length 42
    for (std::uint16_t length : {0, 43, 0xffff}) {  // jumbogram marker, one byte past the capture, far past
        Bytes bad = good;
        put16(bad, 4, length);
        EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << length;
    }
    for (std::uint16_t length : {1, 7, 8, 15, 31}) {  // cuts through an extension header
        Bytes bad = good;
        put16(bad, 4, length);
        EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << length;
    }
    Bytes short_message = good;  // a payload length that ends inside the message shortens it
    put16(short_message, 4, 35);
    const auto located = locate(short_message, LinkType::raw_ip);
    ASSERT_TRUE(located);
    EXPECT_EQ(located->payload, Bytes(message.begin(), message.begin() + 3));
    for (std::size_t header : {40u, 48u, 56u}) {  // a header that claims more than the payload
        for (std::uint8_t units : {5, 9, 255}) {
            Bytes bad = good;
            bad[header + 1] = units;
            EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << header << " " << int{units};
        }
    }
    for (std::uint16_t offset_and_m : {0x0001, 0x0008, 0x0009, 0xfff8}) {
        Bytes bad = good;
        put16(bad, 64 + 2, offset_and_m);
        EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << std::hex << offset_and_m;
    }
    Bytes reserved = good;
    reserved[64 + 3] = 0x06;  // the two reserved bits of an atomic fragment are ignored
    EXPECT_TRUE(locate(reserved, LinkType::raw_ip));
}

TEST(IpFrame, Ipv6ExtensionHeaderWalk) {
    for (std::size_t count = 0; count <= gp::max_extension_headers; ++count) {
        const auto located = locate(v6_with_destination_options(count), LinkType::raw_ip);
        ASSERT_TRUE(located) << count;
        EXPECT_EQ(located->protocol, 6);
        EXPECT_EQ(located->payload.size(), 20u);
    }
    for (std::size_t count : {gp::max_extension_headers + 1, std::size_t{64}, std::size_t{1000}})
        EXPECT_FALSE(locate(v6_with_destination_options(count), LinkType::raw_ip)) << count;

    const Bytes good = v6_chain();
    Bytes hop_late = good;  // hop-by-hop anywhere but first: destination options naming 0 as next
    hop_late[48] = 0;
    EXPECT_FALSE(locate(hop_late, LinkType::raw_ip));
    // Extension headers with no upper-layer message to locate behind them, first or at the chain's end.
    for (std::uint8_t next : {50, 51, 59, 135, 139, 140, 253, 254}) {
        Bytes first = good;
        first[6] = next;
        EXPECT_FALSE(locate(first, LinkType::raw_ip)) << int{next};
        Bytes last = good;
        last[64] = next;
        EXPECT_FALSE(locate(last, LinkType::raw_ip)) << int{next};
    }
    // The chain ends at the first other value, whatever it is; the payload starts after the chain.
    for (std::uint8_t next : {1, 6, 17, 58, 132, 255}) {
        Bytes ends = good;
        ends[64] = next;
        const auto located = locate(ends, LinkType::raw_ip);
        ASSERT_TRUE(located) << int{next};
        EXPECT_EQ(located->protocol, next);
        EXPECT_EQ(located->payload, message);
    }
}

TEST(IpFrame, LinkLayerMismatchesAreRejected) {
    const Bytes v4 = ipv4(host4, us4, 6, message), v6 = ipv6(host6, us6, 6, message);
    for (LinkType link : {LinkType::ethernet, LinkType::linux_sll, LinkType::linux_sll2}) {
        // The EtherType must name the packet's version, and be IPv4 or IPv6 (not ARP).
        const std::size_t type_at = link == LinkType::ethernet ? 12 : link == LinkType::linux_sll ? 14 : 0;
        Bytes swapped = frame(v4, link);
        put16(swapped, type_at, 0x86dd);
        EXPECT_FALSE(locate(swapped, link));
        swapped = frame(v6, link);
        put16(swapped, type_at, 0x0800);
        EXPECT_FALSE(locate(swapped, link));
        Bytes arp = frame(v4, link);
        put16(arp, type_at, 0x0806);
        EXPECT_FALSE(locate(arp, link));
        // One 802.1Q tag (after the link header) is stepped over; two tags, or 802.1ad, are not.
        Bytes tagged = frame(v4, link);
        const std::size_t after_type = link == LinkType::ethernet    ? 14
                                       : link == LinkType::linux_sll ? 16
                                                                     : 20;
        tagged.insert(tagged.begin() + static_cast<long>(after_type), {0x00, 0x64, 0x08, 0x00});
        put16(tagged, type_at, 0x8100);
        EXPECT_EQ(locate(tagged, link), locate(frame(v4, link), link));
        Bytes double_tag = tagged;
        double_tag.insert(double_tag.begin() + static_cast<long>(after_type) + 2, {0x81, 0x00, 0x00, 0x65});
        EXPECT_FALSE(locate(double_tag, link));
        Bytes qinq = tagged;
        put16(qinq, type_at, 0x88a8);
        EXPECT_FALSE(locate(qinq, link));
    }
    // Raw IP with a version nibble other than 4 or 6.
    for (std::uint8_t first : {0x00, 0x55, 0x75, 0xf5}) {
        Bytes bad = v4;
        bad[0] = first;
        EXPECT_FALSE(locate(bad, LinkType::raw_ip)) << int{first};
    }
}

TEST(IpFrame, LoopbackFamilies) {
    const Bytes v4 = ipv4(host4, us4, 6, message), v6 = ipv6(host6, us6, 6, message);
    auto framed = [](std::uint32_t family, bool big_endian, const Bytes& packet) {
        Bytes out(4);
        for (int i = 0; i < 4; ++i)
            out[i] = static_cast<std::uint8_t>(family >> (big_endian ? 24 - 8 * i : 8 * i));
        out.insert(out.end(), packet.begin(), packet.end());
        return out;
    };
    for (bool big_endian : {false, true}) {
        EXPECT_TRUE(locate(framed(2, big_endian, v4), LinkType::null_loop));
        for (std::uint32_t af_inet6 : {10u, 24u, 28u, 30u})
            EXPECT_TRUE(locate(framed(af_inet6, big_endian, v6), LinkType::null_loop)) << af_inet6;
        // The family must agree with the packet, and be one we know.
        EXPECT_FALSE(locate(framed(2, big_endian, v6), LinkType::null_loop));
        EXPECT_FALSE(locate(framed(30, big_endian, v4), LinkType::null_loop));
        for (std::uint32_t other : {0u, 1u, 7u, 17u})
            EXPECT_FALSE(locate(framed(other, big_endian, v4), LinkType::null_loop)) << other;
    }
}

// Random frames and mutations of good ones: never a read outside the frame (the exact-size copy), and
// whatever is located lies inside it (checked in locate).
TEST(IpFrame, RandomAndMutatedFramesAreSafe) {
    std::mt19937 rng(0x1f4a);
    std::size_t located = 0, mutated_located = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes f(rng() % 120);
        for (auto& b : f) b = static_cast<std::uint8_t>(rng());
        if (!f.empty() && i % 2) f[0] = static_cast<std::uint8_t>((i % 4 ? 0x40 : 0x60) | (f[0] & 0x0F));
        for (LinkType link : all_links) {
            // locate() checks that the payload lies inside the frame and the families agree.
            const auto packet = locate(f, link);
            if (!packet) continue;
            EXPECT_LT(packet->payload.size(), f.size());
            ++located;
        }
    }
    const Bytes goods[] = {v4_with_options(), v6_chain(), v6_with_destination_options(3)};
    for (int i = 0; i < 20000; ++i) {
        const LinkType link = all_links[rng() % 5];
        Bytes f = frame(goods[rng() % 3], link);
        for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k)
            f[rng() % f.size()] = static_cast<std::uint8_t>(rng());
        if (rng() % 4 == 0) f.resize(rng() % (f.size() + 1));
        const auto packet = locate(f, link);
        if (packet) {
            EXPECT_LT(packet->payload.size(), f.size());
            ++mutated_located;
        }
    }
    // The mutations must exercise the accepting path, and the checks must reject: neither all nor none
    // pass (random bytes almost never make a valid packet: `located` is only bounded).
    EXPECT_LT(located, 20000u * 5);
    EXPECT_GT(mutated_located, 1000u);
    EXPECT_LT(mutated_located, 20000u);
}
