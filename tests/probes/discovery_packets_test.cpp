// SPDX-License-Identifier: GPL-2.0-or-later
// Discovery probes and answers: golden probe bytes under a fixed key, checksums verified by an independent
// sum, answers as a host would send them (every link type) parsed and matched, forged and stray answers
// rejected, and truncated, oversized and random frames rejected without reading outside them.
#include "probes/discovery_packets.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <random>
#include <vector>

#include "frames.hpp"
#include "probes/syn_cookie.hpp"
#include "probes/tcp_flags.hpp"

namespace gp = ghostport::probes;
using ghostport::core::Address;
using gp::DiscoveryMatch;
using gp::DiscoveryProbe;
using gp::LinkType;
using namespace frames;

namespace {

const Address us4 = addr("198.18.0.1"), host4 = addr("198.18.0.10");
const Address us6 = addr("2001:2::1"), host6 = addr("2001:2::10");

gp::DiscoveryIdentity identity() {
    std::array<std::uint8_t, 16> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
    return {gp::SipKey::from_bytes(key), 25000, 0x4242};
}

Bytes build(DiscoveryProbe probe, const Address& src, const Address& dst, std::uint32_t ts = 0x01020304) {
    gp::DiscoveryBuffer buffer{};
    const auto s = gp::build_discovery_probe(buffer, probe, identity(), src, dst, ts);
    return Bytes(s.begin(), s.end());
}

// The pseudo-header bytes (IPv4: RFC 9293 §3.1; IPv6: RFC 8200 §8.1) followed by `upper`.
Bytes with_pseudo(const Address& src, const Address& dst, std::uint8_t protocol, const Bytes& upper) {
    Bytes out;
    const std::size_t n = src.is_v4() ? 4 : 16;
    out.insert(out.end(), src.bytes.begin(), src.bytes.begin() + static_cast<long>(n));
    out.insert(out.end(), dst.bytes.begin(), dst.bytes.begin() + static_cast<long>(n));
    if (src.is_v4()) {
        out.insert(out.end(), {0, protocol, static_cast<std::uint8_t>(upper.size() >> 8),
                               static_cast<std::uint8_t>(upper.size())});
    } else {
        out.insert(out.end(), {0, 0, static_cast<std::uint8_t>(upper.size() >> 8),
                               static_cast<std::uint8_t>(upper.size()), 0, 0, 0, protocol});
    }
    out.insert(out.end(), upper.begin(), upper.end());
    return out;
}

// Parses a copy of `frame` that ends exactly at an inaccessible page, so any read past its end faults.
class Guarded {
  public:
    Guarded() {
        page_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        void* p = ::mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        EXPECT_NE(p, MAP_FAILED);
        base_ = static_cast<std::uint8_t*>(p);
        ::mprotect(base_ + page_, page_, PROT_NONE);
    }
    ~Guarded() { ::munmap(base_, 2 * page_); }
    std::optional<gp::DiscoveryAnswer> parse(const Bytes& frame, LinkType link) {
        const std::size_t n = std::min(frame.size(), page_);
        std::uint8_t* at = base_ + page_ - n;
        if (n > 0) std::memcpy(at, frame.data(), n);  // an empty frame's data() may be null
        return gp::parse_discovery_answer(std::span<const std::uint8_t>(at, n), link);
    }

  private:
    std::size_t page_ = 0;
    std::uint8_t* base_ = nullptr;
};

std::optional<gp::DiscoveryAnswer> parse(const Bytes& frame, LinkType link) {
    static Guarded guarded;
    return guarded.parse(frame, link);
}

// --- Answers as the probed host would send them: raw IP packets. ---

// The reply a host sends to an ICMP echo or timestamp request `request` (the ICMP message alone).
Bytes icmp_reply(Bytes request, std::uint8_t type) {
    request[0] = type;
    put16(request, 2, 0);
    if (request.size() >= 20) {
        put32(request, 12, 0x05050505);  // receive
        put32(request, 16, 0x05050506);  // transmit
    }
    put16(request, 2, static_cast<std::uint16_t>(~naive_sum(request)));
    return request;
}

Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
          std::size_t options = 0) {
    Bytes t(20 + options, 0);
    put16(t, 0, sport);
    put16(t, 2, dport);
    put32(t, 4, seq);
    put32(t, 8, ack);
    t[12] = static_cast<std::uint8_t>(((20 + options) / 4) << 4);
    t[13] = flags;
    put16(t, 14, 65535);
    return t;
}

Bytes upper_of(const Bytes& probe, bool v4) {
    return v4 ? Bytes(probe.begin() + 20, probe.end()) : probe;
}

// The IP packet carrying each kind of genuine answer from the probed host.
Bytes echo_reply4() {
    return ipv4(host4, us4, 1, icmp_reply(upper_of(build(DiscoveryProbe::icmp_echo, us4, host4), true), 0));
}
Bytes timestamp_reply4() {
    return ipv4(host4, us4, 1,
                icmp_reply(upper_of(build(DiscoveryProbe::icmp_timestamp, us4, host4), true), 14));
}
Bytes echo_reply6() {
    return ipv6(host6, us6, 58, icmp_reply(build(DiscoveryProbe::icmp_echo, us6, host6), 129));
}
Bytes syn_ack(const Address& src, const Address& dst) {
    const std::uint32_t cookie = gp::discovery_syn_seq(identity(), dst, src);
    Bytes t = tcp(443, 25000, 0xabcdef01, cookie + 1, gp::tcp_flag::syn | gp::tcp_flag::ack, 4);
    return src.is_v4() ? ipv4(src, dst, 6, t) : ipv6(src, dst, 6, t);
}
Bytes syn_rst(const Address& src, const Address& dst) {
    const std::uint32_t cookie = gp::discovery_syn_seq(identity(), dst, src);
    Bytes t = tcp(443, 25000, 0, cookie + 1, gp::tcp_flag::rst | gp::tcp_flag::ack);
    return src.is_v4() ? ipv4(src, dst, 6, t) : ipv6(src, dst, 6, t);
}
Bytes ack_rst(const Address& src, const Address& dst) {
    Bytes t = tcp(80, 25000, gp::discovery_ack_ack(identity(), dst, src), 0, gp::tcp_flag::rst);
    return src.is_v4() ? ipv4(src, dst, 6, t) : ipv6(src, dst, 6, t);
}

struct Genuine {
    const char* name;
    Bytes packet;
    DiscoveryMatch match;
    Address src;
};

std::vector<Genuine> genuine_answers() {
    return {
        {"echo_reply4", echo_reply4(), DiscoveryMatch::echo_reply, host4},
        {"timestamp_reply4", timestamp_reply4(), DiscoveryMatch::timestamp_reply, host4},
        {"echo_reply6", echo_reply6(), DiscoveryMatch::echo_reply, host6},
        {"syn_ack4", syn_ack(host4, us4), DiscoveryMatch::syn_ack, host4},
        {"syn_ack6", syn_ack(host6, us6), DiscoveryMatch::syn_ack, host6},
        {"syn_rst4", syn_rst(host4, us4), DiscoveryMatch::rst, host4},
        {"syn_rst6", syn_rst(host6, us6), DiscoveryMatch::rst, host6},
        {"ack_rst4", ack_rst(host4, us4), DiscoveryMatch::rst, host4},
        {"ack_rst6", ack_rst(host6, us6), DiscoveryMatch::rst, host6},
    };
}

DiscoveryMatch match(const Bytes& frame_bytes, LinkType link) {
    const auto a = parse(frame_bytes, link);
    return a ? gp::match_discovery_answer(identity(), *a) : DiscoveryMatch::unrelated;
}

}  // namespace

// --- Building ---

TEST(DiscoveryPackets, CookiesAreTheSynCookiesOfTheirProbes) {
    const auto id = identity();
    EXPECT_EQ(gp::discovery_syn_seq(id, us4, host4), gp::syn_cookie(id.key, us4, host4, 25000, 443));
    EXPECT_EQ(gp::discovery_ack_ack(id, us6, host6), gp::syn_cookie(id.key, us6, host6, 25000, 80));
    EXPECT_EQ(gp::discovery_icmp_seq(id, us4, host4),
              static_cast<std::uint16_t>(gp::syn_cookie(id.key, us4, host4, 0x4242, 0)));
    EXPECT_NE(gp::discovery_syn_seq(id, us4, host4), gp::discovery_syn_seq(id, us4, addr("198.18.0.11")));
}

// Frozen under the fixed key; every field is also checked one by one below.
TEST(DiscoveryPackets, GoldenProbes) {
    EXPECT_EQ(build(DiscoveryProbe::icmp_echo, us4, host4),
              from_hex("4500 001c 9c1c 4000 40 01 1295 c6120001 c612000a"  // IPv4: total 28, ICMP
                       "08 00 19a9 4242 9c14"));                           // echo request, id, seq
    EXPECT_EQ(build(DiscoveryProbe::tcp_syn, us4, host4),
              from_hex("4500 002c a212 4000 40 06 0c8a c6120001 c612000a"
                       "61a8 01bb a212e49f 00000000 6002 faf0 26f0 0000 020405b4"));  // 25000 -> 443, MSS
    EXPECT_EQ(build(DiscoveryProbe::tcp_ack, us4, host4),
              from_hex("4500 0028 0e40 4000 40 06 a060 c6120001 c612000a"
                       "61a8 0050 9be40e40 0e409be4 5010 faf0 7272 0000"));  // 25000 -> 80, ACK
    EXPECT_EQ(build(DiscoveryProbe::icmp_timestamp, us4, host4),
              from_hex("4500 0028 9c19 4000 40 01 128c c6120001 c612000a"
                       "0d 00 10a3 4242 9c14 01020304 00000000 00000000"));  // originate, receive, transmit
    EXPECT_EQ(build(DiscoveryProbe::icmp_echo, us6, host6), from_hex("80 00 ad90 4242 4fd3"));
    EXPECT_EQ(build(DiscoveryProbe::tcp_syn, us6, host6),
              from_hex("61a8 01bb 3eca436a 00000000 6002 faf0 779b 0000 020405a0"));
    EXPECT_EQ(build(DiscoveryProbe::tcp_ack, us6, host6),
              from_hex("61a8 0050 bb083eda 3edabb08 5010 faf0 1f0f 0000"));
}

TEST(DiscoveryPackets, FieldsAndChecksumsVerifyIndependently) {
    const auto id = identity();
    const std::vector<Address> dsts4{host4, addr("203.0.113.77"), addr("127.0.0.1")};
    for (const Address* dst = dsts4.data(); dst != dsts4.data() + dsts4.size(); ++dst) {
        for (DiscoveryProbe k : {DiscoveryProbe::icmp_echo, DiscoveryProbe::tcp_syn, DiscoveryProbe::tcp_ack,
                                 DiscoveryProbe::icmp_timestamp}) {
            const Bytes p = build(k, us4, *dst);
            ASSERT_GE(p.size(), 28u);
            EXPECT_EQ(p[0], 0x45);
            EXPECT_EQ(be16(p, 2), p.size());
            EXPECT_EQ(be16(p, 6), 0x4000);  // DF
            EXPECT_EQ(p[8], 64);
            EXPECT_EQ(naive_sum(Bytes(p.begin(), p.begin() + 20)), 0xFFFF) << "IPv4 header checksum";
            EXPECT_TRUE(std::equal(p.begin() + 12, p.begin() + 16, us4.bytes.begin()));
            EXPECT_TRUE(std::equal(p.begin() + 16, p.begin() + 20, dst->bytes.begin()));
            const Bytes upper(p.begin() + 20, p.end());
            if (k == DiscoveryProbe::icmp_echo || k == DiscoveryProbe::icmp_timestamp) {
                EXPECT_EQ(p[9], 1);
                EXPECT_EQ(upper[0], k == DiscoveryProbe::icmp_echo ? 8 : 13);
                EXPECT_EQ(upper.size(), k == DiscoveryProbe::icmp_echo ? 8u : 20u);
                EXPECT_EQ(be16(upper, 4), 0x4242);
                EXPECT_EQ(be16(upper, 6), gp::discovery_icmp_seq(id, us4, *dst));
                EXPECT_EQ(naive_sum(upper), 0xFFFF) << "ICMP checksum";
            } else {
                EXPECT_EQ(p[9], 6);
                EXPECT_EQ(be16(upper, 0), 25000);
                EXPECT_EQ(naive_sum(with_pseudo(us4, *dst, 6, upper)), 0xFFFF) << "TCP checksum";
                if (k == DiscoveryProbe::tcp_syn) {
                    EXPECT_EQ(be16(upper, 2), 443);
                    EXPECT_EQ(upper[13], gp::tcp_flag::syn);
                    EXPECT_EQ(be32(upper, 4), gp::discovery_syn_seq(id, us4, *dst));
                    EXPECT_EQ(be32(upper, 8), 0u);
                } else {
                    EXPECT_EQ(be16(upper, 2), 80);
                    EXPECT_EQ(upper[13], gp::tcp_flag::ack);
                    EXPECT_EQ(be32(upper, 8), gp::discovery_ack_ack(id, us4, *dst));
                }
            }
        }
    }
    const std::vector<Address> dsts6{host6, addr("2001:db8::1:2:3"), addr("::1")};
    for (const Address* dst = dsts6.data(); dst != dsts6.data() + dsts6.size(); ++dst) {
        const Bytes echo = build(DiscoveryProbe::icmp_echo, us6, *dst);
        EXPECT_EQ(echo[0], 128);
        EXPECT_EQ(naive_sum(with_pseudo(us6, *dst, 58, echo)), 0xFFFF) << "ICMPv6 checksum";
        EXPECT_EQ(be16(echo, 6), gp::discovery_icmp_seq(id, us6, *dst));
        for (DiscoveryProbe k : {DiscoveryProbe::tcp_syn, DiscoveryProbe::tcp_ack}) {
            const Bytes t = build(k, us6, *dst);
            EXPECT_EQ(t.size(), k == DiscoveryProbe::tcp_syn ? 24u : 20u);
            EXPECT_EQ(naive_sum(with_pseudo(us6, *dst, 6, t)), 0xFFFF) << "TCP/IPv6 checksum";
        }
    }
}

TEST(DiscoveryPackets, NoProbeForMixedFamiliesOrTimestampOverIpv6) {
    EXPECT_TRUE(build(DiscoveryProbe::icmp_timestamp, us6, host6).empty());
    EXPECT_TRUE(build(DiscoveryProbe::icmp_echo, us4, host6).empty());
    EXPECT_TRUE(build(DiscoveryProbe::tcp_syn, us6, host4).empty());
}

// --- Parsing and matching ---

TEST(DiscoveryPackets, GenuineAnswersParseAndMatchOnEveryLinkType) {
    for (const auto& g : genuine_answers()) {
        for (LinkType link : all_links) {
            const auto a = parse(frame(g.packet, link), link);
            ASSERT_TRUE(a) << g.name << " link " << static_cast<int>(link);
            EXPECT_EQ(a->src, g.src) << g.name;
            EXPECT_EQ(a->dst, g.src.is_v4() ? us4 : us6) << g.name;
            EXPECT_EQ(gp::match_discovery_answer(identity(), *a), g.match) << g.name;
        }
    }
}

TEST(DiscoveryPackets, ParsedFieldsOfEachKind) {
    auto echo = parse(echo_reply4(), LinkType::raw_ip);
    ASSERT_TRUE(echo);
    EXPECT_EQ(echo->kind, gp::AnswerKind::echo_reply);
    EXPECT_EQ(echo->icmp_id, 0x4242);
    EXPECT_EQ(echo->icmp_seq, 0x9c14);
    auto ts = parse(timestamp_reply4(), LinkType::raw_ip);
    ASSERT_TRUE(ts);
    EXPECT_EQ(ts->kind, gp::AnswerKind::timestamp_reply);
    auto e6 = parse(echo_reply6(), LinkType::raw_ip);
    ASSERT_TRUE(e6);
    EXPECT_EQ(e6->kind, gp::AnswerKind::echo_reply);
    EXPECT_EQ(e6->icmp_seq, 0x4fd3);
    auto sa = parse(syn_ack(host4, us4), LinkType::raw_ip);
    ASSERT_TRUE(sa);
    EXPECT_EQ(sa->kind, gp::AnswerKind::tcp);
    EXPECT_EQ(sa->sport, 443);
    EXPECT_EQ(sa->dport, 25000);
    EXPECT_EQ(sa->seq, 0xabcdef01u);
    EXPECT_EQ(sa->ack, 0xa212e49fu + 1);
    EXPECT_EQ(sa->flags, gp::tcp_flag::syn | gp::tcp_flag::ack);
}

TEST(DiscoveryPackets, ForgedOrStrayAnswersDoNotMatch) {
    const auto other = addr("198.18.0.11");
    std::vector<std::pair<const char*, Bytes>> cases;
    // From another host than the one probed (its cookie differs), or to another address of ours.
    {
        Bytes p = echo_reply4();
        std::copy_n(other.bytes.begin(), 4, p.begin() + 12);
        cases.emplace_back("echo reply from another host", p);
        Bytes q = echo_reply4();
        q[19] = 2;  // to 198.18.0.2
        cases.emplace_back("echo reply to another address", q);
    }
    {
        Bytes p = echo_reply4();
        p[24] ^= 1;  // identifier
        cases.emplace_back("wrong identifier", p);
        Bytes q = echo_reply4();
        q[27] ^= 1;  // sequence
        cases.emplace_back("wrong sequence", q);
    }
    {
        Bytes p = echo_reply6();
        p[40 + 4] ^= 0x80;
        cases.emplace_back("icmpv6 wrong identifier", p);
    }
    auto tcp4 = [&](Bytes t) { return ipv4(host4, us4, 6, t); };
    const std::uint32_t c = gp::discovery_syn_seq(identity(), us4, host4);
    const std::uint32_t a = gp::discovery_ack_ack(identity(), us4, host4);
    using namespace gp::tcp_flag;
    cases.emplace_back("host4's syn_ack from another host",
                       ipv4(other, us4, 6, tcp(443, 25000, 1, c + 1, syn | ack)));
    cases.emplace_back("host4's ack rst from another host", ipv4(other, us4, 6, tcp(80, 25000, a, 0, rst)));
    cases.emplace_back("syn_ack wrong ack", tcp4(tcp(443, 25000, 1, c, syn | ack)));
    cases.emplace_back("syn_ack wrong port", tcp4(tcp(443, 25001, 1, c + 1, syn | ack)));
    cases.emplace_back("syn_ack from 80", tcp4(tcp(80, 25000, 1, c + 1, syn | ack)));
    cases.emplace_back("rst without ack to the syn", tcp4(tcp(443, 25000, c + 1, 0, rst)));
    cases.emplace_back("syn+rst", tcp4(tcp(443, 25000, 0, c + 1, syn | rst | ack)));
    cases.emplace_back("bare ack", tcp4(tcp(443, 25000, 0, c + 1, ack)));
    cases.emplace_back("rst to the ack probe, wrong seq", tcp4(tcp(80, 25000, a + 1, 0, rst)));
    cases.emplace_back("syn from 80 with our seq", tcp4(tcp(80, 25000, a, 0, syn | rst)));
    cases.emplace_back("rst from another port", tcp4(tcp(8080, 25000, a, 0, rst)));
    for (const auto& [name, packet] : cases)
        EXPECT_EQ(match(packet, LinkType::raw_ip), DiscoveryMatch::unrelated) << name;
}

TEST(DiscoveryPackets, OtherIcmpIsRejected) {
    // Our own echo and timestamp requests, seen inbound on loopback.
    EXPECT_FALSE(parse(build(DiscoveryProbe::icmp_echo, us4, host4), LinkType::raw_ip));
    EXPECT_FALSE(parse(build(DiscoveryProbe::icmp_timestamp, us4, host4), LinkType::raw_ip));
    EXPECT_FALSE(parse(ipv6(us6, host6, 58, build(DiscoveryProbe::icmp_echo, us6, host6)), LinkType::raw_ip));
    // A destination unreachable quoting our echo request, from the host itself: never "up".
    {
        Bytes icmp = from_hex("03 03 0000 00000000");
        const Bytes quoted = build(DiscoveryProbe::icmp_echo, us4, host4);
        icmp.insert(icmp.end(), quoted.begin(), quoted.end());
        EXPECT_FALSE(parse(ipv4(host4, us4, 1, icmp), LinkType::raw_ip));
    }
    // ICMPv6 errors and neighbour discovery.
    EXPECT_FALSE(parse(ipv6(host6, us6, 58, from_hex("01 03 0000 00000000 4242 0000")), LinkType::raw_ip));
    EXPECT_FALSE(parse(ipv6(host6, us6, 58, from_hex("88 00 0000 60000000")), LinkType::raw_ip));
    // An echo reply with a non-zero code, a timestamp reply too short for its fields, UDP.
    {
        Bytes p = echo_reply4();
        p[21] = 1;
        EXPECT_FALSE(parse(p, LinkType::raw_ip));
        Bytes ts = icmp_reply(upper_of(build(DiscoveryProbe::icmp_timestamp, us4, host4), true), 14);
        ts.resize(16);
        EXPECT_FALSE(parse(ipv4(host4, us4, 1, ts), LinkType::raw_ip));
        EXPECT_FALSE(parse(ipv4(host4, us4, 17, from_hex("0035 61a8 0008 0000")), LinkType::raw_ip));
    }
    // A timestamp reply over IPv6 does not exist (ICMPv6 type 14 is not one).
    EXPECT_FALSE(parse(ipv6(host6, us6, 58, from_hex("0e 00 0000 4242 4fd3 00000000 00000000 00000000")),
                       LinkType::raw_ip));
}

TEST(DiscoveryPackets, EveryTruncationIsRejected) {
    for (const auto& g : genuine_answers()) {
        for (LinkType link : all_links) {
            const Bytes f = frame(g.packet, link);
            for (std::size_t n = 0; n < f.size(); ++n)
                EXPECT_FALSE(parse(Bytes(f.begin(), f.begin() + static_cast<long>(n)), link))
                    << g.name << " cut to " << n << " link " << static_cast<int>(link);
        }
    }
}

TEST(DiscoveryPackets, LengthsBeyondTheCaptureAndMalformedHeadersAreRejected) {
    // IPv4 total length larger than the capture, smaller than the header, IHL below 5 or past the packet.
    Bytes p = echo_reply4();
    put16(p, 2, static_cast<std::uint16_t>(p.size() + 1));
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    put16(p, 2, 0xFFFF);
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    p = echo_reply4();
    put16(p, 2, 19);
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    p = echo_reply4();
    p[0] = 0x44;
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    p[0] = 0x4F;
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    // Fragments (MF, or an offset).
    p = echo_reply4();
    put16(p, 6, 0x2000);
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    put16(p, 6, 0x0001);
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    // Ethernet padding past the total length is ignored.
    p = frame(echo_reply4(), LinkType::ethernet);
    p.resize(60, 0);
    EXPECT_EQ(match(p, LinkType::ethernet), DiscoveryMatch::echo_reply);
    // TCP data offset below 5 or past the segment.
    p = syn_rst(host4, us4);
    p[20 + 12] = 0x40;
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    p[20 + 12] = 0x60;
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    // IPv6: payload length past the capture, zero (jumbogram), wrong version.
    p = echo_reply6();
    put16(p, 4, static_cast<std::uint16_t>(p.size() - 40 + 1));
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    put16(p, 4, 0);
    EXPECT_FALSE(parse(p, LinkType::raw_ip));
    p = echo_reply6();
    EXPECT_FALSE(parse(frame(p, LinkType::raw_ip), LinkType::null_loop));  // no loopback header
    Bytes v4_as_v6 = frame(echo_reply4(), LinkType::null_loop);
    v4_as_v6[0] = 0x0a;  // AF_INET6 in front of an IPv4 packet
    EXPECT_FALSE(parse(v4_as_v6, LinkType::null_loop));
}

TEST(DiscoveryPackets, Ipv6ExtensionHeaders) {
    const Bytes reply = icmp_reply(build(DiscoveryProbe::icmp_echo, us6, host6), 129);
    auto with = [&](std::uint8_t first, const Bytes& headers) {
        Bytes payload = headers;
        payload.insert(payload.end(), reply.begin(), reply.end());
        return ipv6(host6, us6, first, payload);
    };
    // Hop-by-hop, destination options, atomic fragment: accepted.
    EXPECT_EQ(match(with(0, from_hex("3c 00 0104 00000000 2c 00 0104 00000000 3a 00 0000 00001234")),
                    LinkType::raw_ip),
              DiscoveryMatch::echo_reply);
    // A real fragment, hop-by-hop not first, ESP, an extension header longer than the packet, too many.
    EXPECT_FALSE(parse(with(44, from_hex("3a 00 0001 00001234")), LinkType::raw_ip));
    EXPECT_FALSE(parse(with(44, from_hex("3a 00 0008 00001234")), LinkType::raw_ip));
    EXPECT_FALSE(parse(with(60, from_hex("00 00 0104 00000000 3a 00 0104 00000000")), LinkType::raw_ip));
    EXPECT_FALSE(parse(with(50, from_hex("00000001 00000001")), LinkType::raw_ip));
    EXPECT_FALSE(parse(with(60, from_hex("3a ff 0104 00000000")), LinkType::raw_ip));
    Bytes chain;
    for (int i = 0; i < 9; ++i) {
        Bytes h = from_hex("3c 00 0104 00000000");
        if (i == 8) h[0] = 58;
        chain.insert(chain.end(), h.begin(), h.end());
    }
    EXPECT_FALSE(parse(with(60, chain), LinkType::raw_ip));
}

TEST(DiscoveryPackets, VlanTaggedAndUnknownLinkContents) {
    Bytes f = from_hex("020000000001 020000000002 8100 0064 0800");
    const Bytes p = echo_reply4();
    f.insert(f.end(), p.begin(), p.end());
    EXPECT_EQ(match(f, LinkType::ethernet), DiscoveryMatch::echo_reply);
    f[16] = 0x88;  // 802.1ad inside: rejected
    f[17] = 0xa8;
    EXPECT_FALSE(parse(f, LinkType::ethernet));
    Bytes arp = from_hex("ffffffffffff 020000000002 0806 0001 0800 06 04 0001");
    EXPECT_FALSE(parse(arp, LinkType::ethernet));
}

// Random frames, and random mutations of genuine ones: never a fault (the guard page), never a match by luck
// for the random ones.
TEST(DiscoveryPackets, RandomAndMutatedFramesAreSafe) {
    std::mt19937 rng(20250328);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 20000; ++i) {
        Bytes f(static_cast<std::size_t>(rng() % 120));
        for (auto& b : f) b = static_cast<std::uint8_t>(byte(rng));
        if (!f.empty() && i % 2) f[0] = static_cast<std::uint8_t>((i % 4 ? 0x45 : 0x60) | (f[0] & 0x0F));
        for (LinkType link : all_links) EXPECT_EQ(match(f, link), DiscoveryMatch::unrelated);
    }
    const auto answers = genuine_answers();
    for (int i = 0; i < 20000; ++i) {
        const auto& g = answers[static_cast<std::size_t>(i) % answers.size()];
        const LinkType link = all_links[static_cast<std::size_t>(i / 9) % 5];
        Bytes f = frame(g.packet, link);
        for (int k = 0; k < 3; ++k) f[rng() % f.size()] = static_cast<std::uint8_t>(byte(rng));
        if (rng() % 4 == 0) f.resize(rng() % (f.size() + 1));
        (void)match(f, link);
    }
}
