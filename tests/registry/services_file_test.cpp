// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/services_file.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using ghostport::core::InputError;
using ghostport::registry::detail::parse_services;

TEST(ServicesFile, NamesPortsAliasesAndComments) {
    auto recs = parse_services(
        "# Network services, Internet style\n"
        "\n"
        "tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer\n"
        "discard\t\t9/udp\t\tsink null\n"
        "rtmp\t\t1/ddp\t\t\t# Routing Table Maintenance Protocol\n",
        "services");
    ASSERT_EQ(recs.size(), 5u);
    EXPECT_EQ(recs[0].service_name, "tcpmux");
    EXPECT_EQ(recs[0].port_lo, 1);
    EXPECT_EQ(recs[0].port_hi, 1);
    EXPECT_EQ(recs[0].protocol, "tcp");
    EXPECT_EQ(recs[0].description, "TCP port service multiplexer");
    EXPECT_EQ(recs[0].line, 3u);
    EXPECT_EQ(recs[1].service_name, "discard");
    EXPECT_EQ(recs[1].assignment_notes, "");
    EXPECT_EQ(recs[2].service_name, "sink");
    EXPECT_EQ(recs[2].assignment_notes, "This entry is an alias to \"discard\".");
    EXPECT_EQ(recs[3].service_name, "null");
    EXPECT_EQ(recs[4].protocol, "ddp");
}

TEST(ServicesFile, BadLinesNameTheLine) {
    auto error_of = [](const std::string& text) -> std::string {
        try {
            parse_services(text, "svc");
        } catch (const InputError& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_EQ(error_of("ssh 22/tcp\nlonely\n"),
              "svc: line 2: expected \"name port/protocol [aliases...]\", got \"lonely\"");
    EXPECT_EQ(error_of("ssh 70000/tcp\n"),
              "svc: line 1: bad port/protocol \"70000/tcp\" (expected e.g. 22/tcp)");
    EXPECT_NE(error_of("ssh 22\n").find("line 1: bad port/protocol"), std::string::npos);
    EXPECT_NE(error_of("ssh 22/\n").find("line 1: bad port/protocol"), std::string::npos);
    EXPECT_EQ(error_of("# only comments\n\n"), "");
}
