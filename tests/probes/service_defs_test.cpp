// SPDX-License-Identifier: GPL-2.0-or-later
// ServiceDefs: the definitions parser (every error as "FILE:LINE: what") and the real tcp_services.txt.
#include "probes/service_defs.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/errors.hpp"

namespace ghostport::probes {
namespace {

using namespace std::string_literals;

const std::string real_file = GHOSTPORT_SOURCE_DIR "/probes/tcp_services.txt";

// The message of the InputError parsing `text` as "t.txt" throws ("" when none).
std::string error_of(std::string_view text) {
    try {
        ServiceDefs::parse(text, "t.txt");
    } catch (const core::InputError& e) {
        return e.what();
    }
    return "";
}

TEST(ServiceDefs, ParsesEveryDirective) {
    const auto defs = ServiceDefs::parse(
        "# comment\n"
        "probe greeting greeting   # trailing comment\n"
        "  rarity 1\n"
        "  in-tls\n"
        "  wait 5s\n"
        "  match ssh /^SSH-([\\d.]+)-OpenSSH_(\\S+)/ product=\"OpenSSH\" version=\"$2\" info=\"p "
        "\\\"$1\\\"\"\n"
        "\n"
        "probe http-get send\r\n"
        "  payload \"GET / HTTP/1.0\\r\\n\\r\\n\\x00\\t\\0\\\\\\\"\"\n"
        "  ports 80,8000-8100\n"
        "  wait 250ms\n"
        "  fallback greeting\n"
        "  softmatch http /^HTTP\\/1\\.[01] #x/is\n",
        "t.txt");
    ASSERT_EQ(defs.probes.size(), 2u);
    const auto& g = defs.probes[0];
    EXPECT_EQ(g.name, "greeting");
    EXPECT_EQ(g.kind, ProbeKind::greeting);
    EXPECT_EQ(g.rarity, 1u);
    EXPECT_TRUE(g.in_tls);
    EXPECT_EQ(g.wait, std::chrono::milliseconds(5000));
    EXPECT_EQ(g.line, 2u);
    ASSERT_EQ(g.matches.size(), 1u);
    EXPECT_EQ(g.matches[0].service, "ssh");
    EXPECT_EQ(g.matches[0].pattern, "^SSH-([\\d.]+)-OpenSSH_(\\S+)");
    EXPECT_EQ(g.matches[0].tmpl.product, "OpenSSH");
    EXPECT_EQ(g.matches[0].tmpl.version, "$2");
    EXPECT_EQ(g.matches[0].tmpl.info, "p \"$1\"");
    EXPECT_EQ(g.matches[0].line, 6u);
    const auto& h = defs.probes[1];
    EXPECT_EQ(h.kind, ProbeKind::send);
    EXPECT_EQ(h.payload, "GET / HTTP/1.0\r\n\r\n\x00\t\0\\\""s);
    ASSERT_EQ(h.ports.size(), 2u);
    EXPECT_EQ(h.ports[1], (std::pair<std::uint16_t, std::uint16_t>{8000, 8100}));
    EXPECT_TRUE(h.fits_port(8050));
    EXPECT_TRUE(h.fits_port(80));
    EXPECT_FALSE(h.fits_port(81));
    EXPECT_EQ(h.rarity, 5u);  // the default
    EXPECT_EQ(h.wait, std::chrono::milliseconds(250));
    EXPECT_EQ(h.fallback, std::vector<std::string>{"greeting"});
    ASSERT_EQ(h.matches.size(), 1u);
    EXPECT_TRUE(h.matches[0].soft);
    EXPECT_EQ(h.matches[0].pattern, "^HTTP/1\\.[01] #x");  // '#' inside a pattern is text; \/ is '/'
    EXPECT_TRUE(h.matches[0].caseless);
    EXPECT_TRUE(h.matches[0].dotall);
    EXPECT_EQ(defs.find("http-get"), 1);
    EXPECT_EQ(defs.find("nope"), -1);
    EXPECT_EQ(defs.services(), (std::vector<std::string>{"http", "ssh"}));
}

TEST(ServiceDefs, FallbackMayNameALaterProbe) {
    const auto defs = ServiceDefs::parse("probe a send\npayload \"x\"\nfallback b\nprobe b greeting\n", "t");
    EXPECT_EQ(defs.probes[0].fallback, std::vector<std::string>{"b"});
}

TEST(ServiceDefs, ErrorsNameFileAndLine) {
    const std::string p = "probe p send\npayload \"x\"\n";  // lines 1-2
    EXPECT_EQ(error_of(p + "frobnicate 1\n"), "t.txt:3: unknown directive \"frobnicate\"");
    EXPECT_EQ(error_of("probe p send\npayload \"\\q\"\n"), "t.txt:2: bad escape \"\\q\"");
    EXPECT_EQ(error_of("probe p send\npayload \"\\x4\"\n"), "t.txt:2: bad escape: \\x needs two hex digits");
    EXPECT_EQ(error_of(p + "rarity 0\n"), "t.txt:3: rarity \"0\" out of range (1-9)");
    EXPECT_EQ(error_of(p + "rarity 10\n"), "t.txt:3: rarity \"10\" out of range (1-9)");
    EXPECT_EQ(error_of(p + "ports 90-80\n"),
              "t.txt:3: bad port range \"90-80\" (expected N or N-M within 1-65535)");
    EXPECT_EQ(error_of(p + "ports 70000\n"),
              "t.txt:3: bad port range \"70000\" (expected N or N-M within 1-65535)");
    EXPECT_EQ(error_of(p + "ports 80,\n"), "t.txt:3: bad port list: trailing comma");
    EXPECT_EQ(error_of(p + "probe p greeting\n"), "t.txt:3: duplicate probe \"p\"");
    EXPECT_EQ(error_of(p + "fallback q\n"), "t.txt:1: probe \"p\" falls back to unknown probe \"q\"");
    EXPECT_EQ(error_of(p + "fallback p\n"), "t.txt:3: a probe cannot fall back to itself");
    EXPECT_EQ(error_of("# x\nmatch ssh /x/\n"), "t.txt:2: \"match\" before any probe");
    EXPECT_EQ(error_of("probe g greeting\npayload \"x\"\n"),
              "t.txt:2: payload on a greeting probe (only send and datagram probes have one)");
    EXPECT_EQ(error_of("probe t tls\npayload \"x\"\n"),
              "t.txt:2: payload on a tls probe (only send and datagram probes have one)");
    EXPECT_EQ(error_of("probe s send\nrarity 3\n"), "t.txt:1: send probe \"s\" has no payload");
    EXPECT_EQ(error_of(p + "match ssh /abc\n"), "t.txt:3: unterminated pattern");
    EXPECT_EQ(error_of(p + "match ssh /a/ product=\"abc\n"), "t.txt:3: unterminated string");
    EXPECT_EQ(error_of("probe p send\npayload \"abc\n"), "t.txt:2: unterminated string");
    EXPECT_EQ(error_of(p + "match ssh /a/x\n"), "t.txt:3: unknown flag \"x\"");
    EXPECT_EQ(error_of(p + "match ssh /a/ii\n"), "t.txt:3: flag \"i\" given twice");
    EXPECT_EQ(error_of(p + "match ssh /a/ colour=\"x\"\n"),
              "t.txt:3: unknown field \"colour\" (product, version, info, cpe)");
    EXPECT_EQ(error_of(p + "match ssh /a/ product=\"x\" product=\"y\"\n"), "t.txt:3: product given twice");
    EXPECT_EQ(error_of(p + "match ssh /a/ product=\"\\n\"\n"), "t.txt:3: bad escape \"\\n\"");
    EXPECT_EQ(error_of(p + "softmatch ssh /a/ product=\"x\"\n"),
              "t.txt:3: softmatch takes no product/version/info/cpe");
    EXPECT_EQ(error_of(p + "match SSH /a/\n"), "t.txt:3: bad service name \"SSH\"");
    EXPECT_EQ(error_of(p + "match ssh\n"), "t.txt:3: missing /pattern/");
    EXPECT_EQ(error_of(p + "match ssh //\n"), "t.txt:3: empty pattern");
    EXPECT_EQ(error_of(p + "wait 5m\n"), "t.txt:3: bad wait \"5m\" (expected <N>ms or <N>s, at most 60s)");
    EXPECT_EQ(error_of(p + "wait 61s\n"), "t.txt:3: bad wait \"61s\" (expected <N>ms or <N>s, at most 60s)");
    EXPECT_EQ(error_of(p + "rarity 2\nrarity 3\n"), "t.txt:4: rarity given twice for probe \"p\"");
    EXPECT_EQ(error_of(p + "in-tls now\n"), "t.txt:3: unexpected \"now\"");
    EXPECT_EQ(error_of("probe t tls\nin-tls\n"), "t.txt:2: in-tls on a tls probe");
    EXPECT_EQ(error_of("probe p udp\n"),
              "t.txt:1: unknown probe kind \"udp\" (greeting, send, tls or datagram)");
    EXPECT_EQ(error_of("probe Bad send\n"), "t.txt:1: bad probe name \"Bad\"");
    EXPECT_EQ(error_of("\n# only comments\n"), "t.txt: no probe defined");
    EXPECT_EQ(error_of("probe p send\npayload \"a\"x\n"), "t.txt:2: unexpected \"x\" after a string");
}

TEST(ServiceDefs, ControlBytesInErrorsArePrintable) {
    EXPECT_EQ(error_of("\x1b[31m 1\n"), "t.txt:1: \"\\x1b[31m\" before any probe");
}

TEST(ServiceDefs, LoadNamesAnUnreadableFile) {
    try {
        ServiceDefs::load("/nonexistent/ghostport/defs.txt");
        FAIL() << "no error";
    } catch (const core::InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "/nonexistent/ghostport/defs.txt: cannot read: No such file or directory");
    }
    EXPECT_THROW(ServiceDefs::load("/"), core::InputError);
}

TEST(ServiceDefs, LoadRefusesAFileOverFourMiB) {
    const auto path = std::filesystem::temp_directory_path() / "gp_defs_big.txt";
    {
        std::ofstream out(path, std::ios::binary);
        out << "probe g greeting\n" << std::string((4u << 20), '#') << "\n";
    }
    try {
        ServiceDefs::load(path.string());
        FAIL() << "no error";
    } catch (const core::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("larger than 4 MiB"), std::string::npos) << e.what();
    }
    std::filesystem::remove(path);
}

TEST(ServiceDefs, RealFileLoads) {
    const auto defs = ServiceDefs::load(real_file);
    EXPECT_GE(defs.services().size(), 40u);
    ASSERT_GE(defs.probes.size(), 3u);
    // The first three conversations on any port: greeting, an HTTP request, a TLS handshake.
    EXPECT_EQ(defs.probes[0].name, "greeting");
    EXPECT_EQ(defs.probes[0].kind, ProbeKind::greeting);
    EXPECT_EQ(defs.probes[1].name, "http-get");
    EXPECT_EQ(defs.probes[2].kind, ProbeKind::tls);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(defs.probes[i].rarity, 1u) << defs.probes[i].name;
    EXPECT_TRUE(defs.probes[2].fits_port(443));
    EXPECT_TRUE(defs.probes[1].in_tls);
}

TEST(ServiceDefs, RealFilePayloadsHaveTheirDeclaredLengths) {
    const auto defs = ServiceDefs::load(real_file);
    // Big-endian 4-byte length prefixes that count the whole message (PostgreSQL) or what follows them
    // (NetBIOS session, RPC record mark, Kafka), and the 2-byte DNS/OpenVPN/PPTP ones.
    auto be32 = [](const std::string& s, std::size_t at) {
        return (std::uint32_t{static_cast<unsigned char>(s[at])} << 24) |
               (std::uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
               (std::uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) |
               static_cast<unsigned char>(s[at + 3]);
    };
    auto payload = [&](const char* name) {
        return defs.probes.at(static_cast<std::size_t>(defs.find(name))).payload;
    };
    EXPECT_EQ(be32(payload("postgresql"), 0), payload("postgresql").size());
    EXPECT_EQ(be32(payload("smb2-negotiate"), 0), payload("smb2-negotiate").size() - 4);
    EXPECT_EQ(be32(payload("rpc-null"), 0) & 0x7fffffffu, payload("rpc-null").size() - 4);
    EXPECT_EQ(be32(payload("kafka-apiversions"), 0), payload("kafka-apiversions").size() - 4);
    EXPECT_EQ(be32(payload("dns-version-bind"), 0) >> 16, payload("dns-version-bind").size() - 2);
    EXPECT_EQ(be32(payload("openvpn-reset"), 0) >> 16, payload("openvpn-reset").size() - 2);
    EXPECT_EQ(be32(payload("pptp-start"), 0) >> 16, payload("pptp-start").size());
    // Little-endian MongoDB message length; TPKT length in bytes 2-3; LDAP's BER length in byte 1.
    const auto mongo = payload("mongodb-buildinfo");
    EXPECT_EQ(static_cast<unsigned char>(mongo[0]), mongo.size());
    EXPECT_EQ(static_cast<unsigned char>(payload("rdp")[3]), payload("rdp").size());
    EXPECT_EQ(static_cast<unsigned char>(payload("ldap-rootdse")[1]), payload("ldap-rootdse").size() - 2);
    const auto git = payload("git-upload-pack");
    EXPECT_EQ(std::stoul(git.substr(0, 4), nullptr, 16), git.size());
    const auto mqtt = payload("mqtt-connect");
    EXPECT_EQ(static_cast<unsigned char>(mqtt[1]) + 2u + static_cast<unsigned char>(mqtt[17]) + 2u,
              mqtt.size());
}

}  // namespace
}  // namespace ghostport::probes
