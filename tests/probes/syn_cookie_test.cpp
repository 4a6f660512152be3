// SPDX-License-Identifier: GPL-2.0-or-later
// SYN cookies: the documented encoding, sensitivity to every input, and the SYN-ACK and RST matching rules.
#include "probes/syn_cookie.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

#include "probes/tcp_flags.hpp"

namespace gp = ghostport::probes;
using ghostport::core::Address;

namespace {

const gp::SipKey key{0x0123456789abcdefULL, 0xfedcba9876543210ULL};

Address addr(const char* text) {
    return *Address::parse(text);
}

// The reply a target would send to our probe us:sport -> them:dport.
gp::Reply answer(const Address& us, const Address& them, std::uint16_t sport, std::uint16_t dport,
                 std::uint8_t flags, std::uint32_t seq, std::uint32_t ack) {
    gp::Reply r;
    r.src = them;
    r.dst = us;
    r.sport = dport;
    r.dport = sport;
    r.flags = flags;
    r.seq = seq;
    r.ack = ack;
    return r;
}

}  // namespace

TEST(SynCookie, IsTheLow32BitsOfSipHashOverTheDocumentedEncoding) {
    // IPv4: 04 | c6 12 00 01 | c6 13 07 2a | 9c 40 | 01 bb
    const std::array<std::uint8_t, 13> v4{0x04, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x13,
                                          0x07, 0x2a, 0x9c, 0x40, 0x01, 0xbb};
    EXPECT_EQ(gp::syn_cookie(key, addr("198.18.0.1"), addr("198.19.7.42"), 40000, 443),
              static_cast<std::uint32_t>(gp::siphash24(key, v4)));

    // IPv6: 06 | 16 bytes of 2001:2::1 | 16 bytes of 2001:2:0:1::42 | 9c 40 | 00 16
    std::array<std::uint8_t, 37> v6{};
    v6[0] = 0x06;
    const auto s = addr("2001:2::1").bytes, d = addr("2001:2:0:1::42").bytes;
    std::copy(s.begin(), s.end(), v6.begin() + 1);
    std::copy(d.begin(), d.end(), v6.begin() + 17);
    v6[33] = 0x9c;
    v6[34] = 0x40;
    v6[35] = 0x00;
    v6[36] = 0x16;
    EXPECT_EQ(gp::syn_cookie(key, addr("2001:2::1"), addr("2001:2:0:1::42"), 40000, 22),
              static_cast<std::uint32_t>(gp::siphash24(key, v6)));
}

TEST(SynCookie, EveryInputChangesTheCookie) {
    const Address s = addr("198.18.0.1"), d = addr("198.19.7.42");
    const std::uint32_t base = gp::syn_cookie(key, s, d, 40000, 443);
    EXPECT_NE(gp::syn_cookie(key, addr("198.18.0.2"), d, 40000, 443), base);
    EXPECT_NE(gp::syn_cookie(key, s, addr("198.19.7.43"), 40000, 443), base);
    EXPECT_NE(gp::syn_cookie(key, s, d, 40001, 443), base);
    EXPECT_NE(gp::syn_cookie(key, s, d, 40000, 444), base);
    EXPECT_NE(gp::syn_cookie(key, d, s, 443, 40000), base) << "direction matters";
    EXPECT_NE(gp::syn_cookie(gp::SipKey{key.k0 ^ 1, key.k1}, s, d, 40000, 443), base);
    EXPECT_NE(gp::syn_cookie(gp::SipKey{key.k0, key.k1 ^ (1ULL << 63)}, s, d, 40000, 443), base);
    // ::ffff:198.18.0.1-style look-alikes are another family and hash differently.
    EXPECT_NE(gp::syn_cookie(key, addr("::ffff:198.18.0.1"), addr("::ffff:198.19.7.42"), 40000, 443), base);
}

TEST(SynCookie, SpreadsOverPortsAndHosts) {
    std::set<std::uint32_t> seen;
    const Address s = addr("198.18.0.1");
    for (std::uint32_t host = 0; host < 64; ++host)
        for (std::uint16_t port = 1; port <= 64; ++port)
            seen.insert(gp::syn_cookie(key, s, Address::from_v4(0xc6130000u + host), 40000, port));
    // 4096 inputs into 2^32 values: with this fixed key there is no collision.
    EXPECT_EQ(seen.size(), 4096u);
}

TEST(SynCookie, SynAckRule) {
    EXPECT_TRUE(gp::matches_syn_ack(0x12345679, 0x12345678));
    EXPECT_FALSE(gp::matches_syn_ack(0x12345678, 0x12345678));
    EXPECT_FALSE(gp::matches_syn_ack(0x1234567a, 0x12345678));
    EXPECT_TRUE(gp::matches_syn_ack(0, 0xffffffff)) << "wraps mod 2^32";
    EXPECT_FALSE(gp::matches_syn_ack(0xffffffff, 0));
}

TEST(SynCookie, RstRuleNeedsTheAckBit) {
    using namespace gp::tcp_flag;
    EXPECT_TRUE(gp::matches_rst(rst | ack, 0x12345679, 0x12345678));
    EXPECT_FALSE(gp::matches_rst(rst, 0x12345679, 0x12345678)) << "ACK clear: not an answer to a SYN";
    EXPECT_FALSE(gp::matches_rst(rst | ack, 0x12345678, 0x12345678));
    EXPECT_FALSE(gp::matches_rst(rst | ack, 0x1234567a, 0x12345678));
}

TEST(SynCookie, RoundTripThroughAReply) {
    using namespace gp::tcp_flag;
    for (const auto& [us_text, them_text] :
         {std::pair{"198.18.0.1", "198.19.7.42"}, std::pair{"2001:2::1", "2001:2::99"}}) {
        const Address us = addr(us_text), them = addr(them_text);
        const std::uint32_t cookie = gp::syn_cookie(key, us, them, 40000, 443);
        const std::uint32_t next = cookie + 1;

        const gp::Reply synack = answer(us, them, 40000, 443, syn | ack, 0x5eed, next);
        EXPECT_EQ(gp::reply_cookie(key, synack), cookie);
        EXPECT_EQ(gp::match_reply(key, synack), gp::ReplyMatch::syn_ack);
        // A closed port: <SEQ=0><ACK=cookie+1><CTL=RST,ACK>.
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, rst | ack, 0, next)),
                  gp::ReplyMatch::rst);

        // Off-by-one acks, the wrong flags, another key or another 4-tuple are unrelated.
        for (std::uint32_t wrong : {cookie, cookie + 2, cookie - 1, ~next}) {
            EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, syn | ack, 0, wrong)),
                      gp::ReplyMatch::unrelated);
            EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, rst | ack, 0, wrong)),
                      gp::ReplyMatch::unrelated);
        }
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, rst, next, 0)),
                  gp::ReplyMatch::unrelated);
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, rst, 0, next)),
                  gp::ReplyMatch::unrelated);
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, syn, 0, next)),
                  gp::ReplyMatch::unrelated);
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, ack, 0, next)),
                  gp::ReplyMatch::unrelated);
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, syn | rst | ack, 0, next)),
                  gp::ReplyMatch::unrelated);
        EXPECT_EQ(gp::match_reply(gp::SipKey{1, 2}, synack), gp::ReplyMatch::unrelated);
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40001, 443, syn | ack, 0, next)),
                  gp::ReplyMatch::unrelated);
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 444, syn | ack, 0, next)),
                  gp::ReplyMatch::unrelated);
        // Extra flags (ECE on a SYN-ACK, PSH/FIN on a RST) do not hide an answer.
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, syn | ack | ece, 0, next)),
                  gp::ReplyMatch::syn_ack);
        EXPECT_EQ(gp::match_reply(key, answer(us, them, 40000, 443, rst | ack | psh, 0, next)),
                  gp::ReplyMatch::rst);
    }
}

TEST(SynCookie, UnreachableMatchesOnlyTheQuotedCookie) {
    for (const auto& [us_text, them_text] :
         {std::pair{"198.18.0.1", "198.18.0.10"}, std::pair{"2001:2::1", "2001:2::10"}}) {
        const Address us = addr(us_text), them = addr(them_text);
        const std::uint32_t cookie = gp::syn_cookie(key, us, them, 40000, 443);
        gp::Reply error;
        error.kind = gp::ReplyKind::unreachable;
        error.src = them;
        error.dst = us;
        error.sport = 443;
        error.dport = 40000;
        error.seq = cookie;
        EXPECT_EQ(gp::match_reply(key, error), gp::ReplyMatch::unreachable);
        error.seq = cookie + 1;
        EXPECT_EQ(gp::match_reply(key, error), gp::ReplyMatch::unrelated);
        error.seq = cookie;
        error.sport = 444;
        EXPECT_EQ(gp::match_reply(key, error), gp::ReplyMatch::unrelated);
    }
}

TEST(SynCookie, RandomKeysDiffer) {
    const gp::SipKey a = gp::random_key(), b = gp::random_key();
    EXPECT_NE(a, b);
    EXPECT_NE(a, gp::SipKey{});
}
