// SPDX-License-Identifier: GPL-2.0-or-later
// netlink::Socket against the kernel: a dump (the links of this namespace, lo among them), an error answer,
// the time-out, and a moved-from socket.
#include "netlink/socket.hpp"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <array>
#include <chrono>
#include <cstring>
#include <string>

#include "core/errors.hpp"

namespace {

using ghostport::netlink::Socket;
using namespace std::chrono_literals;

struct LinkRequest {
    nlmsghdr nh{};
    ifinfomsg ifi{};
};

LinkRequest link_request() {
    LinkRequest r;
    r.nh.nlmsg_len = sizeof r;
    r.nh.nlmsg_type = RTM_GETLINK;
    r.nh.nlmsg_flags = NLM_F_REQUEST;
    r.ifi.ifi_family = AF_UNSPEC;
    return r;
}

TEST(NetlinkSocket, DumpsTheLinksWithLoopbackAmongThem) {
    Socket s(NETLINK_ROUTE, "test");
    auto req = link_request();
    int links = 0;
    bool loopback = false;
    const unsigned lo = ::if_nametoindex("lo");
    auto status = s.dump(&req.nh, [&](const nlmsghdr* m) {
        if (m->nlmsg_type != RTM_NEWLINK || m->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) return;
        ++links;
        if (static_cast<unsigned>(static_cast<const ifinfomsg*>(NLMSG_DATA(m))->ifi_index) == lo)
            loopback = true;
    });
    EXPECT_EQ(status.error, 0);
    EXPECT_GE(links, 1);
    EXPECT_TRUE(loopback);
    // The same socket serves a second request (fresh sequence number, no leftovers).
    auto again = link_request();
    int second = 0;
    EXPECT_EQ(s.dump(&again.nh, [&](const nlmsghdr*) { ++second; }).error, 0);
    EXPECT_EQ(second, links);
}

TEST(NetlinkSocket, ErrorAnswerOfARequest) {
    Socket s(NETLINK_ROUTE, "test");
    auto req = link_request();
    req.ifi.ifi_index = 0x7ffffff0;  // no such interface: the kernel answers ENODEV
    int error = -2;
    s.receive(s.send(&req.nh), [&](const nlmsghdr* m) {
        error = s.error_of(m);
        return m->nlmsg_type == NLMSG_ERROR || m->nlmsg_type == RTM_NEWLINK;
    });
    EXPECT_EQ(error, ENODEV);
}

TEST(NetlinkSocket, TimesOutWhenNothingAnswers) {
    Socket s(NETLINK_ROUTE, "quiet test", 100ms);
    auto start = std::chrono::steady_clock::now();
    try {
        s.receive(12345, [](const nlmsghdr*) { return true; });  // nothing was sent
        FAIL() << "no time-out";
    } catch (const ghostport::core::RuntimeError& e) {
        EXPECT_NE(std::string(e.what()).find("quiet test: the kernel did not answer within 100 ms"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(NetlinkSocket, MovedFromSocketThrowsAndTheNewOneWorks) {
    Socket a(NETLINK_ROUTE, "test");
    Socket b(std::move(a));
    EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): checking the moved-from state
    EXPECT_TRUE(b.is_open());
    auto req = link_request();
    EXPECT_THROW(a.send(&req.nh), ghostport::core::RuntimeError);
    EXPECT_EQ(b.dump(&req.nh, [](const nlmsghdr*) {}).error, 0);
}

TEST(NetlinkSocket, BadProtocolThrowsOneLine) {
    try {
        Socket s(4242, "bogus");
        FAIL() << "opened a netlink socket of protocol 4242";
    } catch (const ghostport::core::RuntimeError& e) {
        std::string what = e.what();
        EXPECT_EQ(what.rfind("bogus: cannot open a netlink socket: ", 0), 0u) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos);
    }
}

}  // namespace
