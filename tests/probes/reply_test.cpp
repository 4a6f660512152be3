// SPDX-License-Identifier: GPL-2.0-or-later
// Reply parsing: golden captured-looking frames for every link type, every truncation, malformed headers
// and seeded random garbage. The frames are synthetic (made for these tests), kept as hex, one header per
// line.
#include "probes/reply.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "frames.hpp"
#include "probes/tcp_flags.hpp"

namespace gp = ghostport::probes;
using frames::addr;
using frames::Bytes;
using frames::from_hex;
using frames::v6_with_destination_options;
using ghostport::core::Address;
using gp::LinkType;

namespace {

gp::Reply make_reply(const char* src, const char* dst, std::uint16_t sport, std::uint16_t dport,
                     std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint16_t window,
                     std::uint8_t ttl) {
    gp::Reply r;
    r.src = addr(src);
    r.dst = addr(dst);
    r.sport = sport;
    r.dport = dport;
    r.flags = flags;
    r.seq = seq;
    r.ack = ack;
    r.window = window;
    r.ttl = ttl;
    return r;
}

// Parses a copy of `frame` that is exactly as long as it, so a read past the end is a heap overflow that
// the sanitizers would catch.
std::optional<gp::Reply> parse(const Bytes& frame, LinkType link) {
    const Bytes copy(frame);
    return gp::parse_reply(copy, link);
}

constexpr std::uint8_t syn_ack = gp::tcp_flag::syn | gp::tcp_flag::ack;
constexpr std::uint8_t rst_ack = gp::tcp_flag::rst | gp::tcp_flag::ack;

// SYN-ACK from 198.19.7.42:443 to 198.18.0.1:40000 over Ethernet, with a Linux-style option block.
const char* const synack_v4_ethernet =
    "020000000001 020000000002 0800"  // Ethernet: destination MAC, source MAC, EtherType IPv4
    "4500 003c 0000 4000 3906 ae6b"   // IPv4: IHL 5, total 60, ID 0, DF, TTL 57, TCP, checksum
    "c613072a c6120001"               //   198.19.7.42 -> 198.18.0.1
    "01bb 9c40 5eed0001 12345679"     // TCP: 443 -> 40000, seq, ack = our cookie 0x12345678 + 1
    "a012 fe88 85c8 0000"             //   data offset 10, SYN+ACK, window 65160, checksum, urgent
    "020405b4 0402 080a00bc614e12345678 01 030307";  // MSS 1460, SACK-permitted, timestamps, NOP, WS 7

// RST-ACK (closed port) from 198.19.7.42:81 to 198.18.0.1:40001 over Ethernet: seq 0, ack = cookie + 1.
const char* const rst_v4_ethernet =
    "020000000001 020000000002 0800"
    "4500 0028 0000 4000 3906 ae7f c613072a c6120001"   // IPv4: total 40, TTL 57
    "0051 9c41 00000000 0badf00e 5014 0000 8431 0000";  // TCP: data offset 5, RST+ACK, window 0

// SYN-ACK over IPv6 from [2001:2:0:1::42]:22 to [2001:2::1]:40000 with a chain of four extension headers.
const char* const synack_v6_chain =
    "020000000001 020000000002 86dd"  // Ethernet, EtherType IPv6
    "60000000 003c 00 34"             // IPv6: payload length 60, next header 0 (hop-by-hop), hop limit 52
    "20010002000000010000000000000042 20010002000000000000000000000001"
    "3c 00 0104 00000000"   // hop-by-hop: next 60, length 8, PadN
    "2b 00 0104 00000000"   // destination options: next 43, length 8, PadN
    "2c 00 fd 00 00000000"  // routing: next 44, length 8, type 253 (experimental), segments left 0
    "06 00 0000 00001234"   // fragment: next 6 (TCP), offset 0, M clear (atomic), identification 0x1234
    "0016 9c40 0c0ffee0 deadbef0 7012 fd20 00d4 0000"  // TCP: 22 -> 40000, data offset 7, SYN+ACK, win 64800
    "020405a0 0101 0402";                              //   MSS 1440, NOP, NOP, SACK-permitted

// SYN-ACK inside one 802.1Q tag (VLAN 100): 198.19.7.42:8080 -> 198.18.0.1:40002.
const char* const synack_v4_vlan =
    "020000000001 020000000002 8100 0064 0800"         // Ethernet, TPID 0x8100, TCI (PCP 0, VID 100), IPv4
    "4500 002c 4321 4000 fa06 aa59 c613072a c6120001"  // IPv4: total 44, ID 0x4321, TTL 250
    "1f90 9c42 01020304 a0b0c0d1 6012 7210 715a 0000 020405b4";  // TCP: SYN+ACK, window 29200, MSS

// Linux cooked capture (SLL, 16 bytes): SYN-ACK 203.0.113.7:25 -> 198.51.100.9:40003.
const char* const synack_v4_sll =
    "0000 0001 0006 020000000002 0000 0800"  // packet type host, ARPHRD_ETHER, address length 6, address,
                                             // IPv4
    "4500 002c 0000 4000 3006 e487 cb007107 c6336409"  // IPv4: TTL 48
    "0019 9c43 11111111 22222223 6012 ffff 2f0e 0000 020405b4";

// Linux cooked capture v2 (SLL2, 20 bytes): RST-ACK over IPv6 from [2001:2::99]:3389 to [2001:2::1]:40004.
const char* const rst_v6_sll2 =
    "86dd 0000 00000002 0001 00 06 020000000002 0000"  // protocol IPv6, reserved, ifindex 2, ARPHRD_ETHER,
                                                       // packet type host, address length 6, address
    "60000000 0014 06 40"  // IPv6: payload length 20, next header TCP, hop limit 64
    "20010002000000000000000000000099 20010002000000000000000000000001"
    "0d3d 9c44 00000000 33333334 5014 0000 5f48 0000";

// BSD loopback (DLT_NULL): AF_INET (2) in little-endian host order, SYN-ACK 127.0.0.1:631 -> :40005.
const char* const synack_v4_null =
    "02000000"
    "4500 002c 0000 4000 4006 3cca 7f000001 7f000001"
    "0277 9c45 44444444 55555556 6012 ffff c823 0000 020405b4";

// DLT_LOOP style: AF_INET6 as macOS numbers it (30) in network order, RST-ACK [::1]:5000 -> [::1]:40006.
const char* const rst_v6_loop =
    "0000001e"
    "60000000 0014 06 40 00000000000000000000000000000001 00000000000000000000000000000001"
    "1388 9c46 00000000 66666667 5014 0000 3333 0000";

// Raw IP (DLT_RAW): RST-ACK with a 4-byte IPv4 option block (IHL 6) and 4 bytes of RST payload.
const char* const rst_v4_raw_options =
    "4600 0030 0007 4000 3906 ab6f c613072a c6120001 01010100"  // IHL 6, total 48; options NOP NOP NOP EOL
    "0017 9c47 00000000 77777778 5014 0000 912d 0000"
    "00000000";  // payload carried by the RST

// ICMP destination unreachable, communication administratively prohibited (type 3 code 13), from
// 198.18.0.10 to 198.18.0.1 over raw IP, quoting our whole SYN 198.18.0.1:40000 -> 198.18.0.10:443.
const char* const unreach_v4_raw =
    "4500 0048 0000 0000 4001 0000 c612000a c6120001"  // IPv4: total 72, TTL 64, ICMP
    "03 0d 0000 00000000"                              // ICMP: type 3, code 13, checksum, unused
    "4500 002c 0000 4000 4006 0000 c6120001 c612000a"  // quoted IPv4: 198.18.0.1 -> 198.18.0.10, TCP
    "9c40 01bb 12345678 00000000 6002 faf0 0000 0000 020405b4";  // quoted SYN: 40000 -> 443, seq

// ICMPv6 destination unreachable, administratively prohibited (type 1 code 1), from [2001:2::10] over
// Ethernet, quoting our SYN [2001:2::1]:40001 -> [2001:2::10]:80.
const char* const unreach_v6_ethernet =
    "020000000001 020000000002 86dd"
    "60000000 0048 3a 40 20010002000000000000000000000010 20010002000000000000000000000001"
    "01 01 0000 00000000"  // ICMPv6: type 1, code 1, checksum, unused
    "60000000 0018 06 40 20010002000000000000000000000001 20010002000000000000000000000010"
    "9c41 0050 0badcafe 00000000 6002 faf0 0000 0000 020405a0";

gp::Reply unreachable(const char* target, const char* us, std::uint16_t target_port, std::uint16_t our_port,
                      std::uint32_t seq, std::uint8_t ttl) {
    gp::Reply r = make_reply(target, us, target_port, our_port, 0, seq, 0, 0, ttl);
    r.kind = gp::ReplyKind::unreachable;
    return r;
}

struct Golden {
    const char* name;
    const char* hex;
    LinkType link;
    gp::Reply expected;
};

std::vector<Golden> goldens() {
    return {
        {"synack_v4_ethernet", synack_v4_ethernet, LinkType::ethernet,
         make_reply("198.19.7.42", "198.18.0.1", 443, 40000, syn_ack, 0x5eed0001, 0x12345679, 65160, 57)},
        {"rst_v4_ethernet", rst_v4_ethernet, LinkType::ethernet,
         make_reply("198.19.7.42", "198.18.0.1", 81, 40001, rst_ack, 0, 0x0badf00e, 0, 57)},
        {"synack_v6_chain", synack_v6_chain, LinkType::ethernet,
         make_reply("2001:2:0:1::42", "2001:2::1", 22, 40000, syn_ack, 0x0c0ffee0, 0xdeadbef0, 64800, 52)},
        {"synack_v4_vlan", synack_v4_vlan, LinkType::ethernet,
         make_reply("198.19.7.42", "198.18.0.1", 8080, 40002, syn_ack, 0x01020304, 0xa0b0c0d1, 29200, 250)},
        {"synack_v4_sll", synack_v4_sll, LinkType::linux_sll,
         make_reply("203.0.113.7", "198.51.100.9", 25, 40003, syn_ack, 0x11111111, 0x22222223, 65535, 48)},
        {"rst_v6_sll2", rst_v6_sll2, LinkType::linux_sll2,
         make_reply("2001:2::99", "2001:2::1", 3389, 40004, rst_ack, 0, 0x33333334, 0, 64)},
        {"synack_v4_null", synack_v4_null, LinkType::null_loop,
         make_reply("127.0.0.1", "127.0.0.1", 631, 40005, syn_ack, 0x44444444, 0x55555556, 65535, 64)},
        {"rst_v6_loop", rst_v6_loop, LinkType::null_loop,
         make_reply("::1", "::1", 5000, 40006, rst_ack, 0, 0x66666667, 0, 64)},
        {"rst_v4_raw_options", rst_v4_raw_options, LinkType::raw_ip,
         make_reply("198.19.7.42", "198.18.0.1", 23, 40007, rst_ack, 0, 0x77777778, 0, 57)},
        {"unreach_v4_raw", unreach_v4_raw, LinkType::raw_ip,
         unreachable("198.18.0.10", "198.18.0.1", 443, 40000, 0x12345678, 64)},
        {"unreach_v6_ethernet", unreach_v6_ethernet, LinkType::ethernet,
         unreachable("2001:2::10", "2001:2::1", 80, 40001, 0x0badcafe, 64)},
    };
}

}  // namespace

TEST(Reply, GoldenFramesParse) {
    for (const auto& g : goldens()) {
        const auto parsed = parse(from_hex(g.hex), g.link);
        ASSERT_TRUE(parsed) << g.name;
        EXPECT_EQ(*parsed, g.expected) << g.name;
    }
}

TEST(Reply, EveryTruncationIsRejected) {
    for (const auto& g : goldens()) {
        const Bytes frame = from_hex(g.hex);
        for (std::size_t length = 0; length < frame.size(); ++length)
            EXPECT_FALSE(parse(Bytes(frame.begin(), frame.begin() + length), g.link))
                << g.name << " cut at " << length;
    }
}

TEST(Reply, TrailingBytesAfterThePacketAreIgnored) {
    // Ethernet pads short frames to 60 bytes; the IP length, not the capture length, bounds the packet.
    for (const auto& g : goldens()) {
        Bytes frame = from_hex(g.hex);
        frame.resize(frame.size() + 6, 0);
        const auto parsed = parse(frame, g.link);
        ASSERT_TRUE(parsed) << g.name;
        EXPECT_EQ(*parsed, g.expected) << g.name;
    }
}

// Offsets into rst_v4_ethernet: the IPv4 header starts at 14, TCP at 34.
TEST(Reply, BadIpv4HeaderLength) {
    const Bytes good = from_hex(rst_v4_ethernet);
    for (std::uint8_t ihl : {0, 1, 4}) {
        Bytes bad = good;
        bad[14] = static_cast<std::uint8_t>(0x40 | ihl);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << "IHL " << int{ihl};
    }
    for (std::uint8_t ihl : {6, 10, 15}) {  // options that run past the total length (40)
        Bytes bad = good;
        bad[14] = static_cast<std::uint8_t>(0x40 | ihl);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << "IHL " << int{ihl};
    }
    Bytes v5 = good;
    v5[14] = 0x55;  // version 5
    EXPECT_FALSE(parse(v5, LinkType::ethernet));
}

TEST(Reply, BadIpv4TotalLength) {
    const Bytes good = from_hex(rst_v4_ethernet);
    for (std::uint16_t total :
         {0, 19, 20, 39, 41, 0xffff}) {  // shorter than its headers, or past the capture
        Bytes bad = good;
        bad[16] = static_cast<std::uint8_t>(total >> 8);
        bad[17] = static_cast<std::uint8_t>(total);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << "total length " << total;
    }
}

TEST(Reply, Ipv4FragmentsAndOtherProtocolsAreRejected) {
    const Bytes good = from_hex(rst_v4_ethernet);
    for (std::uint16_t frag : {0x2000, 0x0001, 0x1fff, 0x6000, 0x4001}) {  // MF, offsets, DF+MF, DF+offset
        Bytes bad = good;
        bad[20] = static_cast<std::uint8_t>(frag >> 8);
        bad[21] = static_cast<std::uint8_t>(frag);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << std::hex << frag;
    }
    Bytes no_df = good;
    no_df[20] = 0;
    EXPECT_TRUE(parse(no_df, LinkType::ethernet)) << "DF clear is an ordinary unfragmented packet";
    for (std::uint8_t protocol : {1, 17, 41, 132}) {
        Bytes bad = good;
        bad[23] = protocol;
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << int{protocol};
    }
}

TEST(Reply, BadTcpDataOffset) {
    const Bytes good = from_hex(rst_v4_ethernet);
    for (std::uint8_t offset : {0, 1, 4, 6, 15}) {  // below 5, or past the 20-byte segment
        Bytes bad = good;
        bad[34 + 12] = static_cast<std::uint8_t>(offset << 4);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << int{offset};
    }
    // A segment shorter than 20 bytes, even if the capture has more: total length 39.
    Bytes short_segment = good;
    short_segment[17] = 39;
    EXPECT_FALSE(parse(short_segment, LinkType::ethernet));
}

// Offsets into synack_v6_chain: IPv6 at 14 (payload length at 18, next header at 20), payload at 54;
// hop-by-hop at 54, destination options at 62, routing at 70, fragment at 78, TCP at 86.
TEST(Reply, Ipv6LengthsOutOfBounds) {
    const Bytes good = from_hex(synack_v6_chain);
    for (std::uint16_t length : {0, 61, 0xffff}) {  // jumbogram marker, one byte past the capture, far past
        Bytes bad = good;
        bad[18] = static_cast<std::uint8_t>(length >> 8);
        bad[19] = static_cast<std::uint8_t>(length);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << length;
    }
    for (std::uint16_t length :
         {7, 8, 31, 32, 51, 59}) {  // cuts through an extension header or the TCP header
        Bytes bad = good;
        bad[18] = 0;
        bad[19] = static_cast<std::uint8_t>(length);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << length;
    }
    for (std::size_t header : {54u, 62u, 70u}) {  // an extension header that claims more than the payload
        for (std::uint8_t units : {7, 9, 255}) {
            Bytes bad = good;
            bad[header + 1] = units;
            EXPECT_FALSE(parse(bad, LinkType::ethernet)) << header << " " << int{units};
        }
    }
    Bytes bad_offset = good;
    bad_offset[86 + 12] = 0xf0;  // TCP data offset 60 > 28-byte segment
    EXPECT_FALSE(parse(bad_offset, LinkType::ethernet));
}

TEST(Reply, Ipv6FragmentsOnlyWhenAtomic) {
    const Bytes good = from_hex(synack_v6_chain);
    for (std::uint16_t offset_and_m : {0x0001, 0x0008, 0x0009, 0xfff8}) {
        Bytes bad = good;
        bad[78 + 2] = static_cast<std::uint8_t>(offset_and_m >> 8);
        bad[78 + 3] = static_cast<std::uint8_t>(offset_and_m);
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << std::hex << offset_and_m;
    }
    Bytes reserved = good;
    reserved[78 + 3] = 0x06;  // the two reserved bits are ignored
    EXPECT_TRUE(parse(reserved, LinkType::ethernet));
}

TEST(Reply, IcmpErrorsOtherThanUnreachableOrQuotingOtherThanTcpAreRejected) {
    const Bytes v4 = from_hex(unreach_v4_raw);
    for (std::uint8_t type : {0, 5, 8, 11, 12}) {  // echo reply, redirect, echo, time exceeded, param problem
        Bytes bad = v4;
        bad[20] = type;
        EXPECT_FALSE(parse(bad, LinkType::raw_ip)) << int{type};
    }
    Bytes udp = v4;
    udp[28 + 9] = 17;  // the quoted packet is UDP
    EXPECT_FALSE(parse(udp, LinkType::raw_ip));
    Bytes fragment = v4;
    fragment[28 + 7] = 1;  // the quoted packet is a later fragment
    EXPECT_FALSE(parse(fragment, LinkType::raw_ip));
    Bytes short_quote = v4;
    short_quote.resize(28 + 20 + 7);  // one byte short of the quoted sequence number
    short_quote[3] = static_cast<std::uint8_t>(short_quote.size());
    EXPECT_FALSE(parse(short_quote, LinkType::raw_ip));

    const Bytes v6 = from_hex(unreach_v6_ethernet);
    for (std::uint8_t type : {2, 3, 4, 128, 129, 135}) {  // too big, time exceeded, param, echo, ND
        Bytes bad = v6;
        bad[54] = type;
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << int{type};
    }
    Bytes quoted_udp = v6;
    quoted_udp[62 + 6] = 17;
    EXPECT_FALSE(parse(quoted_udp, LinkType::ethernet));
}

TEST(Reply, Ipv6UnwantedNextHeaders) {
    const Bytes good = from_hex(synack_v6_chain);
    // In the IPv6 header: AH, ESP, no next header, UDP, an unassigned value. (ICMPv6 58 is parsed as an
    // error message and rejected there: the byte after the header chain is not type 1.)
    for (std::uint8_t next : {51, 50, 59, 17, 58, 253}) {
        Bytes bad = good;
        bad[20] = next;
        EXPECT_FALSE(parse(bad, LinkType::ethernet)) << int{next};
    }
    // Hop-by-hop anywhere but first (the destination options header naming 0 as its next header).
    Bytes hop_late = good;
    hop_late[62] = 0;
    EXPECT_FALSE(parse(hop_late, LinkType::ethernet));
    // The chain ending in AH instead of TCP.
    Bytes ah = good;
    ah[78] = 51;
    EXPECT_FALSE(parse(ah, LinkType::ethernet));
}

TEST(Reply, Ipv6ExtensionChainsAreBounded) {
    for (std::size_t count = 0; count <= gp::max_extension_headers; ++count) {
        const auto parsed = parse(v6_with_destination_options(count), LinkType::raw_ip);
        ASSERT_TRUE(parsed) << count;
        EXPECT_EQ(parsed->sport, 80);
    }
    for (std::size_t count : {gp::max_extension_headers + 1, std::size_t{64}, std::size_t{1000}})
        EXPECT_FALSE(parse(v6_with_destination_options(count), LinkType::raw_ip)) << count;
    // A header that names itself as next header, over and over, until the payload runs out.
    Bytes self_loop =
        from_hex("60000000 0040 3c 40 20010002000000000000000000000099 20010002000000000000000000000001");
    for (int i = 0; i < 8; ++i)
        for (std::uint8_t b : {60, 0, 1, 4, 0, 0, 0, 0}) self_loop.push_back(b);
    EXPECT_FALSE(parse(self_loop, LinkType::raw_ip));
}

TEST(Reply, LinkLayerMismatchesAreRejected) {
    Bytes arp = from_hex(rst_v4_ethernet);
    arp[12] = 0x08;
    arp[13] = 0x06;
    EXPECT_FALSE(parse(arp, LinkType::ethernet));

    Bytes v6_type_v4_packet = from_hex(rst_v4_ethernet);
    v6_type_v4_packet[12] = 0x86;
    v6_type_v4_packet[13] = 0xdd;
    EXPECT_FALSE(parse(v6_type_v4_packet, LinkType::ethernet));

    Bytes double_tag = from_hex(synack_v4_vlan);
    double_tag.insert(double_tag.begin() + 16, {0x81, 0x00, 0x00, 0x65});  // a second 802.1Q tag
    EXPECT_FALSE(parse(double_tag, LinkType::ethernet));
    Bytes qinq = from_hex(synack_v4_vlan);
    qinq[12] = 0x88;
    qinq[13] = 0xa8;
    EXPECT_FALSE(parse(qinq, LinkType::ethernet));

    // The same IPv4 packet framed as raw IP, SLL with a VLAN tag, and SLL2 all parse to one reply.
    const Bytes ethernet = from_hex(rst_v4_ethernet);
    const Bytes ip(ethernet.begin() + 14, ethernet.end());
    const auto expected = parse(ethernet, LinkType::ethernet);
    ASSERT_TRUE(expected);
    EXPECT_EQ(parse(ip, LinkType::raw_ip), expected);
    Bytes sll_vlan = from_hex("0000 0001 0006 020000000002 0000 8100 0064 0800");
    sll_vlan.insert(sll_vlan.end(), ip.begin(), ip.end());
    EXPECT_EQ(parse(sll_vlan, LinkType::linux_sll), expected);
    Bytes sll2 = from_hex("0800 0000 00000002 0001 00 06 020000000002 0000");
    sll2.insert(sll2.end(), ip.begin(), ip.end());
    EXPECT_EQ(parse(sll2, LinkType::linux_sll2), expected);

    // Raw IP with an unknown version nibble.
    Bytes v7 = ip;
    v7[0] = 0x75;
    EXPECT_FALSE(parse(v7, LinkType::raw_ip));
}

TEST(Reply, RandomGarbageNeverCrashes) {
    std::mt19937 rng(0x9b05);
    const LinkType links[] = {LinkType::ethernet, LinkType::linux_sll, LinkType::linux_sll2, LinkType::raw_ip,
                              LinkType::null_loop};
    std::size_t parsed = 0;
    for (int i = 0; i < 5000; ++i) {
        Bytes frame(rng() % 160);
        for (auto& b : frame) b = static_cast<std::uint8_t>(rng());
        // Steer some buffers past the first checks so the deeper parsers see garbage too.
        if (frame.size() > 20 && i % 2) frame[i % 4 ? 0 : 14] = (i % 3) ? 0x45 : 0x60;
        for (LinkType link : links) parsed += parse(frame, link).has_value();
    }
    // Mutations of the goldens: a few random bytes changed, and a random length.
    const auto all = goldens();
    for (int i = 0; i < 20000; ++i) {
        const auto& g = all[rng() % all.size()];
        Bytes frame = from_hex(g.hex);
        for (int flips = 1 + rng() % 4; flips > 0; --flips)
            frame[rng() % frame.size()] = static_cast<std::uint8_t>(rng());
        frame.resize(rng() % (frame.size() + 8), 0);
        parsed += parse(frame, g.link).has_value();
    }
    RecordProperty("parsed", static_cast<int>(parsed));
    // The accepting path must be reached (mutations that leave the headers intact parse) and the checks
    // must reject most garbage: neither none nor all of the 45,000 attempts parse.
    EXPECT_GT(parsed, 500u);
    EXPECT_LT(parsed, 20000u);
}
