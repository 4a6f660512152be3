// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/identify_plan.hpp"

#include <gtest/gtest.h>

namespace ghostport::scanner {
namespace {

probes::ServiceDefs defs() {
    return probes::ServiceDefs::parse(R"(probe greeting greeting
probe http-get send
  payload "GET / HTTP/1.0\r\n\r\n"
  rarity 1
probe tls tls
  ports 443,8443
  rarity 2
probe redis-info send
  payload "INFO\r\n"
  ports 6379
  rarity 6
probe rare send
  payload "x"
  ports 7000-7010
  rarity 9
)",
                                      "plan.txt");
}

std::vector<std::string> names(const probes::ServiceDefs& d, const std::vector<std::size_t>& order) {
    std::vector<std::string> out;
    for (auto i : order) out.push_back(d.probes[i].name);
    return out;
}

TEST(ProbeOrder, HintedProbesFirstByRarityThenTheRestInFileOrder) {
    const auto d = defs();
    EXPECT_EQ(names(d, probe_order(d, 6379, 7)), (std::vector<std::string>{"redis-info", "http-get", "tls"}));
    EXPECT_EQ(names(d, probe_order(d, 443, 7)), (std::vector<std::string>{"tls", "http-get", "redis-info"}));
}

TEST(ProbeOrder, IntensityLimitsOnlyTheUnhintedProbes) {
    const auto d = defs();
    EXPECT_EQ(names(d, probe_order(d, 1642, 1)), (std::vector<std::string>{"http-get"}));
    EXPECT_EQ(names(d, probe_order(d, 1642, 0)), (std::vector<std::string>{}));
    // rarity 9 goes where its hint fits, whatever the intensity
    EXPECT_EQ(names(d, probe_order(d, 7005, 0)), (std::vector<std::string>{"rare"}));
    EXPECT_EQ(names(d, probe_order(d, 1642, 9)),
              (std::vector<std::string>{"http-get", "tls", "redis-info", "rare"}));
}

TEST(ProbeOrder, DatagramProbesAreNeverTcpConversations) {
    const auto d = probes::ServiceDefs::parse(R"(probe greeting greeting
probe dns datagram
  payload "x"
  ports 53
  rarity 1
probe http-get send
  payload "GET / HTTP/1.0\r\n\r\n"
  rarity 1
)",
                                              "plan.txt");
    EXPECT_EQ(names(d, probe_order(d, 53, 9)), (std::vector<std::string>{"http-get"}));
    EXPECT_EQ(names(d, probe_order(d, 80, 9)), (std::vector<std::string>{"http-get"}));
}

TEST(Waits, AdaptToTheRoundTripWithinBounds) {
    using std::chrono::microseconds;
    using std::chrono::milliseconds;
    EXPECT_EQ(greeting_wait(microseconds(0)), milliseconds(400));
    EXPECT_EQ(greeting_wait(microseconds(100'000)), milliseconds(800));
    EXPECT_EQ(greeting_wait(microseconds(10'000'000)), milliseconds(3000));
    EXPECT_GT(answer_wait(microseconds(200'000), {}), answer_wait(microseconds(0), {}));
    EXPECT_EQ(answer_wait(microseconds(0), milliseconds(2500)), milliseconds(2500));
    EXPECT_LE(connect_wait(microseconds(100'000'000)), milliseconds(5000));
}

TEST(StartTls, SmtpNeedsTheLastLineOfAMultilineReply) {
    const auto* d = starttls_dialogue("smtp");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->greeting("220-first\r\n"), ReplyVerdict::need_more);
    EXPECT_EQ(d->greeting("220-first\r\n220 ok\r\n"), ReplyVerdict::ok);
    EXPECT_EQ(d->greeting("554 go away\r\n"), ReplyVerdict::refused);
    ASSERT_EQ(d->steps.size(), 2u);
    EXPECT_EQ(d->steps[0].reply("250-lab\r\n250-STARTTLS\r\n"), ReplyVerdict::need_more);
    EXPECT_EQ(d->steps[0].reply("250-lab\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n"), ReplyVerdict::ok);
    EXPECT_EQ(d->steps[0].reply("250-lab\r\n250 SMTPUTF8\r\n"), ReplyVerdict::refused);
    EXPECT_EQ(d->steps[1].reply("220 2.0.0 Ready to start TLS\r\n"), ReplyVerdict::ok);
}

TEST(StartTls, ImapPop3FtpLdapPostgresql) {
    EXPECT_EQ(starttls_dialogue("imap")->steps[0].reply("* CAPABILITY x\r\ngp1 OK Begin TLS\r\n"),
              ReplyVerdict::ok);
    EXPECT_EQ(starttls_dialogue("imap")->steps[0].reply("gp1 BAD no\r\n"), ReplyVerdict::refused);
    EXPECT_EQ(starttls_dialogue("pop3")->steps[0].reply("-ERR no\r\n"), ReplyVerdict::refused);
    EXPECT_EQ(starttls_dialogue("ftp")->steps[0].reply("234 AUTH TLS ok.\r\n"), ReplyVerdict::ok);
    // RFC 4511: LDAPMessage { messageID 1, extendedResp { resultCode success, ... } }
    const std::string ok("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00", 14);
    EXPECT_EQ(starttls_dialogue("ldap")->steps[0].reply(ok), ReplyVerdict::ok);
    EXPECT_EQ(starttls_dialogue("ldap")->steps[0].reply(ok.substr(0, 8)), ReplyVerdict::need_more);
    std::string refused = ok;
    refused[9] = 0x34;  // unavailable
    EXPECT_EQ(starttls_dialogue("ldap")->steps[0].reply(refused), ReplyVerdict::refused);
    EXPECT_EQ(starttls_dialogue("postgresql")->steps[0].reply("S"), ReplyVerdict::ok);
    EXPECT_EQ(starttls_dialogue("postgresql")->steps[0].reply("N"), ReplyVerdict::refused);
    EXPECT_EQ(starttls_dialogue("http"), nullptr);
}

}  // namespace
}  // namespace ghostport::scanner
