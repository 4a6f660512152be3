// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/port_spec.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using ghostport::core::InputError;
using ghostport::scanner::parse_ports;
using Ports = std::vector<std::uint16_t>;

TEST(PortSpec, ListsAndRanges) {
    EXPECT_EQ(parse_ports("22,80,1000-1003"), (Ports{22, 80, 1000, 1001, 1002, 1003}));
    EXPECT_EQ(parse_ports("80,22,80"), (Ports{22, 80}));
    EXPECT_EQ(parse_ports("-3"), (Ports{1, 2, 3}));
    EXPECT_EQ(parse_ports("65534-"), (Ports{65534, 65535}));
    EXPECT_EQ(parse_ports("0"), (Ports{0}));
    EXPECT_EQ(parse_ports("-").size(), 65535u);  // nmap's -p-: every port but 0
}

TEST(PortSpec, NamedSets) {
    auto all = parse_ports("all");
    EXPECT_EQ(all.size(), 65535u);
    EXPECT_EQ(all.front(), 1);
    auto wk = parse_ports("well-known");
    EXPECT_EQ(wk.size(), 1024u);
    EXPECT_EQ(wk.front(), 0);
    EXPECT_EQ(parse_ports("registered").size(), 49151u - 1024u + 1u);
    auto dyn = parse_ports("dynamic");
    EXPECT_EQ(dyn.front(), 49152);
    EXPECT_EQ(dyn.back(), 65535);
    EXPECT_EQ(parse_ports("0,all").size(), 65536u);
    EXPECT_EQ(parse_ports("well-known,22").size(), 1024u);
}

TEST(PortSpec, EveryBadFormIsOneClearError) {
    struct Case {
        const char* spec;
        const char* message;
    };
    for (auto c :
         {Case{"", "bad port spec '': empty item"}, Case{"22,,80", "bad port spec '22,,80': empty item"},
          Case{"22,", "bad port spec '22,': empty item"},
          Case{"70000", "bad port spec '70000': port 70000 is out of range (0-65535)"},
          Case{"99999999999", "bad port spec '99999999999': port 99999999999 is out of range (0-65535)"},
          Case{"2000-1000", "bad port spec '2000-1000': range 2000-1000 is backwards"},
          Case{"http", "bad port spec 'http': 'http' is not a port number"},
          Case{"1-2-3", "bad port spec '1-2-3': '2-3' is not a port number"},
          Case{"+22", "bad port spec '+22': '+22' is not a port number"},
          Case{" 22", "bad port spec ' 22': ' 22' is not a port number"},
          Case{"22 ", "bad port spec '22 ': '22 ' is not a port number"}}) {
        try {
            parse_ports(c.spec);
            ADD_FAILURE() << "accepted " << c.spec;
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), c.message);
        }
    }
}

// T: and U: prefix the ports of one protocol until the next prefix; items before any prefix are for both.
TEST(PortPlan, PrefixesHoldUntilTheNext) {
    using ghostport::scanner::parse_port_plan;
    const auto p = parse_port_plan("U:53,161,T:22,80");
    EXPECT_EQ(p.udp, (std::vector<std::uint16_t>{53, 161}));
    EXPECT_EQ(p.tcp, (std::vector<std::uint16_t>{22, 80}));
    EXPECT_TRUE(p.udp_prefixed);
    EXPECT_TRUE(p.tcp_prefixed);

    const auto both = parse_port_plan("22,1000-1002,U:53");
    EXPECT_EQ(both.tcp, (std::vector<std::uint16_t>{22, 1000, 1001, 1002}));
    EXPECT_EQ(both.udp, (std::vector<std::uint16_t>{22, 53, 1000, 1001, 1002}));
    EXPECT_FALSE(both.tcp_prefixed);
    EXPECT_TRUE(both.udp_prefixed);

    const auto plain = parse_port_plan("22,80");
    EXPECT_EQ(plain.tcp, plain.udp);
    EXPECT_EQ(plain.tcp, parse_ports("22,80"));
    EXPECT_FALSE(plain.tcp_prefixed || plain.udp_prefixed);

    const auto named = parse_port_plan("u:well-known,t:-3");
    EXPECT_EQ(named.udp.size(), 1024u);
    EXPECT_EQ(named.tcp, (std::vector<std::uint16_t>{1, 2, 3}));
    EXPECT_EQ(parse_port_plan("T:22,T:23,U:53,U:54").udp, (std::vector<std::uint16_t>{53, 54}));
}

TEST(PortPlan, BadSpecsSayWhy) {
    using ghostport::scanner::parse_port_plan;
    struct Case {
        std::string_view spec, message;
    };
    for (auto c :
         {Case{"U:", "bad port spec 'U:': empty item"},
          Case{"U:53,T:", "bad port spec 'U:53,T:': empty item"},
          Case{"S:80", "bad port spec 'S:80': 'S:' is not a protocol prefix (T: for TCP, U: for UDP)"},
          Case{"U:53,T:x", "bad port spec 'U:53,T:x': 'x' is not a port number"},
          Case{"U:70000", "bad port spec 'U:70000': port 70000 is out of range (0-65535)"},
          Case{"UDP:53", "bad port spec 'UDP:53': 'UDP:53' is not a port number"}}) {
        try {
            parse_port_plan(c.spec);
            ADD_FAILURE() << "accepted " << c.spec;
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), c.message);
        }
    }
}
