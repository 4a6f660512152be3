// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/scan_ports_reader.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/errors.hpp"
#include "output/xml_sink.hpp"

namespace ghostport::output {
namespace {

TEST(ScanXml, NmapStyleHostsPortsAndScaninfo) {
    const auto v = read_scan_xml(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun>\n<!-- a <comment> -->\n"
        "<nmaprun scanner=\"nmap\" args=\"nmap -oX - 198.18.0.5\">\n"
        "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"4\" services=\"20-22,1642\"/>\n"
        "<scaninfo type=\"udp\" protocol=\"udp\" numservices=\"1\" services=\"642\"/>\n"
        "<host><status state=\"up\"/><address addr=\"198.18.0.5\" addrtype=\"ipv4\"/>"
        "<address addr=\"02:00:00:00:00:01\" addrtype=\"mac\"/>\n"
        "<ports><port protocol=\"tcp\" portid=\"22\"><state state=\"open\" reason=\"syn-ack\"/>"
        "<service name=\"ssh\" extrainfo=\"a &amp; b &#x41;\"/></port>\n"
        "<port protocol=\"udp\" portid=\"642\"><state state=\"open|filtered\"/></port>\n"
        "<port protocol='tcp' portid='1642'><state state='closed'/></port></ports></host>\n"
        "<host><address addr=\"2001:2::7\" addrtype=\"ipv6\"/></host>\n"
        "</nmaprun>\n");
    ASSERT_EQ(v.hosts.size(), 2u);
    EXPECT_EQ(v.hosts[0].to_string(), "198.18.0.5");
    EXPECT_EQ(v.tcp_scanned, (std::vector<std::uint16_t>{20, 21, 22, 1642}));
    EXPECT_EQ(v.udp_scanned, (std::vector<std::uint16_t>{642}));
    ASSERT_EQ(v.ports.size(), 3u);
    EXPECT_EQ(v.ports[0].port, 22);
    EXPECT_EQ(v.ports[0].state, core::PortState::open);
    EXPECT_EQ(v.ports[1].proto, core::Proto::udp);
    EXPECT_EQ(v.ports[1].state, core::PortState::open_filtered);
    EXPECT_EQ(v.ports[2].state, core::PortState::closed);
}

TEST(ScanXml, BadDocumentsAreErrors) {
    EXPECT_THROW(read_scan_xml("<html></html>"), core::InputError);
    EXPECT_THROW(read_scan_xml("<nmaprun><host><address addr=\"bogus\" addrtype=\"ipv4\"/>"),
                 core::InputError);
    EXPECT_THROW(read_scan_xml("<nmaprun><host><port protocol=\"tcp\" portid=\"1\"/>"), core::InputError);
    EXPECT_THROW(read_scan_xml("<nmaprun><scaninfo protocol=\"tcp\" services=\"9-1\"/>"), core::InputError);
    EXPECT_THROW(read_scan_xml("<nmaprun <host"), core::InputError);
}

// ghostport's own XML report reads back as what it says: the host, the open and closed ports, the ports
// scanned.
TEST(ScanXml, GhostportsOwnXmlReadsBack) {
    core::Report r;
    r.meta.engine = "connect";
    r.meta.ports_per_host = 3;
    r.meta.ports_scanned = "22,1642,8080";
    r.meta.closed = 1;
    for (auto [port, state] :
         {std::pair{22, core::PortState::open}, std::pair{8080, core::PortState::open}}) {
        core::ReportRow row;
        row.result.host = *core::Address::parse("198.18.0.5");
        row.result.port = static_cast<std::uint16_t>(port);
        row.result.state = state;
        row.result.reason = core::Reason::syn_ack;
        row.label.service = "x\"<&";
        r.rows.push_back(row);
    }
    std::ostringstream xml;
    write_xml(xml, r);
    const auto v = read_scan_xml(xml.str());
    ASSERT_EQ(v.hosts.size(), 1u);
    EXPECT_EQ(v.hosts[0].to_string(), "198.18.0.5");
    EXPECT_EQ(v.tcp_scanned, (std::vector<std::uint16_t>{22, 1642, 8080}));
    ASSERT_EQ(v.ports.size(), 2u);
    EXPECT_EQ(v.ports[1].port, 8080);
    EXPECT_EQ(v.ports[1].state, core::PortState::open);
}

}  // namespace
}  // namespace ghostport::output
