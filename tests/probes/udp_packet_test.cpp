// SPDX-License-Identifier: GPL-2.0-or-later
// udp_probe and parse_udp_reply: the raw UDP engine's datagrams laid out by hand-checked rules, and answers
// and ICMP errors built byte by byte from RFC 768, 792 and 4443.
#include "probes/udp_packet.hpp"

#include <gtest/gtest.h>

#include "probes/checksum.hpp"
#include "tests/probes/frames.hpp"

namespace ghostport::probes {
namespace {

using namespace frames;

TEST(UdpProbe, Ipv4LayoutAndChecksums) {
    const auto src = addr("198.18.0.1"), dst = addr("198.18.0.10");
    const auto p = udp_probe(src, dst, 61000, 53, "abc", 0x1234);
    ASSERT_EQ(p.size(), 20u + 8 + 3);
    const Bytes b(p.begin(), p.end());
    EXPECT_EQ(b[0], 0x45);
    EXPECT_EQ(be16(b, 2), 31);
    EXPECT_EQ(be16(b, 4), 0x1234);
    EXPECT_EQ(b[9], 17);
    EXPECT_EQ(naive_sum(Bytes(b.begin(), b.begin() + 20)), 0xFFFF);  // header checksum verifies
    EXPECT_EQ(be16(b, 20), 61000);
    EXPECT_EQ(be16(b, 22), 53);
    EXPECT_EQ(be16(b, 24), 11);
    const Bytes udp(b.begin() + 20, b.end());
    EXPECT_EQ(ones_complement_sum(udp, pseudo_header_sum(src, dst, 17, 11)), 0xFFFF);
}

TEST(UdpProbe, Ipv6IsTheUdpHeaderAloneWithThePseudoHeaderChecksum) {
    const auto src = addr("2001:2::1"), dst = addr("2001:2::10");
    const auto p = udp_probe(src, dst, 61000, 123, std::string(48, '\0'), 7);
    ASSERT_EQ(p.size(), 8u + 48);
    const Bytes b(p.begin(), p.end());
    EXPECT_EQ(be16(b, 4), 56);
    EXPECT_NE(be16(b, 6), 0);
    EXPECT_EQ(ones_complement_sum(b, pseudo_header_sum(src, dst, 17, 56)), 0xFFFF);
}

TEST(UdpProbe, RefusesMixedFamiliesAndOversizedPayloads) {
    EXPECT_TRUE(udp_probe(addr("198.18.0.1"), addr("2001:2::10"), 1, 2, "", 1).empty());
    EXPECT_TRUE(udp_probe(addr("198.18.0.1"), addr("198.18.0.2"), 1, 2, std::string(65508, 'x'), 1).empty());
}

Bytes udp_header(std::uint16_t sport, std::uint16_t dport, const std::string& payload) {
    Bytes u(8 + payload.size(), 0);
    put16(u, 0, sport);
    put16(u, 2, dport);
    put16(u, 4, static_cast<std::uint16_t>(8 + payload.size()));
    for (std::size_t i = 0; i < payload.size(); ++i) u[8 + i] = static_cast<std::uint8_t>(payload[i]);
    return u;
}

TEST(UdpReply, AnswerOnEveryLinkType) {
    const auto packet = ipv4(addr("198.18.0.10"), addr("198.18.0.1"), 17, udp_header(53, 61000, "hello"));
    for (LinkType link : all_links) {
        const Bytes f = frame(packet, link);  // the reply's payload is a view into it
        auto r = parse_udp_reply(f, link);
        ASSERT_TRUE(r) << static_cast<int>(link);
        EXPECT_EQ(r->kind, UdpReply::Kind::datagram);
        EXPECT_EQ(r->host, addr("198.18.0.10"));
        EXPECT_EQ(r->host_port, 53);
        EXPECT_EQ(r->our_port, 61000);
        EXPECT_EQ(std::string(r->payload.begin(), r->payload.end()), "hello");
    }
}

TEST(UdpReply, Ipv4PortUnreachableQuotingOurDatagram) {
    const auto probe = udp_probe(addr("198.18.0.1"), addr("198.18.0.10"), 61000, 1642, "q", 0xBEEF);
    Bytes icmp{3, 3, 0, 0, 0, 0, 0, 0};
    icmp.insert(icmp.end(), probe.begin(), probe.begin() + 28);  // IP header + UDP header, as routers quote
    auto r =
        parse_udp_reply(frame(ipv4(addr("198.18.0.10"), addr("198.18.0.1"), 1, icmp), LinkType::ethernet),
                        LinkType::ethernet);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, UdpReply::Kind::icmp);
    EXPECT_EQ(r->icmp_type, 3);
    EXPECT_EQ(r->icmp_code, 3);
    EXPECT_EQ(r->host, addr("198.18.0.10"));
    EXPECT_EQ(r->host_port, 1642);
    EXPECT_EQ(r->our_port, 61000);
    EXPECT_EQ(r->quoted_ip_id, 0xBEEF);
    EXPECT_EQ(r->offender, addr("198.18.0.10"));
}

TEST(UdpReply, Ipv6PortUnreachableFromARouter) {
    const auto src = addr("2001:2::1"), dst = addr("2001:2::10");
    const Bytes quoted = ipv6(src, dst, 17, udp_header(61000, 500, "ike"));
    Bytes icmp{1, 4, 0, 0, 0, 0, 0, 0};
    icmp.insert(icmp.end(), quoted.begin(), quoted.end());
    auto r =
        parse_udp_reply(frame(ipv6(addr("2001:2::ff"), src, 58, icmp), LinkType::raw_ip), LinkType::raw_ip);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, UdpReply::Kind::icmp);
    EXPECT_EQ(r->host, dst);
    EXPECT_EQ(r->host_port, 500);
    EXPECT_EQ(r->our_port, 61000);
    EXPECT_EQ(r->offender, addr("2001:2::ff"));
}

TEST(UdpReply, RejectsWhatIsNotAnAnswerOrAnError) {
    const auto a = addr("198.18.0.10"), b = addr("198.18.0.1");
    // a UDP length beyond the packet, and one below the header
    Bytes bad = udp_header(53, 61000, "hello");
    put16(bad, 4, 200);
    EXPECT_FALSE(parse_udp_reply(frame(ipv4(a, b, 17, bad), LinkType::raw_ip), LinkType::raw_ip));
    put16(bad, 4, 7);
    EXPECT_FALSE(parse_udp_reply(frame(ipv4(a, b, 17, bad), LinkType::raw_ip), LinkType::raw_ip));
    // ICMP echo reply, an error quoting TCP, and one quoting less than the UDP header
    EXPECT_FALSE(parse_udp_reply(frame(ipv4(a, b, 1, Bytes{0, 0, 0, 0, 0, 0, 0, 0}), LinkType::raw_ip),
                                 LinkType::raw_ip));
    Bytes tcp_quote{3, 3, 0, 0, 0, 0, 0, 0};
    const Bytes quoted_tcp = ipv4(b, a, 6, Bytes(20, 0));
    tcp_quote.insert(tcp_quote.end(), quoted_tcp.begin(), quoted_tcp.end());
    EXPECT_FALSE(parse_udp_reply(frame(ipv4(a, b, 1, tcp_quote), LinkType::raw_ip), LinkType::raw_ip));
    const auto probe = udp_probe(b, a, 61000, 1642, "", 1);
    Bytes short_quote{3, 3, 0, 0, 0, 0, 0, 0};
    short_quote.insert(short_quote.end(), probe.begin(), probe.begin() + 24);
    EXPECT_FALSE(parse_udp_reply(frame(ipv4(a, b, 1, short_quote), LinkType::raw_ip), LinkType::raw_ip));
    // every truncation of a valid answer
    const auto packet = frame(ipv4(a, b, 17, udp_header(53, 61000, "hi")), LinkType::raw_ip);
    for (std::size_t n = 0; n < packet.size(); ++n)
        EXPECT_FALSE(parse_udp_reply(std::span(packet.data(), n), LinkType::raw_ip)) << n;
}

}  // namespace
}  // namespace ghostport::probes
