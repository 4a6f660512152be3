// SPDX-License-Identifier: GPL-2.0-or-later
// UDP payloads: the datagram probe kind of the definitions grammar, the order a port gets its payloads in,
// their bytes, and identify_datagram on answers written from each protocol's specification, against the
// real probes/udp_payloads.txt.
#include "probes/udp_payloads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "probes/service_defs.hpp"
#include "probes/service_match.hpp"

namespace ghostport::probes {
namespace {

const std::string real_file = GHOSTPORT_SOURCE_DIR "/probes/udp_payloads.txt";

// The message of the InputError parsing `text` as "u.txt" throws ("" when none).
std::string error_of(std::string_view text) {
    try {
        ServiceDefs::parse(text, "u.txt");
    } catch (const core::InputError& e) {
        return e.what();
    }
    return "";
}

std::vector<std::string> names(const ServiceDefs& d, const std::vector<std::size_t>& order) {
    std::vector<std::string> out;
    for (const auto i : order) out.push_back(d.probes[i].name);
    return out;
}

const ServiceDefs& real_defs() {
    static const ServiceDefs defs = ServiceDefs::load(real_file);
    return defs;
}

const Matcher& real_matcher() {
    static const Matcher m(real_defs());
    return m;
}

std::size_t index_of(const ServiceDefs& d, std::string_view name) {
    const int i = d.find(name);
    if (i < 0) throw std::runtime_error("no probe " + std::string(name));
    return static_cast<std::size_t>(i);
}

TEST(DatagramProbes, ParseWithPayloadPadAndEmptyPayload) {
    const auto defs = ServiceDefs::parse(
        "probe quic datagram\n"
        "  payload \"\\xc0\\x1a\"\n"
        "  pad 1200\n"
        "  ports 443\n"
        "  rarity 3\n"
        "  match quic /^\\x80/s\n"
        "probe empty datagram\n"
        "  payload \"\"\n"
        "  fallback quic\n",
        "u.txt");
    ASSERT_EQ(defs.probes.size(), 2u);
    EXPECT_EQ(defs.probes[0].kind, ProbeKind::datagram);
    EXPECT_EQ(defs.probes[0].payload, std::string("\xc0\x1a"));
    EXPECT_EQ(defs.probes[0].pad, 1200u);
    EXPECT_EQ(defs.probes[1].kind, ProbeKind::datagram);
    EXPECT_EQ(defs.probes[1].payload, "");
    EXPECT_EQ(defs.probes[1].pad, 0u);
}

TEST(DatagramProbes, GrammarErrorsNameFileAndLine) {
    EXPECT_EQ(error_of("probe d datagram\n  rarity 1\n"),
              "u.txt:1: datagram probe \"d\" has no payload (payload \"\" sends an empty datagram)");
    EXPECT_EQ(error_of("probe d datagram\n  payload \"x\"\n  in-tls\n"),
              "u.txt:3: in-tls on a datagram probe");
    EXPECT_EQ(error_of("probe s send\n  payload \"x\"\n  pad 10\n"),
              "u.txt:3: pad on a send probe (only datagram probes have one)");
    EXPECT_EQ(error_of("probe g greeting\n  pad 10\n"),
              "u.txt:2: pad on a greeting probe (only datagram probes have one)");
    EXPECT_EQ(error_of("probe d datagram\n  payload \"abcdef\"\n  pad 4\n"),
              "u.txt:1: datagram probe \"d\": pad 4 is shorter than its 6-byte payload");
    EXPECT_EQ(error_of("probe d datagram\n  payload \"x\"\n  pad 0\n"),
              "u.txt:3: bad pad \"0\" (expected 1-65507 bytes)");
    EXPECT_EQ(error_of("probe d datagram\n  payload \"x\"\n  pad 65508\n"),
              "u.txt:3: bad pad \"65508\" (expected 1-65507 bytes)");
    EXPECT_EQ(error_of("probe d datagram\n  payload \"x\"\n  pad 12x\n"),
              "u.txt:3: bad pad \"12x\" (expected 1-65507 bytes)");
    EXPECT_EQ(error_of("probe d datagram\n  payload \"x\"\n  pad 10\n  pad 20\n"),
              "u.txt:4: pad given twice for probe \"d\"");
    EXPECT_EQ(error_of("probe d datagram\n  payload \"x\"\n  payload \"y\"\n"),
              "u.txt:3: payload given twice for probe \"d\"");
    // A send probe still needs bytes; only a datagram may be empty.
    EXPECT_EQ(error_of("probe s send\n  payload \"\"\n"), "u.txt:2: empty payload");
    EXPECT_EQ(error_of("probe t tls\n  payload \"x\"\n"),
              "u.txt:2: payload on a tls probe (only send and datagram probes have one)");
    EXPECT_EQ(error_of("probe x dgram\n"),
              "u.txt:1: unknown probe kind \"dgram\" (greeting, send, tls or datagram)");
    // A UDP answer is never a TCP one: no fallback across the kinds, either way.
    EXPECT_EQ(
        error_of("probe g greeting\nprobe d datagram\n  payload \"x\"\n  fallback g\n"),
        "u.txt:2: probe \"d\" falls back to greeting probe \"g\" (datagram probes fall back only to datagram "
        "probes, the others never to one)");
    EXPECT_EQ(
        error_of("probe s send\n  payload \"x\"\n  fallback d\nprobe d datagram\n  payload \"x\"\n"),
        "u.txt:1: probe \"s\" falls back to datagram probe \"d\" (datagram probes fall back only to datagram "
        "probes, the others never to one)");
}

TEST(DatagramProbes, BytesArePaddedWithZeros) {
    const auto defs = ServiceDefs::parse(
        "probe a datagram\n payload \"ab\"\n pad 6\n"
        "probe b datagram\n payload \"abc\"\n pad 3\n"
        "probe c datagram\n payload \"\"\n",
        "u.txt");
    EXPECT_EQ(datagram_bytes(defs, 0), std::string("ab\0\0\0\0", 6));
    EXPECT_EQ(datagram_bytes(defs, 1), "abc");
    EXPECT_EQ(datagram_bytes(defs, 2), "");
    EXPECT_THROW(datagram_bytes(defs, 3), std::out_of_range);
}

// Probes a..e plus TCP probes, which UDP never gets.
const ServiceDefs& order_defs() {
    static const ServiceDefs defs = ServiceDefs::parse(
        "probe greeting greeting\n rarity 1\n"
        "probe tcp-get send\n payload \"GET\"\n rarity 1\n ports 53\n"
        "probe dns datagram\n payload \"d\"\n rarity 1\n ports 53,5353\n"
        "probe ntp datagram\n payload \"n\"\n rarity 2\n ports 123\n"
        "probe mdns datagram\n payload \"m\"\n rarity 6\n ports 5353\n"
        "probe quic datagram\n payload \"q\"\n rarity 3\n ports 443\n"
        "probe tftp datagram\n payload \"t\"\n rarity 5\n ports 69,5353\n",
        "u.txt");
    return defs;
}

TEST(UdpProbeOrder, HintedByRarityThenCommonInFileOrder) {
    const auto& d = order_defs();
    // 5353: dns (1), tftp (5), mdns (6) by rarity; then the common ntp and quic.
    EXPECT_EQ(names(d, udp_probe_order(d, 5353)),
              (std::vector<std::string>{"dns", "tftp", "mdns", "ntp", "quic"}));
    EXPECT_EQ(names(d, udp_probe_order(d, 123)), (std::vector<std::string>{"ntp", "dns", "quic"}));
    // A port no hint fits: the common ones in file order; rare ones only with a higher intensity.
    EXPECT_EQ(names(d, udp_probe_order(d, 40000)), (std::vector<std::string>{"dns", "ntp", "quic"}));
    EXPECT_EQ(names(d, udp_probe_order(d, 40000, 1)), (std::vector<std::string>{"dns"}));
    EXPECT_EQ(names(d, udp_probe_order(d, 40000, 9)),
              (std::vector<std::string>{"dns", "ntp", "mdns", "quic", "tftp"}));
    // Hinted probes come whatever their rarity; TCP probes never.
    EXPECT_EQ(names(d, udp_probe_order(d, 69, 0)), (std::vector<std::string>{"tftp"}));
}

TEST(UdpProbeOrder, NeverEmptyWhenThereIsADatagramProbe) {
    const auto& d = order_defs();
    EXPECT_EQ(names(d, udp_probe_order(d, 40000, 0)), (std::vector<std::string>{"dns"}));
    const auto rare = ServiceDefs::parse(
        "probe a datagram\n payload \"a\"\n rarity 8\n"
        "probe b datagram\n payload \"b\"\n rarity 7\n"
        "probe c datagram\n payload \"c\"\n rarity 7\n",
        "u.txt");
    EXPECT_EQ(names(rare, udp_probe_order(rare, 1)), (std::vector<std::string>{"b"}));
    const auto tcp_only = ServiceDefs::parse("probe g greeting\n", "u.txt");
    EXPECT_TRUE(udp_probe_order(tcp_only, 53).empty());
}

TEST(IdentifyDatagram, OwnMatchesThenEveryOtherDatagramProbe) {
    const auto defs = ServiceDefs::parse(
        "probe t send\n payload \"x\"\n match tcponly /^A/\n"
        "probe a datagram\n payload \"a\"\n softmatch soft-a /^A/\n match hard-a /^A(A)/ product=\"P $1\"\n"
        "probe b datagram\n payload \"b\"\n match hard-b /^A(B)/ version=\"$1\"\n"
        "probe c datagram\n payload \"c\"\n softmatch soft-c /^C/\n",
        "u.txt");
    const Matcher m(defs);
    const auto aa = identify_datagram(defs, m, 1, "AA");
    EXPECT_EQ(aa.name, "hard-a");
    EXPECT_EQ(aa.product, "P A");
    // Probe a's soft match loses to probe b's hard one.
    const auto ab = identify_datagram(defs, m, 1, "AB");
    EXPECT_EQ(ab.name, "hard-b");
    EXPECT_EQ(ab.version, "B");
    EXPECT_FALSE(ab.soft);
    // An answer to probe c that only probe a knows; a soft match alone is kept as soft.
    EXPECT_EQ(identify_datagram(defs, m, 3, "AB").name, "hard-b");
    const auto c = identify_datagram(defs, m, 3, "C");
    EXPECT_EQ(c.name, "soft-c");
    EXPECT_TRUE(c.soft);
    // TCP probes' matches never name a datagram.
    const auto none = identify_datagram(defs, m, 3, "A\x01");
    EXPECT_EQ(none.name, "soft-a");
    const auto unknown = identify_datagram(defs, m, 2, std::string("Z\0\r", 3));
    EXPECT_EQ(unknown.name, core::service_unknown);
    EXPECT_EQ(unknown.banner, "Z\\x00\\r");
    EXPECT_EQ(identify_datagram(defs, m, 2, "").name, core::service_unknown);
}

TEST(UdpPayloadsFile, LoadsWithTwentyProtocolsInValueOrder) {
    const auto& d = real_defs();
    std::set<std::string> services;
    for (const auto& p : d.probes) {
        EXPECT_EQ(p.kind, ProbeKind::datagram) << p.name;
        EXPECT_FALSE(p.ports.empty()) << p.name << " has no port hints";
        EXPECT_FALSE(p.matches.empty() && p.fallback.empty()) << p.name << " names nothing";
        EXPECT_LE(datagram_bytes(d, static_cast<std::size_t>(&p - d.probes.data())).size(), 1500u) << p.name;
        for (const auto& m : p.matches) services.insert(m.service);
    }
    EXPECT_GE(services.size(), 20u);
    ASSERT_GE(d.probes.size(), 4u);
    EXPECT_EQ(d.probes[0].name, "dns-version-bind");
    EXPECT_EQ(d.probes[1].name, "ntp");
    EXPECT_EQ(d.probes[2].name, "snmp-v2c");
    // The common rotation (rarity <= 3) comes first in the file, and is short: every silent port pays it.
    std::size_t common = 0;
    for (const auto& p : d.probes) common += p.rarity <= 3;
    for (std::size_t i = 0; i < common; ++i) EXPECT_LE(d.probes[i].rarity, 3u) << d.probes[i].name;
    EXPECT_LE(common, 8u);
    // QUIC's Initial must fill 1200 bytes (RFC 9000 14.1).
    EXPECT_EQ(datagram_bytes(d, index_of(d, "quic-vn")).size(), 1200u);
    // The well-known ports get their own protocol's payload first.
    const std::pair<std::uint16_t, std::string_view> first[] = {{53, "dns-version-bind"},
                                                                {123, "ntp"},
                                                                {161, "snmp-v2c"},
                                                                {137, "netbios-nbstat"},
                                                                {1900, "ssdp-msearch"},
                                                                {5353, "dns-version-bind"},
                                                                {500, "ikev2-sa-init"},
                                                                {69, "tftp-rrq"},
                                                                {11211, "memcached-version"},
                                                                {111, "rpc-null"},
                                                                {1194, "openvpn"},
                                                                {88, "kerberos-as-req"},
                                                                {3478, "stun-binding"},
                                                                {5683, "coap-well-known"},
                                                                {5060, "sip-options"},
                                                                {443, "quic-vn"}};
    for (const auto& [port, name] : first)
        EXPECT_EQ(d.probes[udp_probe_order(d, port).front()].name, name) << port;
    // mDNS's own query is sent on 5353 too.
    const auto on_5353 = names(d, udp_probe_order(d, 5353));
    EXPECT_NE(std::find(on_5353.begin(), on_5353.end(), "mdns-services"), on_5353.end());
}

struct SpecAnswer {
    std::string probe;
    std::string answer;
    std::string service, product, version, info;
};

// Answers written from each protocol's specification (and the daemons' documented version strings).
const std::vector<SpecAnswer> spec_answers{
    {"dns-version-bind",
     std::string("gp\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
                 "bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00\x00\x0d\x0c"
                 "dnsmasq-2.89",
                 55),
     "domain", "dnsmasq", "2.89", ""},
    {"dns-version-bind",
     std::string("gp\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
                 "bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00\x00\x19\x18"
                 "9.18.49-1~deb12u3-Debian",
                 67),
     "domain", "ISC BIND", "9.18.49", "1~deb12u3-Debian"},
    {"dns-version-bind",
     std::string("gp\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
                 "bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00\x00\x0f\x0eunbound 1.17.1",
                 57),
     "domain", "Unbound", "1.17.1", ""},
    {"dns-version-bind",
     std::string("gp\x80\x05\x00\x01\x00\x00\x00\x00\x00\x00\x07version\x04"
                 "bind\x00\x00\x10\x00\x03",
                 30),
     "domain", "", "", ""},
    {"ntp",
     std::string("$\x02\x06\xe9\x00\x00\x00\x00\x00\x00\x00\x00\xc6"
                 "3d\x01\xe9\x00\x00\x00\xe9\x00\x00\x00ghostpt!"
                 "\xe9\x01\x02\x03\xe9\x01\x02\x03\xe9\x01\x02\x03\xe9\x01\x02\x03",
                 48),
     "ntp", "", "", "NTPv4"},
    {"snmp-v2c",
     std::string(
         "0u\x02\x01\x01\x04\x06public\xa2h\x02\x02GP\x02\x01\x00\x02\x01\x00"
         "0\x5c"
         "0B\x06\x08+\x06\x01\x02\x01\x01\x01\x00\x04"
         "6Linux lab 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC "
         "x86_640\x16\x06\x08+\x06\x01\x02\x01\x01\x02\x00\x06\x0a+\x06\x01\x04\x01\xbf\x08\x03\x02\x0a",
         119),
     "snmp", "net-snmp", "", "Linux lab 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC x86_64"},
    {"snmp-v1",
     std::string("0M\x02\x01\x00\x04\x06public\xa2@\x02\x02GP\x02\x01\x00\x02\x01\x00"
                 "040\x1c\x06\x08+\x06\x01\x02\x01\x01\x01\x00\x04\x10RouterOS "
                 "CCR10090\x14\x06\x08+\x06\x01\x02\x01\x01\x02\x00\x06\x08+\x06\x01\x04\x01\xf5\x0c\x01",
                 79),
     "snmp", "", "", "RouterOS CCR1009"},
    {"ssdp-msearch",
     std::string("HTTP/1.1 200 OK\x0d\x0a"
                 "CACHE-CONTROL: max-age=120\x0d\x0aST: upnp:rootdevice\x0d\x0aUSN: "
                 "uuid:6b1e0a3c-0000-4000-8000-000000000001::upnp:rootdevice\x0d\x0a"
                 "EXT:\x0d\x0aSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\x0d\x0aLOCATION: "
                 "http://198.51.100.1:5000/rootDesc.xml\x0d\x0a\x0d\x0a",
                 232),
     "ssdp", "MiniUPnPd", "2.3.1", ""},
    {"sip-options",
     std::string("SIP/2.0 200 OK\x0d\x0aVia: SIP/2.0/UDP "
                 "ghostport.invalid:5060;branch=z9hG4bK-ghostport-1;rport=40000;received=198.51.100.7\x0d\x0a"
                 "From: <sip:ghostport@ghostport.invalid>;tag=ghostport\x0d\x0aTo: "
                 "<sip:nm@ghostport.invalid>;tag=abc\x0d\x0a"
                 "Call-ID: ghostport-options@ghostport.invalid\x0d\x0a"
                 "CSeq: 1 OPTIONS\x0d\x0aServer: kamailio (5.6.3 (x86_64/linux))\x0d\x0a"
                 "Content-Length: 0\x0d\x0a\x0d\x0a",
                 338),
     "sip", "Kamailio SIP Server", "5.6.3", "x86_64/linux"},
    {"rpc-null",
     std::string("gprp\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 24),
     "rpcbind", "", "", "port mapper v2"},
    {"rpc-null",
     std::string("gprp\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 24),
     "rpc", "", "", "ONC RPC (not the port mapper)"},
    {"quic-vn",
     std::string("\x8a\x00\x00\x00\x00\x08gpquicsc\x08gpquicdc\x00\x00\x00\x01\xff\x00\x00\x1d", 31), "quic",
     "", "", "versions include 1"},
    {"dtls-clienthello",
     std::string("\x16\xfe\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00#"
                 "\x03\x00\x00\x17\x00\x00\x00\x00\x00\x00\x00\x17\xfe\xfd\x14"
                 "CCCCCCCCCCCCCCCCCCCC",
                 48),
     "dtls", "", "", "HelloVerifyRequest"},
    {"openvpn", std::string("@SRVSESS!\x01\x00\x00\x00\x00gpovpnss\x00\x00\x00\x00", 26), "openvpn",
     "OpenVPN", "", "P_CONTROL_HARD_RESET_SERVER_V2"},
    {"openvpn", std::string("(SRVSESS!\x01\x00\x00\x00\x00gpovpnss", 22), "openvpn", "OpenVPN", "",
     "P_ACK_V1"},
    {"stun-binding",
     std::string("\x01\x01\x00$!\x12\xa4"
                 "Bghostportstn\x00 \x00\x08\x00\x01\xa1\x3f^\x12\xa4"
                 "C\x80\x22\x00\x14"
                 "Coturn-4.6.1 'Gorst'",
                 56),
     "stun", "coturn", "4.6.1", "Gorst"},
    {"memcached-version", std::string("gp\x00\x00\x00\x01\x00\x00VERSION 1.6.18\x0d\x0a", 24), "memcached",
     "Memcached", "1.6.18", ""},
    {"netbios-nbstat",
     std::string("gp\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00 "
                 "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\x00\x00!\x00\x01\x00\x00\x00\x00\x00"
                 "e\x03LAB            \x00\x04\x00LAB             \x04\x00WORKGROUP      "
                 "\x00\x84\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                 "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                 "\x00\x00\x00\x00\x00",
                 157),
     "netbios-ns", "", "", "name LAB"},
    {"mdns-services",
     std::string("gp\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x09_services\x07_dns-sd\x04_"
                 "udp\x05local\x00\x00\x0c\x00\x01\xc0\x0c\x00\x0c\x00\x01\x00\x00\x00\x0a\x00\x14\x0c_"
                 "workstation\x04_tcp\xc0#",
                 78),
     "mdns", "", "", "announces _workstation"},
    {"ikev2-sa-init",
     std::string("gp-ikev2RSPISPI!) \x22 \x00\x00\x00\x00\x00\x00\x00$\x00\x00\x00\x08\x00\x00\x00\x0e", 36),
     "isakmp", "", "", "IKEv2"},
    {"tftp-rrq",
     std::string("\x00\x05\x00\x01"
                 "File not found\x00",
                 19),
     "tftp", "", "", "File not found"},
    {"kerberos-as-req",
     std::string("~h0f\xa0\x03\x02\x01\x05\xa1\x03\x02\x01\x1e\xa4\x11\x18\x0f"
                 "20261205084000Z\xa5\x05\x02\x03\x01\xe2@\xa6\x03\x02\x01"
                 "D\xa9\x13\x1b\x11GHOSTPORT.INVALID\xaa&0$\xa0\x03\x02\x01\x02\xa1\x1d"
                 "0\x1b\x1b\x06krbtgt\x1b\x11GHOSTPORT.INVALID",
                 106),
     "kerberos", "", "", "KRB-ERROR"},
    {"kerberos-as-req",
     std::string("~|0z\xa0\x03\x02\x01\x05\xa1\x03\x02\x01\x1e\xa4\x11\x18\x0f"
                 "20261205084000Z\xa5\x05\x02\x03\x01\xe2@\xa6\x03\x02\x01\x06\xa9\x13\x1b\x11GHOSTPORT."
                 "INVALID\xaa&0$\xa0\x03\x02\x01\x02\xa1\x1d"
                 "0\x1b\x1b\x06krbtgt\x1b\x11GHOSTPORT.INVALID\xab\x12\x1b\x10"
                 "CLIENT_NOT_FOUND",
                 126),
     "kerberos", "", "", "KRB-ERROR CLIENT_NOT_FOUND"},
    {"ikev2-nat-t",
     std::string("\x00\x00\x00\x00gp-ikev2RSPISPI!) \x22 "
                 "\x00\x00\x00\x00\x00\x00\x00$\x00\x00\x00\x08\x00\x00\x00\x0e",
                 40),
     "isakmp", "", "", "IKEv2 NAT-T"},
    {"cldap-rootdse",
     std::string("0\x84\x00\x00\x00.\x02\x02GPd(\x04\x00"
                 "0$0\x22\x04\x0enamingContexts1\x10\x04\x0e"
                 "DC=lab,DC=test",
                 52),
     "ldap", "", "", "CLDAP"},
    {"coap-well-known", std::string("`Egp\xc1(\xff</.well-known/core>;ct=40,</time>;obs", 44), "coap", "", "",
     "first link </.well-known/core>"},
    {"l2tp-sccrq",
     std::string("\xc8\x02\x00\x1cGP\x00\x00\x00\x00\x00\x01\x80\x08\x00\x00\x00\x00\x00\x02\x80\x08\x00\x00"
                 "\x00\x02\x01\x00",
                 28),
     "l2tp", "", "", "SCCRP"},
    {"rmcp-ping",
     std::string("\x06\x00\xff\x06\x00\x00\x11\xbe@"
                 "G\x00\x10\x00\x00\x11\xbe\x00\x00\x00\x00\x81\x00\x00\x00\x00\x00\x00\x00",
                 28),
     "asf-rmcp", "", "", "ASF presence pong"},
    {"nat-pmp",
     std::string("\x00\x80\x00\x00\x00\x00\x12"
                 "4\xc6"
                 "3d\x01",
                 12),
     "nat-pmp", "", "", ""},
    {"xdmcp-query", std::string("\x00\x01\x00\x05\x00\x12\x00\x00\x00\x03lab\x00\x0bLinux 6.1.0", 26),
     "xdmcp", "", "", "willing"},
    {"mssql-browser",
     std::string(
         "\x05V\x00ServerName;SQL1;InstanceName;MSSQLSERVER;IsClustered;No;Version;15.0.2000.5;tcp;1433;;",
         89),
     "ms-sql-m", "Microsoft SQL Server", "15.0.2000.5", "server SQL1, instance MSSQLSERVER"},
    {"a2s-info",
     std::string("\xff\xff\xff\xffI\x11ghostport lab\x00"
                 "de_dust2\x00"
                 "cstrike\x00"
                 "Counter-Strike: Source\x00\xf0\x00\x02\x10\x00"
                 "dl\x00\x01",
                 69),
     "source-engine", "", "", "ghostport lab; map de_dust2; Counter-Strike: Source"},
    {"echo", std::string("ghostport echo probe\x0d\x0a", 22), "echo", "", "", ""},
    {"daytime", std::string("Sat Dec  5 08:40:00 2026\x0d\x0a", 26), "daytime", "", "", ""},
    {"chargen",
     std::string("HIJKLMNOPQRSTUVWXYZ[\x5c]^_`abcdefghijklmnopqrstuvwxyz{|}~ !\x22#$%&'()*+,-./0\x0d\x0a",
                 74),
     "chargen", "", "", ""},
    {"ws-discovery",
     std::string(
         "<\x3fxml version=\x22"
         "1.0\x22\x3f><s:Envelope xmlns:s=\x22http://www.w3.org/2003/05/soap-envelope\x22 "
         "xmlns:d=\x22http://schemas.xmlsoap.org/ws/2005/04/"
         "discovery\x22><s:Body><d:ProbeMatches><d:ProbeMatch/></d:ProbeMatches></s:Body></s:Envelope>",
         219),
     "ws-discovery", "", "", ""},
};

class SpecAnswers : public ::testing::TestWithParam<SpecAnswer> {};

TEST_P(SpecAnswers, NameServiceProductVersionAndInfo) {
    const auto& c = GetParam();
    const auto& d = real_defs();
    const auto info = identify_datagram(d, real_matcher(), index_of(d, c.probe), c.answer);
    EXPECT_EQ(info.name, c.service);
    EXPECT_EQ(info.product, c.product);
    EXPECT_EQ(info.version, c.version);
    EXPECT_EQ(info.extra_info, c.info);
    EXPECT_FALSE(info.soft);
    EXPECT_FALSE(info.banner.empty());
    // The same answer to any other probe still names the same service (a service answering a payload meant
    // for another protocol).
    const auto other =
        identify_datagram(d, real_matcher(), index_of(d, c.probe == "echo" ? "ntp" : "echo"), c.answer);
    EXPECT_EQ(other.name, c.service);
}

INSTANTIATE_TEST_SUITE_P(Udp, SpecAnswers, ::testing::ValuesIn(spec_answers),
                         [](const ::testing::TestParamInfo<SpecAnswer>& i) {
                             std::string n = i.param.probe + "_" + std::to_string(i.index);
                             for (char& ch : n)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return n;
                         });

TEST(UdpPayloadsFile, EveryProbeHasASpecAnswer) {
    std::set<std::string> answered;
    for (const auto& c : spec_answers) answered.insert(c.probe);
    for (const auto& p : real_defs().probes)
        if (p.fallback.empty()) {
            EXPECT_TRUE(answered.contains(p.name)) << p.name << " has no spec answer";
        }
    std::set<std::string> services;
    for (const auto& c : spec_answers) services.insert(c.service);
    EXPECT_GE(services.size(), 20u);
}

// A reflecting service (echo, a loop) sends our own payload back: that must never read as the protocol the
// payload speaks, only as echo for the echo probe's own text.
TEST(UdpPayloadsFile, OurOwnPayloadsReflectedNameNothing) {
    const auto& d = real_defs();
    for (std::size_t i = 0; i < d.probes.size(); ++i) {
        const auto info = identify_datagram(d, real_matcher(), i, datagram_bytes(d, i));
        EXPECT_EQ(info.name, d.probes[i].name == "echo" ? "echo" : std::string(core::service_unknown))
            << d.probes[i].name << " reflected";
    }
}

// Answers that are no protocol's: garbage, an HTTP page, ICMP-like bytes.
TEST(UdpPayloadsFile, UnrelatedAnswersAreUnknown) {
    const auto& d = real_defs();
    for (const std::string& a :
         {std::string("\x00\x00\x00\x00", 4), std::string("HTTP/1.1 400 Bad Request\r\n\r\n"),
          std::string(64, '\xff'), std::string("gp"), std::string("hello\n")})
        EXPECT_EQ(identify_datagram(d, real_matcher(), 0, a).name, core::service_unknown) << a;
}

}  // namespace
}  // namespace ghostport::probes
