// SPDX-License-Identifier: GPL-2.0-or-later
// Tests of the nmap XML sink: escaping, document structure read back by a strict parser, and ndiff on it.
#include "output/xml_sink.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/scan_ports_reader.hpp"
#include "output/utf8.hpp"
#include "sample_report.hpp"
#include "tests/skip.hpp"

using ghostport::core::Report;
using ghostport::core::ReportRow;
using ghostport::output::write_xml;
using ghostport::output::detail::xml_escape;
using namespace ghostport::output::test;

namespace {

// A test-only strict reader for the XML this sink writes: the prolog, then nested elements with
// double-quoted attributes and whitespace between them. It rejects raw '<' or '&' in values, unknown
// entities, references to non-XML characters, control characters, ill-formed UTF-8 and mismatched tags.
struct Element {
    std::string name;
    std::string text;  // character data (only <cpe> has any)
    std::vector<std::pair<std::string, std::string>> attrs;
    std::vector<Element> children;

    const std::string& operator[](std::string_view key) const {
        for (const auto& [k, v] : attrs)
            if (k == key) return v;
        throw std::out_of_range("no attribute " + std::string(key) + " on <" + name + ">");
    }
    bool has(std::string_view key) const {
        for (const auto& kv : attrs)
            if (kv.first == key) return true;
        return false;
    }
    std::vector<const Element*> all(std::string_view child) const {
        std::vector<const Element*> out;
        for (const Element& c : children)
            if (c.name == child) out.push_back(&c);
        return out;
    }
    const Element& one(std::string_view child) const {
        const auto found = all(child);
        if (found.size() != 1)
            throw std::out_of_range("not exactly one <" + std::string(child) + "> in <" + name + ">");
        return *found[0];
    }
    std::vector<std::string> comments;  // the text of each comment directly inside, in order
    std::vector<std::string> child_names() const {
        std::vector<std::string> out;
        for (const Element& c : children) out.push_back(c.name);
        return out;
    }
};

class XmlReader {
  public:
    explicit XmlReader(std::string_view text) : s_(text) {}
    Element parse_document() {
        for (std::size_t pos = 0; pos < s_.size();) {
            const auto step = ghostport::output::detail::decode_utf8(s_, pos);
            if (!step.valid) fail("ill-formed UTF-8");
            pos += step.length;
        }
        expect("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n");
        Element root = element();
        ws();
        if (i_ != s_.size()) fail("text after the root element");
        return root;
    }

  private:
    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error("bad XML at offset " + std::to_string(i_) + ": " + what);
    }
    void expect(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) fail("expected " + std::string(word));
        i_ += word.size();
    }
    bool eat(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n')) ++i_;
    }
    std::string name() {
        const std::size_t start = i_;
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
        if (i_ == start) fail("expected a name");
        return std::string(s_.substr(start, i_ - start));
    }
    std::string value() {
        expect("\"");
        return decoded('"');
    }
    // Characters up to `end` (consumed for '"', left for '<'), references decoded.
    std::string decoded(char end) {
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated value");
            const auto c = static_cast<unsigned char>(s_[i_++]);
            if (c == static_cast<unsigned char>(end)) {
                if (end == '<') --i_;
                return out;
            }
            if (c == '<') fail("raw '<' in a value");
            if (c == '>' && end == '<') fail("raw '>' in text");
            if (c < 0x20) fail("raw control character in a value");
            if (c != '&') {
                out += static_cast<char>(c);
                continue;
            }
            const std::size_t semi = s_.find(';', i_);
            if (semi == std::string_view::npos) fail("unterminated reference");
            const std::string_view ref = s_.substr(i_, semi - i_);
            i_ = semi + 1;
            if (ref == "amp") {
                out += '&';
            } else if (ref == "lt") {
                out += '<';
            } else if (ref == "gt") {
                out += '>';
            } else if (ref == "quot") {
                out += '"';
            } else if (ref == "apos") {
                out += '\'';
            } else if (ref.size() > 2 && ref.substr(0, 2) == "#x") {
                const unsigned long cp = std::stoul(std::string(ref.substr(2)), nullptr, 16);
                const bool xml_char = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                                      (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
                if (!xml_char) fail("reference to a non-XML character");
                ghostport::output::detail::append_utf8(out, static_cast<char32_t>(cp));
            } else {
                fail("unknown entity " + std::string(ref));
            }
        }
    }
    Element element() {
        expect("<");
        Element e;
        e.name = name();
        while (true) {
            ws();
            if (eat("/>")) return e;
            if (eat(">")) break;
            std::string key = name();
            expect("=");
            for (const auto& kv : e.attrs)
                if (kv.first == key) fail("duplicate attribute " + key);
            e.attrs.emplace_back(std::move(key), value());
        }
        while (true) {
            ws();
            if (eat("</")) {
                if (name() != e.name) fail("mismatched end tag of <" + e.name + ">");
                expect(">");
                return e;
            }
            if (i_ >= s_.size()) fail("unterminated <" + e.name + ">");
            if (eat("<!--")) {
                const std::size_t end = s_.find("-->", i_);
                if (end == std::string_view::npos) fail("unterminated comment");
                const std::string_view body = s_.substr(i_, end - i_);
                if (body.find("--") != std::string_view::npos || body.ends_with('-'))
                    fail("'--' in a comment");
                e.comments.emplace_back(body);
                i_ = end + 3;
                continue;
            }
            if (s_[i_] != '<') {
                if (e.name != "cpe" || !e.text.empty()) fail("text content inside <" + e.name + ">");
                e.text = decoded('<');
                continue;
            }
            e.children.push_back(element());
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

std::string xml_text(const Report& report) {
    std::ostringstream out;
    write_xml(out, report);
    return out.str();
}

Element xml_tree(const Report& report) {
    return XmlReader(xml_text(report)).parse_document();
}

std::vector<std::string> port_ids(const Element& host) {
    std::vector<std::string> out;
    for (const Element* port : host.one("ports").all("port")) out.push_back((*port)["portid"]);
    return out;
}

const std::string fffd = "\xEF\xBF\xBD";

}  // namespace

TEST(XmlSink, EscapesGoldenStrings) {
    EXPECT_EQ(xml_escape(""), "");
    EXPECT_EQ(xml_escape("plain text"), "plain text");
    EXPECT_EQ(xml_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    EXPECT_EQ(xml_escape("&amp;"), "&amp;amp;");
    EXPECT_EQ(xml_escape("tab\tnl\ncr\r"), "tab&#x9;nl&#xA;cr&#xD;");
    EXPECT_EQ(xml_escape("del\x7f c1\xC2\x85"), "del&#x7F; c1&#x85;");
    EXPECT_EQ(xml_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
              "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(XmlSink, ReplacesNonXmlCharactersAndInvalidUtf8) {
    EXPECT_EQ(xml_escape(std::string("nul\0x", 5)), "nul" + fffd + "x");
    EXPECT_EQ(xml_escape("\x01\x1b[31m"), fffd + fffd + "[31m");
    EXPECT_EQ(xml_escape("\xEF\xBF\xBE\xEF\xBF\xBF"), fffd + fffd);  // U+FFFE, U+FFFF
    EXPECT_EQ(xml_escape("a\xFFz"), "a" + fffd + "z");
    EXPECT_EQ(xml_escape("\xED\xA0\x80"), fffd + fffd + fffd);  // a surrogate
    EXPECT_EQ(xml_escape("cut \xE2\x82"), "cut " + fffd);
    EXPECT_EQ(xml_escape("\xE2\x82<"), fffd + "&lt;");
}

TEST(XmlSink, DocumentHasTheNmapStructure) {
    const std::string text = xml_text(sample_report());
    EXPECT_EQ(text.substr(0, text.find("<nmaprun")),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n");
    const Element run = XmlReader(text).parse_document();
    EXPECT_EQ(run.name, "nmaprun");
    EXPECT_EQ(run["scanner"], "ghostport");
    EXPECT_EQ(run["args"], "ghostport -p- 198.18.0.0/28 2001:db8::7");
    EXPECT_EQ(run["start"], "1795341600");
    EXPECT_EQ(run["startstr"], "Sun Nov 22 10:00:00 2026");
    EXPECT_FALSE(run["version"].empty());
    EXPECT_EQ(run["xmloutputversion"], "1.05");
    EXPECT_EQ(run.child_names(), (std::vector<std::string>{"scaninfo", "verbose", "debugging", "host", "host",
                                                           "host", "runstats"}));

    const Element& info = run.one("scaninfo");
    EXPECT_EQ(info["type"], "connect");
    EXPECT_EQ(info["protocol"], "tcp");
    EXPECT_EQ(info["numservices"], "65535");
    EXPECT_EQ(info["services"], "");

    // Hosts in address order, IPv4 first; ports ascending within a host.
    const auto hosts = run.all("host");
    const Element& nas = *hosts[0];
    EXPECT_EQ(nas.child_names(), (std::vector<std::string>{"status", "address", "hostnames", "ports"}));
    EXPECT_EQ(nas.one("status")["state"], "up");
    EXPECT_EQ(nas.one("status")["reason"], "syn-ack");
    EXPECT_EQ(nas.one("status")["reason_ttl"], "0");
    EXPECT_EQ(nas.one("address")["addr"], "198.18.0.5");
    EXPECT_EQ(nas.one("address")["addrtype"], "ipv4");
    EXPECT_EQ(nas["starttime"], "1795341601");
    const auto names = nas.one("hostnames").all("hostname");
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ((*names[0])["name"], "nas.lan");
    EXPECT_EQ((*names[0])["type"], "user");
    EXPECT_EQ(port_ids(nas), (std::vector<std::string>{"22", "1642"}));
    // 3 up hosts leave 196602 ports unlisted: 131066 closed (meta.closed) and the rest filtered, which the
    // report cannot split per host.
    const Element& extra = nas.one("ports").one("extraports");
    EXPECT_EQ(extra["state"], "closed|filtered");
    EXPECT_EQ(extra["count"], "65533");

    const Element& netbus = *nas.one("ports").all("port")[1];
    EXPECT_EQ(netbus["protocol"], "tcp");
    EXPECT_EQ(netbus.child_names(), (std::vector<std::string>{"state", "service"}));
    EXPECT_EQ(netbus.one("state")["state"], "open");
    EXPECT_EQ(netbus.one("state")["reason"], "syn-ack");
    EXPECT_EQ(netbus.one("state")["reason_ttl"], "0");
    const Element& service = netbus.one("service");
    EXPECT_EQ(service["name"], "isis-am");
    EXPECT_EQ(service["method"], "table");
    EXPECT_EQ(service["conf"], "3");
    EXPECT_EQ(service["extrainfo"], "rarity 9.7; ghost; unauthorized-use-reported; aka netbus");
    EXPECT_EQ(nas.one("ports").all("port")[0]->one("service")["extrainfo"], "rarity 0.3; privileged");

    EXPECT_EQ(hosts[1]->one("address")["addr"], "198.18.0.9");
    EXPECT_TRUE(hosts[1]->one("hostnames").children.empty());
    EXPECT_EQ(port_ids(*hosts[1]), (std::vector<std::string>{"8080"}));
    EXPECT_EQ(hosts[1]->one("ports").one("port").one("service")["extrainfo"], "rarity 2.5");

    const Element& stats = run.one("runstats");
    EXPECT_EQ(stats.child_names(), (std::vector<std::string>{"finished", "hosts"}));
    const Element& finished = stats.one("finished");
    EXPECT_EQ(finished["time"], "1795341612");
    EXPECT_EQ(finished["timestr"], "Sun Nov 22 10:00:12 2026");
    EXPECT_EQ(finished["elapsed"], "12.35");
    EXPECT_EQ(
        finished["summary"],
        "ghostport done at Sun Nov 22 10:00:12 2026; 17 IP addresses (3 hosts up) scanned in 12.35 seconds");
    EXPECT_EQ(finished["exit"], "success");
    EXPECT_FALSE(finished.has("errormsg"));
    EXPECT_EQ(stats.one("hosts")["up"], "3");
    EXPECT_EQ(stats.one("hosts")["down"], "14");
    EXPECT_EQ(stats.one("hosts")["total"], "17");

    // The exact text of one port, as a contract.
    EXPECT_NE(text.find("<port protocol=\"tcp\" portid=\"1642\"><state state=\"open\" reason=\"syn-ack\" "
                        "reason_ttl=\"0\"/><service name=\"isis-am\" method=\"table\" conf=\"3\" "
                        "extrainfo=\"rarity 9.7; ghost; unauthorized-use-reported; aka netbus\"/></port>\n"),
              std::string::npos);
}

TEST(XmlSink, Ipv6HostAndKnownAsOnlyService) {
    Report report = sample_report();
    report.rows[2].label.known_as = "ibm-db2";  // 2001:db8::7, port 49160, no IANA name
    const Element run = xml_tree(report);
    const Element& v6 = *run.all("host")[2];
    EXPECT_EQ(v6.one("address")["addr"], "2001:db8::7");
    EXPECT_EQ(v6.one("address")["addrtype"], "ipv6");
    const Element& port = v6.one("ports").one("port");
    EXPECT_EQ(port["portid"], "49160");
    EXPECT_EQ(port.one("service")["name"], "ibm-db2");
    EXPECT_EQ(port.one("service")["extrainfo"], "rarity 8.2; ghost; dynamic");

    // No name at all: nmap's "unknown" service, so the rarity and labels still reach the reader.
    report.rows[2].label.known_as.clear();
    const Element tree = xml_tree(report);
    const Element& unnamed = tree.all("host")[2]->one("ports").one("port").one("service");
    EXPECT_EQ(unnamed["name"], "unknown");
    EXPECT_EQ(unnamed["extrainfo"], "rarity 8.2; ghost; dynamic");
}

TEST(XmlSink, StatesReasonsAndHostStatus) {
    Report report;
    report.meta.engine = "syn";
    auto closed = make_row("192.0.2.1", 81, 1.0, 0, "x");
    closed.result.state = ghostport::core::PortState::closed;
    closed.result.reason = ghostport::core::Reason::rst;
    auto filtered = make_row("192.0.2.1", 82, 1.0, 0, "x");
    filtered.result.state = ghostport::core::PortState::filtered;
    filtered.result.reason = ghostport::core::Reason::no_response;
    auto unreach = make_row("192.0.2.2", 83, 1.0, 0, "x");
    unreach.result.state = ghostport::core::PortState::filtered;
    unreach.result.reason = ghostport::core::Reason::unreachable;
    report.rows = {unreach, filtered, closed};
    const Element run = xml_tree(report);
    EXPECT_EQ(run.one("scaninfo")["type"], "syn");
    const auto hosts = run.all("host");
    ASSERT_EQ(hosts.size(), 2u);
    EXPECT_EQ(hosts[0]->one("status")["reason"], "reset");  // answered with a reset, so it is up
    const auto ports = hosts[0]->one("ports").all("port");
    EXPECT_EQ(ports[0]->one("state")["state"], "closed");
    EXPECT_EQ(ports[0]->one("state")["reason"], "reset");
    EXPECT_EQ(ports[1]->one("state")["state"], "filtered");
    EXPECT_EQ(ports[1]->one("state")["reason"], "no-response");
    EXPECT_EQ(hosts[1]->one("status")["reason"], "user-set");
    EXPECT_EQ(hosts[1]->one("ports").one("port").one("state")["reason"], "host-unreach");
}

TEST(XmlSink, HostileStringsStayWellFormedAndReadBack) {
    Report report = sample_report();
    report.meta.command_line = "ghostport \"198.18.0.5\" --note '<x>&amp;' \x1b]0;pwn\x07";
    report.rows[0].hostname = "nas\"><script>&'\t\x01\xFF";  // the ssh row of 198.18.0.5
    report.rows[0].label.service = "ssh\"/><port portid=\"1\"";
    report.rows[3].label.known_as = "net]]>bus\r\n<!--";
    const Element run = xml_tree(report);  // throws when not well-formed
    EXPECT_EQ(run["args"], "ghostport \"198.18.0.5\" --note '<x>&amp;' " + fffd + "]0;pwn" + fffd);
    const Element& nas = *run.all("host")[0];
    const auto names = nas.one("hostnames").all("hostname");
    ASSERT_EQ(names.size(), 2u);  // two hostnames of one address, sorted
    EXPECT_EQ((*names[0])["name"], "nas\"><script>&'\t" + fffd + fffd);
    EXPECT_EQ((*names[1])["name"], "nas.lan");
    EXPECT_EQ(port_ids(nas), (std::vector<std::string>{"22", "1642"}));
    const auto ports = nas.one("ports").all("port");
    EXPECT_EQ(ports[0]->one("service")["name"], "ssh\"/><port portid=\"1\"");
    EXPECT_EQ(ports[1]->one("service")["extrainfo"],
              "rarity 9.7; ghost; unauthorized-use-reported; aka net]]>bus\r\n<!--");
}

TEST(XmlSink, ACommentNamesTheRegistrySourceDateAndFill) {
    Report report = sample_report();
    report.meta.registry_fill = "/etc/services";
    report.meta.registry_fill_ports = 412;
    Element run = xml_tree(report);
    ASSERT_EQ(run.comments.size(), 1u);
    EXPECT_EQ(run.comments[0],
              " registry: /usr/share/ghostport/service-names-port-numbers.csv (snapshot 2026-10-01) + "
              "/etc/services for 412 ports ");

    report.meta.registry_source = "/tmp/a--b-->c-";  // "--" may not appear in a comment
    report.meta.registry_fill.clear();
    run = xml_tree(report);  // throws when not well-formed
    ASSERT_EQ(run.comments.size(), 1u);
    EXPECT_NE(run.comments[0].find("/tmp/a-&#45;b-&#45;&gt;c- (snapshot 2026-10-01)"), std::string::npos)
        << run.comments[0];
}

TEST(XmlSink, PartialScanFinishesWithAnError) {
    Report report = sample_report();
    report.meta.partial = true;
    report.meta.probes_done = 1234;
    const Element run = xml_tree(report);
    const Element& finished = run.one("runstats").one("finished");
    EXPECT_EQ(finished["exit"], "error");
    EXPECT_EQ(finished["errormsg"], "scan interrupted: 1234 of 1114095 probes decided");
}

TEST(XmlSink, AllOpenHostIsExtraportsNotAPort) {
    Report report = sample_report();
    ReportRow tarpit = make_row("198.18.0.7", 0, 9.9, 0, "");
    tarpit.result.state = ghostport::core::PortState::all_open;
    ReportRow closed = make_row("198.18.0.7", 443, 0.8, 0, "https");
    closed.result.state = ghostport::core::PortState::closed;
    closed.result.reason = ghostport::core::Reason::rst;
    report.rows.push_back(closed);
    report.rows.push_back(tarpit);
    const Element run = xml_tree(report);
    const auto hosts = run.all("host");
    ASSERT_EQ(hosts.size(), 4u);
    const Element& host = *hosts[1];
    EXPECT_EQ(host.one("address")["addr"], "198.18.0.7");
    EXPECT_EQ(host.one("status")["reason"], "syn-ack");
    const Element& ports = host.one("ports");
    EXPECT_EQ(ports.child_names(), (std::vector<std::string>{"extraports", "port"}));
    EXPECT_EQ(port_ids(host), std::vector<std::string>{"443"});  // no port 0
    const Element& extra = ports.one("extraports");
    EXPECT_EQ(extra["state"], "open");
    EXPECT_EQ(extra["count"], "65534");
    EXPECT_EQ(extra.one("extrareasons")["reason"], "syn-ack");
    EXPECT_EQ(extra.one("extrareasons")["count"], "65534");
}

TEST(XmlSink, EmptyReportAndTimeLayout) {
    Report report;
    report.meta.started_at = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1} + std::chrono::hours{7};
    report.meta.finished_at = report.meta.started_at - std::chrono::seconds{1};  // a clock step backwards
    report.meta.hosts_targeted = 1;
    report.meta.hosts_up = 1;
    const Element run = xml_tree(report);
    EXPECT_EQ(run["startstr"], "Sun Nov  1 07:00:00 2026");
    EXPECT_EQ(run.child_names(), (std::vector<std::string>{"scaninfo", "verbose", "debugging", "runstats"}));
    const Element& finished = run.one("runstats").one("finished");
    EXPECT_EQ(finished["elapsed"], "0.00");
    EXPECT_EQ(finished["summary"],
              "ghostport done at Sun Nov  1 06:59:59 2026; 1 IP address (1 host up) scanned in 0.00 seconds");
    EXPECT_EQ(run.one("runstats").one("hosts")["down"], "0");
}

// ndiff (nmap 7.93's XML differ) reads two of these documents as nmap scans.
namespace {

constexpr const char* ndiff_path = "/usr/bin/ndiff";

struct NdiffRun {
    int exit_code = -1;  // ndiff: 0 same, 1 different, 2 error; 124 when timeout killed it
    std::string out, err;
};

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class XmlNdiff : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!std::filesystem::exists(ndiff_path))
            GP_SKIP(std::string(ndiff_path) + " is missing (apt-get install ndiff)");
        std::string pattern = (std::filesystem::temp_directory_path() / "ghostport_xml_XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    std::filesystem::path write(const std::string& name, const Report& report) {
        const std::filesystem::path path = dir_ / name;
        std::ofstream out(path, std::ios::binary);
        write_xml(out, report);
        out.close();
        EXPECT_TRUE(out) << "writing " << path;
        return path;
    }

    // Runs ndiff with a 60 s bound (mkdtemp paths hold no shell metacharacters).
    NdiffRun ndiff(const std::filesystem::path& a, const std::filesystem::path& b) {
        const std::filesystem::path err = dir_ / "stderr";
        const std::string command = "timeout -k 5 60 " + std::string(ndiff_path) + " '" + a.string() + "' '" +
                                    b.string() + "' 2>'" + err.string() + "'";
        NdiffRun run;
        FILE* pipe = popen(command.c_str(), "r");
        if (!pipe) return run;
        char buffer[4096];
        std::size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
        const int status = pclose(pipe);
        if (status != -1 && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
        run.err = slurp(err);
        return run;
    }

    std::filesystem::path dir_;
};

// The sample, with a hostname hostile to XML on the IPv6 host so that ndiff's own parser checks it too.
Report ndiff_sample() {
    Report report = sample_report();
    report.rows[2].hostname = "v6 <&\"'> \x01\xFF";
    return report;
}

Report without_port(Report report, std::uint16_t port) {
    std::erase_if(report.rows, [port](const ReportRow& row) { return row.result.port == port; });
    --report.meta.open;
    return report;
}

}  // namespace

TEST_F(XmlNdiff, NamesTheAddedAndTheRemovedPort) {
    const auto a = write("a.xml", without_port(ndiff_sample(), 1642));  // has 22/tcp ssh, not 1642
    const auto b = write("b.xml", without_port(ndiff_sample(), 22));    // has 1642/tcp isis-am, not 22
    const NdiffRun run = ndiff(a, b);
    EXPECT_EQ(run.exit_code, 1) << "ndiff says \"different\" with exit 1\nstdout:\n"
                                << run.out << "stderr:\n"
                                << run.err;
    EXPECT_EQ(run.err, "");
    EXPECT_NE(run.out.find("198.18.0.5"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("+1642/tcp"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("isis-am"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("-22/tcp"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("8080"), std::string::npos) << "unchanged ports are not listed\n" << run.out;
    std::cout << "ndiff output:\n" << run.out;
}

TEST_F(XmlNdiff, IdenticalReportsAreTheSame) {
    const auto a = write("a.xml", ndiff_sample());
    const auto b = write("b.xml", ndiff_sample());
    const NdiffRun run = ndiff(a, b);
    EXPECT_EQ(run.exit_code, 0) << "stdout:\n" << run.out << "stderr:\n" << run.err;
    EXPECT_EQ(run.err, "");
}

TEST_F(XmlNdiff, AllOpenHostDiffsAsExtraports) {
    Report before = ndiff_sample();
    Report after = ndiff_sample();
    ReportRow tarpit = make_row("198.18.0.7", 0, 9.9);
    tarpit.result.state = ghostport::core::PortState::all_open;
    after.rows.push_back(tarpit);
    const NdiffRun run = ndiff(write("a.xml", before), write("b.xml", after));
    EXPECT_EQ(run.exit_code, 1) << "stdout:\n" << run.out << "stderr:\n" << run.err;
    EXPECT_EQ(run.err, "");
    EXPECT_NE(run.out.find("198.18.0.7"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("65535 open ports"), std::string::npos) << run.out;
}

// ---- scan -sV: nmap's probed <service>, every up host, scaninfo's port list ----

namespace {

// Five hosts up (198.18.0.1-5) of 8 targeted, ports 1-1024 and 1642 scanned on each; open ports on two:
// 198.18.0.2 (22 ssh, 443 TLS nginx) and 198.18.0.4 (1642, tcpwrapped). Every other port answered closed.
Report five_up_report() {
    Report report;
    ghostport::core::ReportMeta& m = report.meta;
    m.command_line = "ghostport scan -sV -p 1-1024,1642 198.18.0.0/29";
    m.started_at = at(10, 0, 0, 0);
    m.finished_at = at(10, 0, 5, 0);
    m.engine = "connect";
    m.service_scan = true;
    m.hosts_targeted = 8;
    m.hosts_up = 5;
    for (int i = 1; i <= 5; ++i)
        m.hosts_up_list.push_back(*ghostport::core::Address::parse("198.18.0." + std::to_string(i)));
    std::vector<std::uint16_t> ports;
    for (std::uint16_t p = 1; p <= 1024; ++p) ports.push_back(p);
    ports.push_back(1642);
    m.ports_scanned = ghostport::core::port_list_text(ports);
    m.ports_per_host = ports.size();
    m.probes_planned = m.probes_done = 8 * ports.size();
    m.open = 3;
    m.closed = 5 * ports.size() - 3;
    m.filtered = 3 * ports.size();

    ReportRow ssh = make_row("198.18.0.2", 22, 0.3, ghostport::core::label_privileged, "ssh");
    ssh.service.name = "ssh";
    ssh.service.product = "OpenSSH";
    ssh.service.version = "9.2p1";
    ssh.service.extra_info = "protocol 2.0";
    ssh.service.cpe = "cpe:/a:openbsd:openssh:9.2p1";
    ReportRow https = make_row("198.18.0.2", 443, 0.5, ghostport::core::label_privileged, "https");
    https.service.name = "http";
    https.service.product = "nginx";
    https.service.version = "1.22.1";
    https.service.tls = "TLSv1.3";
    https.service.cpe = "cpe:/a:f5:nginx:1.22.1";
    ReportRow wrapped = make_row("198.18.0.4", 1642, 9.7, ghostport::core::label_ghost, "isis-am");
    wrapped.service.name = "tcpwrapped";
    report.rows = {wrapped, https, ssh};
    return report;
}

}  // namespace

TEST(XmlSink, ProbedServiceElements) {
    const std::string text = xml_text(five_up_report());
    EXPECT_NE(
        text.find("<port protocol=\"tcp\" portid=\"22\"><state state=\"open\" reason=\"syn-ack\" "
                  "reason_ttl=\"0\"/><service name=\"ssh\" product=\"OpenSSH\" version=\"9.2p1\" "
                  "extrainfo=\"protocol 2.0\" method=\"probed\" conf=\"10\"><cpe>cpe:/a:openbsd:openssh:"
                  "9.2p1</cpe></service></port>\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("<service name=\"http\" product=\"nginx\" version=\"1.22.1\" tunnel=\"ssl\" "
                        "method=\"probed\" conf=\"10\"><cpe>cpe:/a:f5:nginx:1.22.1</cpe></service>"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("<service name=\"tcpwrapped\" method=\"probed\" conf=\"8\"/>"), std::string::npos)
        << text;

    Report report = five_up_report();
    ghostport::core::ServiceInfo& https = report.rows[1].service;
    https.tls = "STARTTLS TLSv1.3";  // upgraded in band: no tunnel
    https.soft = true;               // a soft match: conf 8
    https.cpe.clear();
    EXPECT_NE(xml_text(report).find("<service name=\"http\" product=\"nginx\" version=\"1.22.1\" "
                                    "method=\"probed\" conf=\"8\"/>"),
              std::string::npos);
    https = {};
    https.name = "ssl";
    https.tls = "TLSv1.2";
    EXPECT_NE(xml_text(report).find("<service name=\"ssl\" method=\"probed\" conf=\"10\"/>"),
              std::string::npos);
    // unknown: answered but nothing matched; nmap keeps the table's guess.
    https = {};
    https.name = "unknown";
    EXPECT_NE(
        xml_text(report).find("<service name=\"https\" method=\"table\" conf=\"3\" extrainfo=\"rarity 0.5; "
                              "privileged\"/>"),
        std::string::npos);

    // Without -sV the identified rows are written as before.
    report = five_up_report();
    report.meta.service_scan = false;
    const std::string plain = xml_text(report);
    EXPECT_EQ(plain.find("probed"), std::string::npos);
    EXPECT_NE(plain.find("<service name=\"ssh\" method=\"table\" conf=\"3\" extrainfo=\"rarity 0.3; "
                         "privileged\"/>"),
              std::string::npos);
}

TEST(XmlSink, EveryUpHostIsListedWithItsUnlistedPorts) {
    const Element run = xml_tree(five_up_report());
    const Element& info = run.one("scaninfo");
    EXPECT_EQ(info["services"], "1-1024,1642");
    EXPECT_EQ(info["numservices"], "1025");
    const auto hosts = run.all("host");
    ASSERT_EQ(hosts.size(), 5u);
    for (int i = 0; i < 5; ++i) {
        const Element& host = *hosts[i];
        EXPECT_EQ(host.one("address")["addr"], "198.18.0." + std::to_string(i + 1));
        EXPECT_EQ(host.one("status")["state"], "up");
        const Element& extra = host.one("ports").one("extraports");
        EXPECT_EQ(extra["state"], "closed");
        const std::size_t open = i == 1 ? 2 : i == 3 ? 1 : 0;
        EXPECT_EQ(extra["count"], std::to_string(1025 - open));
        EXPECT_EQ(host.one("ports").all("port").size(), open);
        EXPECT_EQ(host.one("status")["reason"], open > 0 ? "syn-ack" : "reset");
    }
    EXPECT_EQ(hosts[0]->one("ports").child_names(), std::vector<std::string>{"extraports"});
    EXPECT_EQ((*hosts[0])["starttime"], "1795341600");  // a host with no row spans the scan
    EXPECT_EQ((*hosts[0])["endtime"], "1795341605");
    EXPECT_EQ(run.one("runstats").one("hosts")["up"], "5");
    EXPECT_EQ(run.one("runstats").one("hosts")["down"], "3");

    // One host, closed and filtered ports: exact counts for each.
    Report one = five_up_report();
    one.meta.hosts_up_list.resize(2);  // 198.18.0.1 and .2
    one.rows.erase(one.rows.begin());  // the 198.18.0.4 row
    one.meta.hosts_up_list.erase(one.meta.hosts_up_list.begin());
    one.meta.closed = 1000;
    const Element single = xml_tree(one);
    ASSERT_EQ(single.all("host").size(), 1u);
    const auto extras = single.one("host").one("ports").all("extraports");
    ASSERT_EQ(extras.size(), 2u);
    EXPECT_EQ((*extras[0])["state"], "closed");
    EXPECT_EQ((*extras[0])["count"], "1000");
    EXPECT_EQ((*extras[1])["state"], "filtered");
    EXPECT_EQ((*extras[1])["count"], "23");
}

TEST(XmlSink, HostileServiceStringsStayWellFormed) {
    Report report = five_up_report();
    ghostport::core::ServiceInfo& s = report.rows[2].service;  // ssh
    s.product = std::string("Open\"SSH\"/><port portid=\"1\"") + '\0' + "\x1b[2J";
    s.version = "9.2'<&>";
    s.extra_info = "line\r\nbreak\tand\x7f";
    s.cpe = "cpe:/a:x</cpe><script>";
    const Element run = xml_tree(report);  // throws when not well-formed
    const Element& service = run.all("host")[1]->one("ports").all("port")[0]->one("service");
    EXPECT_EQ(service["product"], "Open\"SSH\"/><port portid=\"1\"" + fffd + fffd + "[2J");
    EXPECT_EQ(service["version"], "9.2'<&>");
    EXPECT_EQ(service["extrainfo"], "line\r\nbreak\tand\x7f");
    const std::string text = xml_text(report);
    EXPECT_NE(text.find("<cpe>cpe:/a:x&lt;/cpe&gt;&lt;script&gt;</cpe>"), std::string::npos);
}

TEST_F(XmlNdiff, FiveHostsUpReadAsFiveHosts) {
    // Against a scan that found nothing, ndiff lists every host of the -sV report, the three without an
    // open port too, each with its ports "Not shown".
    Report nothing;
    nothing.meta = five_up_report().meta;
    nothing.meta.hosts_up = 0;
    nothing.meta.hosts_up_list.clear();
    const NdiffRun run = ndiff(write("a.xml", nothing), write("b.xml", five_up_report()));
    EXPECT_EQ(run.exit_code, 1) << "stdout:\n" << run.out << "stderr:\n" << run.err;
    EXPECT_EQ(run.err, "");
    for (int i = 1; i <= 5; ++i)
        EXPECT_NE(run.out.find("+198.18.0." + std::to_string(i) + ":"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Not shown: 1025 closed ports"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("OpenSSH 9.2p1 (protocol 2.0)"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("ssl/http"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("tcpwrapped"), std::string::npos) << run.out;

    // A host that stops answering is a change even though it had no open port.
    Report fewer = five_up_report();
    fewer.meta.hosts_up_list.erase(fewer.meta.hosts_up_list.begin() + 2);  // 198.18.0.3
    const NdiffRun gone = ndiff(write("c.xml", five_up_report()), write("d.xml", fewer));
    EXPECT_EQ(gone.exit_code, 1) << gone.out << gone.err;
    EXPECT_NE(gone.out.find("-198.18.0.3"), std::string::npos) << gone.out;
    EXPECT_EQ(ndiff(write("e.xml", five_up_report()), write("f.xml", five_up_report())).exit_code, 0);
    std::cout << "ndiff output:\n" << run.out;
}

// python3-libnmap (Debian's importer of nmap XML) reads the -sV report: 5 hosts, all up, the services.
TEST_F(XmlNdiff, LibnmapReadsFiveHostsAndTheServices) {
    const int probe = std::system("/usr/bin/python3 -c 'import libnmap.parser' 2>/dev/null");
    if (probe != 0) GP_SKIP("python3-libnmap is missing (apt-get install python3-libnmap)");
    const auto path = write("scan.xml", five_up_report());
    const std::filesystem::path script = dir_ / "read.py";
    std::ofstream(script)
        << "import sys\n"
           "from libnmap.parser import NmapParser\n"
           "r = NmapParser.parse_fromfile(sys.argv[1])\n"
           "print('hosts', len(r.hosts), 'up', r.hosts_up, 'total', r.hosts_total)\n"
           "for h in r.hosts:\n"
           "    print(h.address, h.status, len(h.get_open_ports()), h.extraports_state)\n"
           "    for s in h.services:\n"
           "        print(' ', s.port, s.service, s.tunnel, s.banner, s.cpelist[0].cpestring "
           "if s.cpelist else '-')\n";
    const std::string command =
        "timeout -k 5 60 /usr/bin/python3 '" + script.string() + "' '" + path.string() + "' 2>&1";
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    const int status = pclose(pipe);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
    EXPECT_NE(out.find("hosts 5 up 5 total 8\n"), std::string::npos) << out;
    EXPECT_NE(out.find("198.18.0.1 up 0 "), std::string::npos) << out;
    EXPECT_NE(out.find("198.18.0.2 up 2 "), std::string::npos) << out;
    EXPECT_NE(out.find("  22 ssh  product: OpenSSH version: 9.2p1 extrainfo: protocol 2.0 "
                       "cpe:/a:openbsd:openssh:9.2p1"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("  443 http ssl product: nginx version: 1.22.1 cpe:/a:f5:nginx:1.22.1"),
              std::string::npos)
        << out;
    std::cout << "libnmap output:\n" << out;
}

// A TCP and UDP scan: one <scaninfo> per protocol, 53/tcp and 53/udp two ports, open|filtered and the UDP
// reasons in nmap's words; the scan-ports reader (nmap -oX or ours) reads the states and protocols back.
// An empty report of a SYN scan of `tcp` and `udp` ports (port lists), `per_host` ports in all.
Report tcp_udp_report(const char* tcp, const char* udp, std::uint64_t per_host) {
    Report report;
    report.meta.engine = "syn";
    report.meta.ports_scanned = tcp;
    report.meta.udp_ports_scanned = udp;
    report.meta.ports_per_host = per_host;
    return report;
}

TEST(XmlSink, UdpPortsStatesAndScaninfo) {
    Report report = tcp_udp_report("53", "53,123,161", 4);
    auto tcp = make_row("198.18.0.5", 53, 1.0, 0, "domain");
    auto udp = [](std::uint16_t port, ghostport::core::PortState state, ghostport::core::Reason reason) {
        auto row = make_row("198.18.0.5", port, 1.0, 0, "domain");
        row.result.proto = ghostport::core::Proto::udp;
        row.result.state = state;
        row.result.reason = reason;
        return row;
    };
    report.rows = {udp(123, ghostport::core::PortState::open_filtered, ghostport::core::Reason::no_response),
                   udp(53, ghostport::core::PortState::open, ghostport::core::Reason::udp_response), tcp,
                   udp(161, ghostport::core::PortState::closed, ghostport::core::Reason::port_unreach)};
    const std::string text = xml_text(report);
    const Element run = XmlReader(text).parse_document();
    const auto infos = run.all("scaninfo");
    ASSERT_EQ(infos.size(), 2u);
    EXPECT_EQ((*infos[0])["protocol"], "tcp");
    EXPECT_EQ((*infos[0])["numservices"], "1");
    EXPECT_EQ((*infos[1])["type"], "udp");
    EXPECT_EQ((*infos[1])["protocol"], "udp");
    EXPECT_EQ((*infos[1])["services"], "53,123,161");
    EXPECT_EQ((*infos[1])["numservices"], "3");
    const auto ports = run.one("host").one("ports").all("port");
    ASSERT_EQ(ports.size(), 4u);
    EXPECT_EQ((*ports[0])["protocol"], "tcp");
    EXPECT_EQ((*ports[1])["protocol"], "udp");
    EXPECT_EQ((*ports[1])["portid"], "53");
    EXPECT_EQ(ports[1]->one("state")["reason"], "udp-response");
    EXPECT_EQ(ports[2]->one("state")["state"], "open|filtered");
    EXPECT_EQ(ports[2]->one("state")["reason"], "no-response");
    EXPECT_EQ(ports[3]->one("state")["reason"], "port-unreach");

    const auto view = ghostport::output::read_scan_xml(text);
    EXPECT_EQ(view.tcp_scanned, (std::vector<std::uint16_t>{53}));
    EXPECT_EQ(view.udp_scanned, (std::vector<std::uint16_t>{53, 123, 161}));
    ASSERT_EQ(view.ports.size(), 4u);
    EXPECT_EQ(view.ports[1].proto, ghostport::core::Proto::udp);
    EXPECT_EQ(view.ports[2].state, ghostport::core::PortState::open_filtered);
}

// A tarpit in a TCP and UDP scan: all open on both protocols is two open <extraports>, each counted over its
// own protocol's ports; a host all open on TCP only still has its unlisted UDP ports as extraports.
TEST(XmlSink, AllOpenOnEachProtocolIsItsOwnExtraports) {
    Report report = tcp_udp_report("1-1000", "53,123,161", 1003);
    report.meta.closed = 4;  // 443/tcp of the first host, the second host's three UDP ports
    auto all_open = [](const char* host, ghostport::core::Proto proto) {
        auto row = make_row(host, 0, 9.9, 0, "");
        row.result.state = ghostport::core::PortState::all_open;
        row.result.proto = proto;
        row.result.reason = proto == ghostport::core::Proto::udp ? ghostport::core::Reason::udp_response
                                                                 : ghostport::core::Reason::syn_ack;
        return row;
    };
    auto closed = make_row("198.18.0.7", 443, 0.8, 0, "https");
    closed.result.state = ghostport::core::PortState::closed;
    closed.result.reason = ghostport::core::Reason::rst;
    report.rows = {all_open("198.18.0.7", ghostport::core::Proto::tcp),
                   all_open("198.18.0.7", ghostport::core::Proto::udp), closed,
                   all_open("198.18.0.8", ghostport::core::Proto::tcp)};
    const Element run = xml_tree(report);
    const auto hosts = run.all("host");
    ASSERT_EQ(hosts.size(), 2u);
    const auto both = hosts[0]->one("ports").all("extraports");
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ((*both[0])["state"], "open");
    EXPECT_EQ((*both[0])["count"], "999");  // 1000 TCP ports, 443 listed closed
    EXPECT_EQ(both[0]->one("extrareasons")["proto"], "tcp");
    EXPECT_EQ((*both[1])["state"], "open");
    EXPECT_EQ((*both[1])["count"], "3");
    EXPECT_EQ(both[1]->one("extrareasons")["reason"], "udp-response");
    EXPECT_EQ(port_ids(*hosts[0]), std::vector<std::string>{"443"});
    const auto tcp_only = hosts[1]->one("ports").all("extraports");
    ASSERT_EQ(tcp_only.size(), 2u);
    EXPECT_EQ((*tcp_only[0])["state"], "open");
    EXPECT_EQ((*tcp_only[0])["count"], "1000");
    EXPECT_EQ((*tcp_only[1])["state"], "closed");
    EXPECT_EQ((*tcp_only[1])["count"], "3");
}

// A UDP-only scan has the UDP <scaninfo> alone; a host that only answered UDP is up by "udp-response".
TEST(XmlSink, UdpOnlyScan) {
    Report report;
    report.meta.udp_ports_scanned = "53";
    report.meta.ports_per_host = 1;
    auto row = make_row("198.18.0.5", 53, 1.0, 0, "domain");
    row.result.proto = ghostport::core::Proto::udp;
    row.result.reason = ghostport::core::Reason::udp_response;
    report.rows = {row};
    const Element run = xml_tree(report);
    const auto infos = run.all("scaninfo");
    ASSERT_EQ(infos.size(), 1u);
    EXPECT_EQ((*infos[0])["protocol"], "udp");
    EXPECT_EQ(run.one("host").one("status")["reason"], "udp-response");
}
