// SPDX-License-Identifier: GPL-2.0-or-later
// The inet_diag message parser on crafted bytes: fields, dual stack, UDP peers, truncation and garbage.
#include "listeners/socket_table.hpp"

#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

namespace {

using ghostport::core::Proto;
using ghostport::listeners::detail::parse_diag_message;

struct Crafted {
    std::uint8_t family = AF_INET;
    std::uint8_t state = 10;  // TCP_LISTEN
    std::uint16_t sport = 1642;
    std::uint16_t dport = 0;
    std::vector<std::uint8_t> src{0, 0, 0, 0};
    std::uint32_t inode = 4242;
    std::uint32_t uid = 65534;
    int v6only = -1;  // -1: no INET_DIAG_SKV6ONLY attribute
};

std::vector<std::uint8_t> bytes_of(const Crafted& c) {
    inet_diag_msg msg{};
    msg.idiag_family = c.family;
    msg.idiag_state = c.state;
    msg.id.idiag_sport = htons(c.sport);
    msg.id.idiag_dport = htons(c.dport);
    std::memcpy(msg.id.idiag_src, c.src.data(), c.src.size());
    msg.idiag_inode = c.inode;
    msg.idiag_uid = c.uid;
    const std::size_t fixed = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof msg);
    std::vector<std::uint8_t> out(fixed + (c.v6only >= 0 ? 8 : 0), 0);
    std::memcpy(out.data() + NLMSG_HDRLEN, &msg, sizeof msg);
    if (c.v6only >= 0) {  // one attribute: length 5, type, the flag byte, 3 bytes of padding
        out[fixed] = 5;
        out[fixed + 2] = INET_DIAG_SKV6ONLY;
        out[fixed + 4] = static_cast<std::uint8_t>(c.v6only);
    }
    nlmsghdr nh{};
    nh.nlmsg_len = static_cast<std::uint32_t>(out.size());
    nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    std::memcpy(out.data(), &nh, sizeof nh);
    return out;
}

std::vector<std::uint8_t> any6() {
    return std::vector<std::uint8_t>(16, 0);
}

TEST(SocketTable, TcpListenerV4) {
    Crafted c;
    c.src = {127, 0, 0, 1};
    auto l = parse_diag_message(bytes_of(c), Proto::tcp);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->proto, Proto::tcp);
    EXPECT_EQ(l->address.to_string(), "127.0.0.1");
    EXPECT_EQ(l->port, 1642);
    EXPECT_EQ(l->inode, 4242u);
    EXPECT_EQ(l->uid, 65534u);
    EXPECT_FALSE(l->dual_stack);
    EXPECT_EQ(ghostport::core::exposure_of(*l), ghostport::core::Exposure::loopback);
}

TEST(SocketTable, TcpNotListeningIsDropped) {
    Crafted c;
    c.state = 1;  // ESTABLISHED
    EXPECT_FALSE(parse_diag_message(bytes_of(c), Proto::tcp));
}

TEST(SocketTable, DualStackOnlyForAnyWithoutV6Only) {
    Crafted c;
    c.family = AF_INET6;
    c.src = any6();
    c.v6only = 0;
    auto dual = parse_diag_message(bytes_of(c), Proto::tcp);
    ASSERT_TRUE(dual);
    EXPECT_TRUE(dual->dual_stack);
    EXPECT_EQ(dual->address.to_string(), "::");

    c.v6only = 1;
    auto only6 = parse_diag_message(bytes_of(c), Proto::tcp);
    ASSERT_TRUE(only6);
    EXPECT_FALSE(only6->dual_stack);

    c.v6only = 0;
    c.src = any6();
    c.src[15] = 1;  // ::1 takes no IPv4 whatever V6ONLY says
    auto loop = parse_diag_message(bytes_of(c), Proto::tcp);
    ASSERT_TRUE(loop);
    EXPECT_FALSE(loop->dual_stack);
    EXPECT_EQ(loop->address.to_string(), "::1");
}

TEST(SocketTable, UdpConnectedIsDroppedUnconnectedKept) {
    Crafted c;
    c.state = 7;  // CLOSE: bound, unconnected
    c.sport = 642;
    auto bound = parse_diag_message(bytes_of(c), Proto::udp);
    ASSERT_TRUE(bound);
    EXPECT_EQ(bound->proto, Proto::udp);
    EXPECT_EQ(bound->port, 642);
    c.state = 1;
    c.dport = 53;
    EXPECT_FALSE(parse_diag_message(bytes_of(c), Proto::udp));
}

TEST(SocketTable, PortZeroAndOtherFamiliesAreDropped) {
    Crafted c;
    c.sport = 0;
    EXPECT_FALSE(parse_diag_message(bytes_of(c), Proto::tcp));
    c.sport = 22;
    c.family = AF_UNIX;
    EXPECT_FALSE(parse_diag_message(bytes_of(c), Proto::tcp));
}

TEST(SocketTable, TruncatedInputNeverParses) {
    Crafted c;
    c.family = AF_INET6;
    c.src = any6();
    c.v6only = 0;
    auto full = bytes_of(c);
    ASSERT_TRUE(parse_diag_message(full, Proto::tcp));
    const std::size_t fixed = NLMSG_HDRLEN + sizeof(inet_diag_msg);
    for (std::size_t n = 0; n < fixed; ++n) {
        std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<long>(n));
        EXPECT_FALSE(parse_diag_message(cut, Proto::tcp)) << n;
    }
    // A buffer shorter than nlmsg_len claims is refused too.
    std::vector<std::uint8_t> cut(full.begin(), full.end() - 1);
    EXPECT_FALSE(parse_diag_message(cut, Proto::tcp));
}

TEST(SocketTable, MalformedAttributesAreIgnored) {
    Crafted c;
    c.family = AF_INET6;
    c.src = any6();
    c.v6only = 0;
    auto bytes = bytes_of(c);
    bytes[NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(inet_diag_msg))] = 200;  // attribute longer than the message
    auto l = parse_diag_message(bytes, Proto::tcp);
    ASSERT_TRUE(l);
    EXPECT_FALSE(l->dual_stack);                                   // the attribute was not read
    bytes[NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(inet_diag_msg))] = 2;  // shorter than its own header
    ASSERT_TRUE(parse_diag_message(bytes, Proto::tcp));
}

TEST(SocketTable, WrongMessageTypeIsDropped) {
    auto bytes = bytes_of(Crafted{});
    bytes[4] = NLMSG_DONE;
    bytes[5] = 0;
    EXPECT_FALSE(parse_diag_message(bytes, Proto::tcp));
}

TEST(SocketTable, RandomBytesNeverCrash) {
    std::uint32_t x = 12345;
    int parsed = 0;
    for (int round = 0; round < 2000; ++round) {
        auto bytes = bytes_of(Crafted{});
        for (auto& b : bytes) {
            x = x * 1103515245u + 12345u;
            if ((x >> 16) % 8 == 0) b = static_cast<std::uint8_t>(x >> 24);
        }
        bytes.resize((x >> 8) % (bytes.size() + 1));
        if (parse_diag_message(bytes, Proto::tcp)) ++parsed;
    }
    EXPECT_LT(parsed, 2000);  // most damaged messages are refused
}

// The live table of this namespace holds a listener this test opens.
TEST(SocketTable, ReadsALiveListener) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    socklen_t len = sizeof sa;
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len), 0);
    auto rows = ghostport::listeners::read_socket_table();
    ::close(fd);
    bool found = false;
    for (const auto& r : rows)
        if (r.proto == Proto::tcp && r.port == ntohs(sa.sin_port) && r.address.to_string() == "127.0.0.1")
            found = true;
    EXPECT_TRUE(found);
}

}  // namespace
