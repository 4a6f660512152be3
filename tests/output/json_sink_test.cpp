// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/json_sink.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <variant>

#include "output/utf8.hpp"
#include "sample_report.hpp"

using ghostport::core::Report;
using ghostport::output::write_json;
using ghostport::output::detail::json_quote;
using namespace ghostport::output::test;

namespace {

// A test-only strict JSON reader (RFC 8259), enough to check that every line the sink writes parses and to
// read its values back. Object keys keep their order.
struct Json {
    using Object = std::vector<std::pair<std::string, Json>>;
    using Array = std::vector<Json>;
    std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>>
        v;

    const Json& operator[](std::string_view key) const {
        for (const auto& [k, value] : *std::get<std::shared_ptr<Object>>(v))
            if (k == key) return value;
        throw std::out_of_range(std::string(key));
    }
    std::vector<std::string> keys() const {
        std::vector<std::string> out;
        for (const auto& kv : *std::get<std::shared_ptr<Object>>(v)) out.push_back(kv.first);
        return out;
    }
    const std::string& str() const { return std::get<std::string>(v); }
    double num() const { return std::get<double>(v); }
    bool boolean() const { return std::get<bool>(v); }
    const Array& arr() const { return *std::get<std::shared_ptr<Array>>(v); }
};

class Parser {
  public:
    explicit Parser(std::string_view text) : s_(text) {}
    Json parse_document() {
        Json j = value();
        ws();
        if (i_ != s_.size()) fail();
        return j;
    }

  private:
    [[noreturn]] void fail() { throw std::runtime_error("bad JSON at offset " + std::to_string(i_)); }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool eat(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }
    Json value() {
        ws();
        if (i_ >= s_.size()) fail();
        char c = s_[i_];
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return Json{string()};
        if (eat("true")) return Json{true};
        if (eat("false")) return Json{false};
        if (eat("null")) return Json{nullptr};
        return number();
    }
    Json object() {
        auto obj = std::make_shared<Json::Object>();
        ++i_;
        ws();
        if (eat("}")) return Json{obj};
        while (true) {
            ws();
            if (i_ >= s_.size() || s_[i_] != '"') fail();
            std::string key = string();
            ws();
            if (!eat(":")) fail();
            obj->emplace_back(std::move(key), value());
            ws();
            if (eat("}")) return Json{obj};
            if (!eat(",")) fail();
        }
    }
    Json array() {
        auto arr = std::make_shared<Json::Array>();
        ++i_;
        ws();
        if (eat("]")) return Json{arr};
        while (true) {
            arr->push_back(value());
            ws();
            if (eat("]")) return Json{arr};
            if (!eat(",")) fail();
        }
    }
    Json number() {
        const std::size_t start = i_;
        eat("-");
        if (eat("0")) {
        } else if (i_ < s_.size() && s_[i_] >= '1' && s_[i_] <= '9') {
            digits();
        } else {
            fail();
        }
        if (eat(".")) {
            if (!digits()) fail();
        }
        if (eat("e") || eat("E")) {
            if (!eat("+")) eat("-");
            if (!digits()) fail();
        }
        return Json{std::stod(std::string(s_.substr(start, i_ - start)))};
    }
    bool digits() {
        const std::size_t start = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > start;
    }
    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail();
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v |= c - 'A' + 10;
            else
                fail();
        }
        return v;
    }
    std::string string() {
        ++i_;  // opening quote
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail();
            const auto c = static_cast<unsigned char>(s_[i_++]);
            if (c == '"') return out;
            if (c < 0x20) fail();  // raw control characters are not allowed in strings
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (i_ >= s_.size()) fail();
            const char e = s_[i_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (!eat("\\u")) fail();
                        const unsigned low = hex4();
                        if (low < 0xDC00 || low > 0xDFFF) fail();
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    ghostport::output::detail::append_utf8(out, static_cast<char32_t>(cp));
                    break;
                }
                default:
                    fail();
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

std::vector<Json> json_lines(const Report& report, std::string* raw = nullptr) {
    std::ostringstream out;
    write_json(out, report);
    const std::string text = out.str();
    if (raw) *raw = text;
    std::vector<Json> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        EXPECT_NE(end, std::string::npos) << "every object ends with a newline";
        if (end == std::string::npos) break;
        lines.push_back(Parser(std::string_view(text).substr(start, end - start)).parse_document());
        start = end + 1;
    }
    return lines;
}

const std::string fffd = "\xEF\xBF\xBD";

}  // namespace

TEST(JsonSink, QuotesGoldenStrings) {
    EXPECT_EQ(json_quote(""), "\"\"");
    EXPECT_EQ(json_quote("plain text"), "\"plain text\"");
    EXPECT_EQ(json_quote("a\"b\\c/d"), R"("a\"b\\c/d")");
    EXPECT_EQ(json_quote("tab\tnl\ncr\r"), R"("tab\u0009nl\u000Acr\u000D")");
    EXPECT_EQ(json_quote(std::string("nul\0x", 5)), R"("nul\u0000x")");
    EXPECT_EQ(json_quote("\x01\x1b\x1f\x7f"), "\"\\u0001\\u001B\\u001F\x7f\"");
    EXPECT_EQ(json_quote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
              "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
}

TEST(JsonSink, ReplacesInvalidUtf8) {
    EXPECT_EQ(json_quote("a\xFFz"), "\"a" + fffd + "z\"");
    EXPECT_EQ(json_quote("\xC0\xAF"), "\"" + fffd + fffd + "\"");
    EXPECT_EQ(json_quote("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");
    EXPECT_EQ(json_quote("cut \xE2\x82"), "\"cut " + fffd + "\"");
    EXPECT_EQ(json_quote("\xE2\x82\""), "\"" + fffd + "\\\"\"");
}

TEST(JsonSink, EscapedStringsParseBackToTheOriginal) {
    const std::string tricky = "Says \"hi\",\nthen \\ a tab\t, \x01 and caf\xC3\xA9";
    const std::string quoted = json_quote(tricky);
    const Json parsed = Parser(quoted).parse_document();
    EXPECT_EQ(parsed.str(), tricky);
}

TEST(JsonSink, RowObjectsHaveTheCsvFieldsInOrder) {
    Report report = sample_report();
    std::string raw;
    const auto lines = json_lines(report, &raw);
    ASSERT_EQ(lines.size(), 5u);
    const std::vector<std::string> expected_keys{
        "record",      "host",           "hostname",    "port",        "proto",        "state",
        "reason",      "port_range",     "service",     "description", "known_as",     "registry_status",
        "prevalence",  "rarity",         "labels",      "rtt_ms",      "scanned_at",   "detected_service",
        "product",     "version",        "extra_info",  "tls",         "cert_subject", "cert_san",
        "cert_issuer", "cert_not_after", "fingerprint", "cpe",         "banner",       "hosts_open"};
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(lines[i].keys(), expected_keys);

    const Json& netbus = lines[0];  // the rarest ghost comes first
    EXPECT_EQ(netbus["record"].str(), "port");
    EXPECT_EQ(netbus["host"].str(), "198.18.0.5");
    EXPECT_EQ(netbus["hostname"].str(), "nas.lan");
    EXPECT_EQ(netbus["port"].num(), 1642);
    EXPECT_EQ(netbus["proto"].str(), "tcp");
    EXPECT_EQ(netbus["state"].str(), "open");
    EXPECT_EQ(netbus["reason"].str(), "syn-ack");
    EXPECT_EQ(netbus["port_range"].str(), "registered");
    EXPECT_EQ(netbus["service"].str(), "isis-am");
    EXPECT_EQ(netbus["known_as"].str(), "netbus");
    EXPECT_EQ(netbus["registry_status"].str(), "assigned");
    EXPECT_DOUBLE_EQ(netbus["prevalence"].num(), 0.000012);
    EXPECT_DOUBLE_EQ(netbus["rarity"].num(), 9.7);
    ASSERT_EQ(netbus["labels"].arr().size(), 2u);
    EXPECT_EQ(netbus["labels"].arr()[0].str(), "ghost");
    EXPECT_EQ(netbus["labels"].arr()[1].str(), "unauthorized-use-reported");
    EXPECT_DOUBLE_EQ(netbus["rtt_ms"].num(), 1.5);
    EXPECT_EQ(netbus["scanned_at"].str(), "2026-11-22T10:00:01.250Z");

    EXPECT_EQ(lines[1]["host"].str(), "2001:db8::7");
    EXPECT_EQ(lines[1]["hostname"].str(), "");
    EXPECT_EQ(lines[1]["known_as"].str(), "");
    EXPECT_EQ(lines[2]["labels"].arr().size(), 0u);  // http-alt has no labels
    EXPECT_EQ(lines[3]["port"].num(), 22);

    // The exact text of one line, as a contract.
    const std::string first_line = raw.substr(0, raw.find('\n'));
    EXPECT_EQ(
        first_line,
        R"({"record":"port","host":"198.18.0.5","hostname":"nas.lan","port":1642,"proto":"tcp","state":"open",)"
        R"("reason":"syn-ack","port_range":"registered","service":"isis-am","description":"isis-am",)"
        R"("known_as":"netbus","registry_status":"assigned","prevalence":1.2e-05,"rarity":9.7,)"
        R"("labels":["ghost","unauthorized-use-reported"],"rtt_ms":1.500,"scanned_at":"2026-11-22T10:00:01.250Z",)"
        R"("detected_service":"","product":"","version":"","extra_info":"","tls":"","cert_subject":"",)"
        R"("cert_san":"","cert_issuer":"","cert_not_after":"","fingerprint":"","cpe":"","banner":"",)"
        R"("hosts_open":0})");
}

TEST(JsonSink, ServiceFieldsAndConversationsOfAServiceScan) {
    Report report = sample_report();
    report.meta.service_scan = true;
    ghostport::core::ServiceInfo& ssh = report.rows[0].service;  // 198.18.0.5:22
    ssh.name = "ssh";
    ssh.product = "OpenSSH";
    ssh.version = "9.2p1 \"Debian\"\x1b[2J";
    ssh.extra_info = "protocol 2.0";
    ssh.cpe = "cpe:/a:openbsd:openssh:9.2p1";
    ssh.fingerprint = "ssh-ed25519 SHA256:abc";
    ssh.banner = "SSH-2.0-OpenSSH_9.2p1\\r\\n";
    ssh.conversations = 2;
    const auto lines = json_lines(report);
    ASSERT_EQ(lines.size(), 5u);
    const Json& row = lines[3];
    ASSERT_EQ(row["port"].num(), 22);
    EXPECT_EQ(row["detected_service"].str(), "ssh");
    EXPECT_EQ(row["product"].str(), "OpenSSH");
    EXPECT_EQ(row["version"].str(), "9.2p1 \"Debian\"\x1b[2J");
    EXPECT_EQ(row["extra_info"].str(), "protocol 2.0");
    EXPECT_EQ(row["cpe"].str(), "cpe:/a:openbsd:openssh:9.2p1");
    EXPECT_EQ(row["fingerprint"].str(), "ssh-ed25519 SHA256:abc");
    EXPECT_EQ(row["banner"].str(), "SSH-2.0-OpenSSH_9.2p1\\r\\n");
    EXPECT_EQ(row["tls"].str(), "");
    EXPECT_EQ(row["conversations"].num(), 2);
    EXPECT_EQ(lines[0]["conversations"].num(), 0);  // not identified, still counted
    EXPECT_TRUE(lines.back()["service_scan"].boolean());

    report.meta.service_scan = false;  // without -sV: no conversations key
    const auto plain = json_lines(report);
    EXPECT_EQ(plain[3].keys().back(), "hosts_open");
    EXPECT_FALSE(plain.back()["service_scan"].boolean());
}

TEST(JsonSink, SummaryHoldsEveryMetaField) {
    Report report = sample_report();
    report.meta.partial = true;
    report.meta.registry_stale = true;
    report.meta.command_line = "ghostport \"198.18.0.5\" --note 'tab\there'";
    const auto lines = json_lines(report);
    ASSERT_EQ(lines.size(), 5u);
    const Json& s = lines.back();
    EXPECT_EQ(s.keys(), (std::vector<std::string>{"record",
                                                  "command_line",
                                                  "started_at",
                                                  "finished_at",
                                                  "engine",
                                                  "seed",
                                                  "shard",
                                                  "registry_source",
                                                  "registry_snapshot",
                                                  "registry_fill",
                                                  "registry_fill_ports",
                                                  "registry_stale",
                                                  "prevalence_source",
                                                  "hosts_targeted",
                                                  "hosts_up",
                                                  "ports_per_host",
                                                  "probes_planned",
                                                  "probes_done",
                                                  "open",
                                                  "closed",
                                                  "filtered",
                                                  "open_filtered",
                                                  "ghosts",
                                                  "partial",
                                                  "service_scan",
                                                  "ports_scanned",
                                                  "udp_ports_scanned",
                                                  "hosts_up_list"}));
    EXPECT_EQ(s["record"].str(), "summary");
    EXPECT_EQ(s["command_line"].str(), report.meta.command_line);
    EXPECT_EQ(s["started_at"].str(), "2026-11-22T10:00:00.000Z");
    EXPECT_EQ(s["finished_at"].str(), "2026-11-22T10:00:12.345Z");
    EXPECT_EQ(s["engine"].str(), "connect");
    EXPECT_EQ(s["registry_source"].str(), "/usr/share/ghostport/service-names-port-numbers.csv");
    EXPECT_EQ(s["registry_snapshot"].str(), "2026-10-01");
    EXPECT_TRUE(s["registry_stale"].boolean());
    EXPECT_EQ(s["prevalence_source"].str(), "/usr/share/ghostport/prevalence.csv");
    EXPECT_EQ(s["hosts_targeted"].num(), 17);
    EXPECT_EQ(s["hosts_up"].num(), 3);
    EXPECT_EQ(s["ports_per_host"].num(), 65535);
    EXPECT_EQ(s["probes_planned"].num(), 17 * 65535);
    EXPECT_EQ(s["probes_done"].num(), 17 * 65535);
    EXPECT_EQ(s["open"].num(), 4);
    EXPECT_EQ(s["closed"].num(), 131066);
    EXPECT_EQ(s["filtered"].num(), 982961);
    EXPECT_EQ(s["ghosts"].num(), 2);
    EXPECT_TRUE(s["partial"].boolean());
    EXPECT_FALSE(s["service_scan"].boolean());
    EXPECT_EQ(s["ports_scanned"].str(), "");
    EXPECT_TRUE(s["hosts_up_list"].arr().empty());
}

TEST(JsonSink, EmptyReportIsOnlyTheSummary) {
    Report report;
    const auto lines = json_lines(report);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0]["record"].str(), "summary");
    EXPECT_EQ(lines[0]["ghosts"].num(), 0);
    EXPECT_EQ(lines[0]["prevalence_source"].str(), "");
    EXPECT_FALSE(lines[0]["partial"].boolean());
}

TEST(JsonSink, NonFiniteNumbersAreNullAndHostileTextStaysOnOneLine) {
    Report report;
    auto row = make_row("192.0.2.1", 80, std::numeric_limits<double>::quiet_NaN(), 0, "x\ny", "h\x1b\xFF");
    row.label.prevalence = std::numeric_limits<double>::infinity();
    row.label.description = "line1\r\nline2\u2028";
    report.rows = {row};
    std::string raw;
    const auto lines = json_lines(report, &raw);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(lines[0]["rarity"].v));
    EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(lines[0]["prevalence"].v));
    EXPECT_EQ(lines[0]["service"].str(), "x\ny");
    EXPECT_EQ(lines[0]["hostname"].str(), "h\x1b" + fffd);
    EXPECT_EQ(lines[0]["description"].str(), "line1\r\nline2\u2028");
}
