// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/html_sink.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <thread>

#include "output/utf8.hpp"
#include "sample_report.hpp"
#include "tests/skip.hpp"

extern char** environ;

using ghostport::core::Change;
using ghostport::core::Report;
using ghostport::core::ReportRow;
using ghostport::output::write_html;
using ghostport::output::detail::html_escape;
using namespace ghostport::output::test;
namespace core = ghostport::core;
namespace fs = std::filesystem;

namespace {

const std::string fffd = "\xEF\xBF\xBD";

std::string html_of(const Report& report) {
    std::ostringstream out;
    write_html(out, report);
    return out.str();
}

std::size_t count_of(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1))
        ++n;
    return n;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// The text of the element that starts at the first occurrence of `open` up to the next `close`.
std::string_view slice(std::string_view html, std::string_view open, std::string_view close) {
    const std::size_t start = html.find(open);
    if (start == std::string_view::npos) return {};
    const std::size_t end = html.find(close, start);
    return html.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// A test-only strict reader of the markup the sink writes: every tag is one of the known elements, properly
// nested; attribute values are double-quoted; <style> is raw text. Because every '<' in the page must open
// one of these tags, any markup injected through report strings fails the check. Returns "" when the page
// passes, else what is wrong.
std::string check_markup(std::string_view html, std::vector<std::string>* section_ids = nullptr) {
    static const std::set<std::string, std::less<>> elements{
        "html",   "head",  "meta",  "title", "style", "body",   "section", "h1",      "h2",   "h3", "p",
        "div",    "table", "thead", "tbody", "tr",    "th",     "td",      "code",    "span", "ul", "li",
        "strong", "svg",   "rect",  "line",  "text",  "footer", "details", "summary", "dl",   "dt", "dd"};
    static const std::set<std::string, std::less<>> void_elements{"meta"};
    static const std::set<std::string, std::less<>> allowed_attributes{
        "lang",   "charset", "http-equiv", "content",         "name",        "id", "class", "width",
        "height", "viewbox", "role",       "aria-labelledby", "x",           "y",  "x1",    "y1",
        "x2",     "y2",      "fill",       "text-anchor",     "fill-opacity"};
    constexpr std::string_view doctype = "<!DOCTYPE html>\n";
    if (html.substr(0, doctype.size()) != doctype) return "no doctype";
    std::vector<std::string> open;
    std::size_t i = doctype.size();
    while (true) {
        const std::size_t lt = html.find('<', i);
        const std::string_view text = html.substr(i, lt == std::string_view::npos ? html.size() - i : lt - i);
        if (text.find('>') != std::string_view::npos) return "a raw '>' in text: " + std::string(text);
        if (text.find('"') != std::string_view::npos) return "a raw '\"' in text: " + std::string(text);
        if (lt == std::string_view::npos) break;
        i = lt + 1;
        const bool closing = i < html.size() && html[i] == '/';
        if (closing) ++i;
        std::size_t name_end = i;
        while (name_end < html.size() && std::isalnum(static_cast<unsigned char>(html[name_end]))) ++name_end;
        const std::string name = lower(html.substr(i, name_end - i));
        if (!elements.count(name)) return "unknown element <" + std::string(html.substr(lt, 40));
        i = name_end;
        if (closing) {
            if (i >= html.size() || html[i] != '>') return "bad closing tag " + name;
            ++i;
            if (open.empty() || open.back() != name)
                return "</" + name + "> closes <" + (open.empty() ? "" : open.back()) + ">";
            open.pop_back();
            continue;
        }
        bool self_closed = false;
        std::string id;
        while (true) {
            while (i < html.size() && html[i] == ' ') ++i;
            if (i >= html.size()) return "unterminated tag " + name;
            if (html[i] == '>') {
                ++i;
                break;
            }
            if (html.substr(i, 2) == "/>") {
                i += 2;
                self_closed = true;
                break;
            }
            std::size_t attr_end = i;
            while (attr_end < html.size() &&
                   (std::isalnum(static_cast<unsigned char>(html[attr_end])) || html[attr_end] == '-'))
                ++attr_end;
            const std::string attr = lower(html.substr(i, attr_end - i));
            if (!allowed_attributes.count(attr)) return "attribute \"" + attr + "\" on <" + name + ">";
            if (html.substr(attr_end, 2) != "=\"") return "unquoted attribute " + attr;
            const std::size_t value_end = html.find('"', attr_end + 2);
            if (value_end == std::string_view::npos) return "unterminated attribute " + attr;
            const std::string_view value = html.substr(attr_end + 2, value_end - attr_end - 2);
            if (value.find('<') != std::string_view::npos || value.find('>') != std::string_view::npos)
                return "a raw '<' or '>' in attribute " + attr;
            if (attr == "id") id = value;
            i = value_end + 1;
        }
        if (name == "section" && section_ids) section_ids->push_back(id);
        if (name == "style") {
            const std::size_t end = html.find("</style>", i);
            if (end == std::string_view::npos) return "unterminated <style>";
            if (html.substr(i, end - i).find('<') != std::string_view::npos)
                return "a '<' in the style sheet";
            i = end + 8;
            continue;
        }
        if (!self_closed && !void_elements.count(name)) open.push_back(name);
    }
    if (!open.empty()) return "unclosed <" + open.back() + ">";
    return "";
}

// The whole page is well-formed UTF-8 with no control character but the newline.
std::string check_text(std::string_view html) {
    for (std::size_t pos = 0; pos < html.size();) {
        const auto step = ghostport::output::detail::decode_utf8(html, pos);
        if (!step.valid) return "invalid UTF-8 at byte " + std::to_string(pos);
        const char32_t cp = step.code_point;
        if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F))
            return "control character at byte " + std::to_string(pos);
        pos += step.length;
    }
    return "";
}

// The sample report compared with a baseline: netbus is new, http changed, ssh unchanged, the dynamic ghost
// new but allowlisted, and a listener on 198.18.0.9:443 gone.
Report sample_with_baseline() {
    Report report = sample_report();
    core::ReportMeta& m = report.meta;
    m.baseline_source = "/var/lib/audit/last-week.csv";
    m.baseline_started_at = at(9, 0, 0, 0);
    for (ReportRow& row : report.rows) {
        switch (row.result.port) {
            case 1642:
                row.change = Change::added;
                row.change_detail = "was closed";
                break;
            case 8080:
                row.change = Change::changed;
                row.change_detail = "service http -> http-alt";
                break;
            case 22:
                row.change = Change::unchanged;
                break;
            case 49160:
                row.change = Change::added;
                row.change_detail = "was filtered";
                row.label.labels |= core::label_expected;
                row.expect_note = "backup agent, ticket SEC-42";
                break;
        }
    }
    ReportRow gone = make_row("198.18.0.9", 443, 0.8, core::label_privileged, "https");
    gone.result.state = core::PortState::closed;
    gone.result.reason = core::Reason::rst;
    gone.change = Change::gone;
    gone.change_detail = "now closed";
    report.rows.push_back(gone);
    m.added = 2;
    m.gone = 1;
    m.changed = 1;
    m.unchanged = 1;
    m.expected = 1;
    return report;
}

}  // namespace

TEST(HtmlSink, EscapesGoldenStrings) {
    EXPECT_EQ(html_escape(""), "");
    EXPECT_EQ(html_escape("plain text"), "plain text");
    EXPECT_EQ(html_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");
    EXPECT_EQ(html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    EXPECT_EQ(html_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
              "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(HtmlSink, ReplacesControlsInvalidUtf8AndBidiOverrides) {
    EXPECT_EQ(html_escape("tab\tnl\ncr\r"), "tab" + fffd + "nl" + fffd + "cr" + fffd);
    EXPECT_EQ(html_escape(std::string("nul\0x", 5)), "nul" + fffd + "x");
    EXPECT_EQ(html_escape("\x1b[31m\x7f"), fffd + "[31m" + fffd);
    EXPECT_EQ(html_escape("\xC2\x85"), fffd);  // NEL, a C1 control
    EXPECT_EQ(html_escape("a\xFFz"), "a" + fffd + "z");
    EXPECT_EQ(html_escape("\xC0\xAF"), fffd + fffd);
    EXPECT_EQ(html_escape("cut \xE2\x82"), "cut " + fffd);
    EXPECT_EQ(html_escape("\xE2\x82<"), fffd + "&lt;");
    EXPECT_EQ(html_escape("evil\xE2\x80\xAEgpj.exe"), "evil" + fffd + "gpj.exe");  // U+202E RLO
    EXPECT_EQ(html_escape("\xEF\xBF\xBE"), fffd);                                  // U+FFFE
}

TEST(HtmlSink, DocumentIsWellFormedWithItsSectionsInOrder) {
    const std::string html = html_of(sample_report());
    std::vector<std::string> sections;
    EXPECT_EQ(check_markup(html, &sections), "");
    EXPECT_EQ(check_text(html), "");
    EXPECT_EQ(sections, (std::vector<std::string>{"summary", "ghosts", "rows", "ranges", "rarity"}));
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(html.find("<title>ghostport report: 2 ghosts, scan started 2026-11-22T10:00:00.000Z</title>"),
              std::string::npos);
    EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");

    // The ghost table: the two ghosts, rarest first.
    const std::string_view ghosts = slice(html, "<table id=\"ghost-table\">", "</table>");
    ASSERT_FALSE(ghosts.empty());
    EXPECT_EQ(count_of(ghosts, "<tr class=\"ghost\">"), 2u);
    EXPECT_LT(ghosts.find("1642/tcp"), ghosts.find("49160/tcp"));
    EXPECT_NE(ghosts.find("<td>isis-am (aka netbus)</td>"), std::string_view::npos);
    EXPECT_NE(ghosts.find("<td class=\"num\">9.7</td>"), std::string_view::npos);
    EXPECT_NE(ghosts.find("<span class=\"tag tag-ghost\">ghost</span>"), std::string_view::npos);
    EXPECT_EQ(ghosts.find("8080/tcp"), std::string_view::npos);

    // Every row, in sort_rows order.
    const std::string_view rows = slice(html, "<table id=\"row-table\">", "</table>");
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(count_of(rows, "<tr"), 5u);  // the header and four rows
    const std::size_t p1642 = rows.find(">1642/tcp<"), p49160 = rows.find(">49160/tcp<"),
                      p8080 = rows.find(">8080/tcp<"), p22 = rows.find(">22/tcp<");
    ASSERT_NE(p22, std::string_view::npos);
    EXPECT_LT(p1642, p49160);
    EXPECT_LT(p49160, p8080);
    EXPECT_LT(p8080, p22);
    EXPECT_NE(rows.find("<td>The Secure Shell (SSH) Protocol</td>"), std::string_view::npos);
    EXPECT_NE(rows.find("<td class=\"num\">0.412</td>"), std::string_view::npos);
    EXPECT_EQ(rows.find("<th>Change</th>"), std::string_view::npos);  // no baseline
}

TEST(HtmlSink, SummaryDescribesTheScan) {
    const std::string html = html_of(sample_report());
    const std::string_view summary = slice(html, "<section id=\"summary\">", "</section>");
    EXPECT_NE(summary.find("<code>ghostport -p- 198.18.0.0/28 2001:db8::7</code>"), std::string_view::npos);
    EXPECT_NE(summary.find("<th>Started</th><td>2026-11-22T10:00:00.000Z</td>"), std::string_view::npos);
    EXPECT_NE(summary.find("<th>Finished</th><td>2026-11-22T10:00:12.345Z</td>"), std::string_view::npos);
    EXPECT_NE(summary.find("<th>Duration</th><td>12.35 s</td>"), std::string_view::npos);
    EXPECT_NE(summary.find("<th>Engine</th><td>connect (seed 0)</td>"), std::string_view::npos);
    EXPECT_NE(summary.find("<th>Hosts</th><td>3 up of 17 targeted</td>"), std::string_view::npos);
    EXPECT_NE(summary.find("<th>Ports per host</th><td>65,535</td>"), std::string_view::npos);
    EXPECT_NE(summary.find("<th>States</th><td>4 open, 131,066 closed, 982,961 filtered</td>"),
              std::string_view::npos);
    EXPECT_NE(summary.find("<th>Ghosts</th><td>2 (rows shown: 4)</td>"), std::string_view::npos);
    EXPECT_NE(summary.find(
                  "<code>/usr/share/ghostport/service-names-port-numbers.csv</code> (snapshot 2026-10-01)"),
              std::string_view::npos);
    EXPECT_NE(summary.find("<code>/usr/share/ghostport/prevalence.csv</code>"), std::string_view::npos);
    EXPECT_EQ(html.find("PARTIAL"), std::string::npos);
    EXPECT_EQ(html.find("id=\"stale\""), std::string::npos);
}

TEST(HtmlSink, PartialBannerAndStaleRegistryWarning) {
    Report report = sample_report();
    report.meta.partial = true;
    report.meta.probes_done = 500000;
    report.meta.registry_stale = true;
    report.meta.registry_snapshot = "2014-06-12";
    report.meta.prevalence_source.clear();
    const std::string html = html_of(report);
    EXPECT_EQ(check_markup(html), "");
    const std::string_view banner = slice(html, "<div class=\"banner partial\" id=\"partial\">", "</div>");
    EXPECT_NE(banner.find("PARTIAL: the scan was interrupted after 500,000 of 1,114,095 probes"),
              std::string_view::npos);
    EXPECT_LT(html.find("id=\"partial\""), html.find("<h2>Scan summary</h2>"));  // at the top
    const std::string_view stale = slice(html, "<div class=\"banner warn\" id=\"stale\">", "</div>");
    EXPECT_NE(stale.find("(2014-06-12) is older than a year"), std::string_view::npos);
    EXPECT_NE(html.find("<th>Prevalence</th><td>none: rarity unknown; install nmap-common or pass "
                        "--prevalence FILE</td>"),
              std::string::npos);
}

TEST(HtmlSink, HostileReportStringsAreEscaped) {
    Report report = sample_report();
    report.meta.command_line = "ghostport scan '<!--' \"--><script>x()</script>\" \x1b]0;pwned\x07";
    report.meta.registry_source = "/tmp/\"><img src=x onerror=alert(1)>.csv";
    report.meta.engine = "connect</td></tr></table><h1>fake</h1>";
    report.meta.shard = "1/2\xFF";
    report.rows[0].hostname = "<script>alert(1)</script>";
    report.rows[1].hostname = "\"onmouseover=alert(1) x=\"";
    report.rows[2].label.description = "' onfocus='alert(2)' autofocus='";
    report.rows[3].label.service = "</td><td><style>*{display:none}</style>";
    report.rows[3].label.known_as =
        "a\xE2\x80\xAE"
        "b\r\nc";
    const std::string html = html_of(report);

    EXPECT_EQ(check_markup(html), "");
    EXPECT_EQ(check_text(html), "");
    EXPECT_EQ(count_of(html, "<script"), 0u);
    EXPECT_EQ(count_of(html, "<style"), 1u);  // the page's own
    EXPECT_EQ(count_of(html, "<img"), 0u);
    EXPECT_EQ(count_of(html, "<h1"), 1u);
    EXPECT_EQ(count_of(html, "\"onmouseover="), 0u);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("&quot;onmouseover=alert(1) x=&quot;"), std::string::npos);
    EXPECT_NE(html.find("&#39; onfocus=&#39;alert(2)&#39; autofocus=&#39;"), std::string::npos);
    EXPECT_NE(html.find("&lt;/td&gt;&lt;td&gt;&lt;style&gt;*{display:none}&lt;/style&gt;"),
              std::string::npos);
    EXPECT_NE(html.find("(aka a" + fffd + "b" + fffd + fffd + "c)"), std::string::npos);
    EXPECT_NE(html.find("&#39;&lt;!--&#39; &quot;--&gt;&lt;script&gt;x()&lt;/script&gt;&quot; " + fffd +
                        "]0;pwned" + fffd),
              std::string::npos);
    EXPECT_NE(html.find("/tmp/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.csv"), std::string::npos);
    EXPECT_NE(html.find("shard 1/2" + fffd), std::string::npos);
}

TEST(HtmlSink, NothingExternalAndAStrictContentSecurityPolicy) {
    for (const Report& report : {sample_report(), sample_with_baseline(), Report{}}) {
        const std::string html = lower(html_of(report));
        EXPECT_NE(html.find("<meta http-equiv=\"content-security-policy\" content=\"default-src 'none'; "
                            "style-src 'unsafe-inline'; img-src data:;"),
                  std::string::npos);
        for (std::string_view banned :
             {"://",     "http:",   "https:", "ftp:",   "file:",   "javascript:", "url(",
              "@import", "<script", "<link",  "<img",   "<iframe", "<object",     "<base",
              "href=",   "src=",    "xmlns",  "srcset", "<form",   "<a "})
            EXPECT_EQ(html.find(banned), std::string::npos) << banned;
    }
}

TEST(HtmlSink, ChartsAreInlineSvgCountingOpenRows) {
    const std::string html = html_of(sample_report());
    EXPECT_EQ(count_of(html, "<svg "), 2u);
    const std::string_view ranges = slice(html, "<svg id=\"range-chart\"", "</svg>");
    ASSERT_FALSE(ranges.empty());
    EXPECT_EQ(count_of(ranges, "<rect "), 3u);
    EXPECT_NE(ranges.find("<title>well-known (0\xE2\x80\x93"
                          "1023): 1</title>"),
              std::string_view::npos);
    EXPECT_NE(ranges.find("<title>registered (1024\xE2\x80\x93"
                          "49151): 2</title>"),
              std::string_view::npos);
    EXPECT_NE(ranges.find("<title>dynamic (49152\xE2\x80\x93"
                          "65535): 1</title>"),
              std::string_view::npos);

    const std::string_view rarity = slice(html, "<svg id=\"rarity-chart\"", "</svg>");
    ASSERT_FALSE(rarity.empty());
    EXPECT_EQ(count_of(rarity, "<rect "), 10u);
    for (const char* bin : {"0\xE2\x80\x93"
                            "1: 1",
                            "2\xE2\x80\x93"
                            "3: 1",
                            "8\xE2\x80\x93"
                            "9: 1",
                            "9\xE2\x80\x93"
                            "10: 1",
                            "1\xE2\x80\x93"
                            "2: 0",
                            "5\xE2\x80\x93"
                            "6: 0"})
        EXPECT_NE(rarity.find(std::string("<title>") + bin + "</title>"), std::string_view::npos) << bin;
}

TEST(HtmlSink, RarityBinsFollowThePrintedValueAndSkipWhatIsNotOpen) {
    Report report;
    report.rows = {make_row("192.0.2.1", 1, 10.0),
                   make_row("192.0.2.1", 2, 9.96),
                   make_row("192.0.2.1", 3, 0.96),
                   make_row("192.0.2.1", 4, -1.0),
                   make_row("192.0.2.1", 5, std::numeric_limits<double>::quiet_NaN()),
                   make_row("192.0.2.1", 6, 5.0)};
    report.rows[5].result.state = core::PortState::closed;
    const std::string html = html_of(report);
    EXPECT_EQ(check_markup(html), "");
    const std::string_view rarity = slice(html, "<svg id=\"rarity-chart\"", "</svg>");
    EXPECT_NE(rarity.find("<title>9\xE2\x80\x93"
                          "10: 2</title>"),
              std::string_view::npos);  // 10.0 and 9.96
    EXPECT_NE(rarity.find("<title>1\xE2\x80\x93"
                          "2: 1</title>"),
              std::string_view::npos);  // 0.96 prints 1.0
    EXPECT_NE(rarity.find("<title>0\xE2\x80\x93"
                          "1: 1</title>"),
              std::string_view::npos);  // -1 is clamped
    EXPECT_NE(rarity.find("<title>5\xE2\x80\x93"
                          "6: 0</title>"),
              std::string_view::npos);  // closed
    EXPECT_NE(html.find("1 open row without a finite rarity not counted."), std::string::npos);
    const std::string_view ranges = slice(html, "<svg id=\"range-chart\"", "</svg>");
    EXPECT_NE(ranges.find("<title>well-known (0\xE2\x80\x93"
                          "1023): 5</title>"),
              std::string_view::npos);
}

TEST(HtmlSink, DiffSectionOnlyWithABaseline) {
    EXPECT_EQ(html_of(sample_report()).find("id=\"diff\""), std::string::npos);

    const std::string html = html_of(sample_with_baseline());
    std::vector<std::string> sections;
    EXPECT_EQ(check_markup(html, &sections), "");
    EXPECT_EQ(sections, (std::vector<std::string>{"summary", "diff", "ghosts", "rows", "ranges", "rarity"}));
    const std::string_view diff = slice(html, "<section id=\"diff\">", "</section>");
    EXPECT_NE(diff.find("<code>/var/lib/audit/last-week.csv</code>, scan started 2026-11-22T09:00:00.000Z"),
              std::string_view::npos);
    for (const char* card : {"<li id=\"count-new\"><strong>2</strong>new</li>",
                             "<li id=\"count-gone\"><strong>1</strong>gone</li>",
                             "<li id=\"count-changed\"><strong>1</strong>changed</li>",
                             "<li id=\"count-unchanged\"><strong>1</strong>unchanged</li>",
                             "<li id=\"count-expected\"><strong>1</strong>expected</li>"})
        EXPECT_NE(diff.find(card), std::string_view::npos) << card;

    const std::string_view added = slice(diff, "<table id=\"diff-new\">", "</table>");
    EXPECT_EQ(count_of(added, "<tr"), 2u);
    EXPECT_NE(added.find(">1642/tcp<"), std::string_view::npos);
    EXPECT_NE(added.find("<td>was closed</td>"), std::string_view::npos);
    EXPECT_EQ(added.find("49160"), std::string_view::npos);  // expected: listed apart

    const std::string_view gone = slice(diff, "<table id=\"diff-gone\">", "</table>");
    EXPECT_NE(gone.find(">443/tcp<"), std::string_view::npos);
    EXPECT_NE(gone.find("<td>closed <span class=\"why\">(rst)</span></td>"), std::string_view::npos);
    EXPECT_NE(gone.find("<td>now closed</td>"), std::string_view::npos);

    const std::string_view changed = slice(diff, "<table id=\"diff-changed\">", "</table>");
    EXPECT_NE(changed.find("<td>service http -&gt; http-alt</td>"), std::string_view::npos);

    const std::string_view expected = slice(diff, "<table id=\"diff-expected\">", "</table>");
    EXPECT_EQ(count_of(expected, "<tr"), 2u);
    EXPECT_NE(expected.find(">49160/tcp<"), std::string_view::npos);
    EXPECT_NE(expected.find("<td>backup agent, ticket SEC-42</td>"), std::string_view::npos);

    const std::string_view rows = slice(html, "<table id=\"row-table\">", "</table>");
    EXPECT_NE(rows.find("<th>Change</th>"), std::string_view::npos);
    EXPECT_NE(rows.find("<td class=\"change\">new</td>"), std::string_view::npos);
    EXPECT_NE(rows.find("<th>Expect note</th>"), std::string_view::npos);
}

TEST(HtmlSink, DiffWithNothingChangedSaysSo) {
    Report report = sample_report();
    report.meta.baseline_source = "base.csv";
    const std::string html = html_of(report);
    EXPECT_EQ(check_markup(html), "");
    EXPECT_NE(html.find("No new listeners."), std::string::npos);
    EXPECT_NE(html.find("No listener has gone."), std::string::npos);
    EXPECT_NE(html.find("No listener has changed."), std::string::npos);
    EXPECT_NE(html.find("scan started unknown"), std::string::npos);
}

TEST(HtmlSink, EmptyReportStillRenders) {
    const std::string html = html_of(Report{});
    std::vector<std::string> sections;
    EXPECT_EQ(check_markup(html, &sections), "");
    EXPECT_EQ(check_text(html), "");
    EXPECT_EQ(sections, (std::vector<std::string>{"summary", "ghosts", "rows", "ranges", "rarity"}));
    EXPECT_NE(html.find("<h2>Ghosts (0)</h2>"), std::string::npos);
    EXPECT_NE(html.find("No ghosts"), std::string::npos);
    EXPECT_NE(html.find("No ports to show."), std::string::npos);
    EXPECT_EQ(html.find("<table id=\"row-table\">"), std::string::npos);
    EXPECT_EQ(count_of(html, "<svg "), 2u);
    EXPECT_EQ(count_of(html, ">no open ports</text>"), 2u);
    EXPECT_NE(html.find("<th>Started</th><td>unknown</td>"), std::string::npos);
    EXPECT_NE(html.find("<th>Registry</th><td><code>none</code> (snapshot unknown)</td>"), std::string::npos);
}

// ---- the page in a real browser ----

namespace {

struct ProcessRun {
    bool started = false;
    bool timed_out = false;
    int status = -1;  // the wait status
    double seconds = 0;
};

// Runs argv in a process group of its own with stdout and stderr to files; on timeout kills the whole group
// (the browser's helper processes too).
ProcessRun run_bounded(const std::vector<std::string>& argv, const fs::path& stdout_path,
                       const fs::path& stderr_path, std::chrono::seconds limit) {
    ProcessRun run;
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return run;
    run.started = true;
    while (true) {
        const pid_t done = waitpid(pid, &run.status, WNOHANG);
        if (done == pid) break;
        if (std::chrono::steady_clock::now() - start > limit) {
            run.timed_out = true;
            kill(-pid, SIGKILL);
            waitpid(pid, &run.status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(-pid, SIGKILL);  // any helper left behind in the group (the group id stays reserved while used)
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return run;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string tail(const std::string& text, std::size_t n = 2000) {
    return text.size() <= n ? text : text.substr(text.size() - n);
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ghostport-html-XXXXXX").string();
        if (mkdtemp(pattern.data())) path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) fs::remove_all(path, ec);
    }
};

constexpr const char* chromium_path = "/usr/bin/chromium";

std::vector<std::string> chromium_command(const fs::path& profile, const std::string& mode,
                                          const fs::path& page) {
    return {chromium_path,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile.string(),
            mode,
            "--window-size=1280,2000",
            "file://" + page.string()};
}

}  // namespace

TEST(HtmlSinkChromium, RendersAScreenshotAndParsesTheGhostTable) {
    if (access(chromium_path, X_OK) != 0)
        GP_SKIP(std::string(chromium_path) +
                " is missing (apt-get install chromium): the page was not rendered");
    TempDir dir;
    ASSERT_FALSE(dir.path.empty()) << "mkdtemp failed";
    const fs::path page = dir.path / "report.html";
    {
        std::ofstream out(page, std::ios::binary);
        write_html(out, sample_report());
        ASSERT_TRUE(out.good());
    }
    constexpr auto limit = std::chrono::seconds(60);

    const fs::path shot = dir.path / "shot.png";
    const ProcessRun screenshot =
        run_bounded(chromium_command(dir.path / "profile-shot", "--screenshot=" + shot.string(), page),
                    dir.path / "shot.out", dir.path / "shot.err", limit);
    ASSERT_TRUE(screenshot.started) << "cannot start " << chromium_path;
    std::cout << "[ chromium ] --screenshot took " << screenshot.seconds << " s\n";
    ASSERT_FALSE(screenshot.timed_out)
        << "chromium --screenshot ran over " << limit.count() << " s and was killed";
    ASSERT_TRUE(WIFEXITED(screenshot.status) && WEXITSTATUS(screenshot.status) == 0)
        << "chromium --screenshot failed (wait status " << screenshot.status << "):\n"
        << tail(read_file(dir.path / "shot.err"));
    ASSERT_TRUE(fs::exists(shot)) << tail(read_file(dir.path / "shot.err"));
    const std::string png = read_file(shot);
    ASSERT_GE(png.size(), 24u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    const auto be32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(png[at + k]);
        return v;
    };
    EXPECT_EQ(be32(16), 1280u);
    EXPECT_EQ(be32(20), 2000u);
    // A blank 1280x2000 page compresses to a few kilobytes; text, tables and charts do not.
    EXPECT_GT(png.size(), 30000u);

    const ProcessRun dom = run_bounded(chromium_command(dir.path / "profile-dom", "--dump-dom", page),
                                       dir.path / "dom.html", dir.path / "dom.err", limit);
    ASSERT_TRUE(dom.started);
    std::cout << "[ chromium ] --dump-dom took " << dom.seconds << " s\n";
    ASSERT_FALSE(dom.timed_out) << "chromium --dump-dom ran over " << limit.count() << " s and was killed";
    ASSERT_TRUE(WIFEXITED(dom.status) && WEXITSTATUS(dom.status) == 0)
        << "chromium --dump-dom failed:\n"
        << tail(read_file(dir.path / "dom.err"));
    const std::string parsed = read_file(dir.path / "dom.html");
    const std::string_view ghosts = slice(parsed, "<table id=\"ghost-table\">", "</table>");
    ASSERT_FALSE(ghosts.empty()) << "no ghost table in the DOM:\n" << tail(parsed);
    EXPECT_EQ(count_of(ghosts, "<tr class=\"ghost\">"), 2u);
    EXPECT_NE(ghosts.find("<td class=\"mono\">1642/tcp</td>"), std::string_view::npos);
    EXPECT_NE(ghosts.find("<td class=\"mono\">49160/tcp</td>"), std::string_view::npos);
    EXPECT_NE(ghosts.find("<td>isis-am (aka netbus)</td>"), std::string_view::npos);
    EXPECT_EQ(count_of(parsed, "<svg "), 2u);
    EXPECT_EQ(count_of(parsed, "<rect "), 13u);
}

TEST(HtmlSink, DetectedColumnAndServiceDetailsOnlyWithServiceScan) {
    Report plain = service_report();
    plain.meta.service_scan = false;
    const std::string without = html_of(plain);
    EXPECT_EQ(count_of(without, "<th>Detected</th>"), 0u);
    EXPECT_EQ(count_of(without, "<details>"), 0u);

    const std::string html = html_of(service_report());
    EXPECT_EQ(check_markup(html), "");
    EXPECT_EQ(check_text(html), "");
    // In the ghost table and the table of every row, after Service.
    EXPECT_EQ(count_of(html, "<th>Service</th><th>Detected</th>"), 2u);
    const std::string rows = std::string(slice(html, "<table id=\"row-table\"", "</table>"));
    EXPECT_NE(rows.find("<td>ssh OpenSSH 9.2p1 Debian 2+deb12u3<details>"), std::string::npos) << rows;
    EXPECT_NE(rows.find("<td>ssl/http nginx 1.22.1<details>"), std::string::npos) << rows;
    EXPECT_NE(rows.find("<td>-</td>"), std::string::npos) << "not identified";
    EXPECT_NE(rows.find("<dt>Certificate subject</dt><dd><code>CN=lab.test,O=ghostport</code></dd>"),
              std::string::npos);
    EXPECT_NE(rows.find("<dt>Certificate issuer</dt><dd><code>CN=lab.test,O=ghostport</code></dd>"),
              std::string::npos);
    EXPECT_NE(rows.find("<dt>Not after</dt><dd><code>2027-01-01T00:00:00Z</code></dd>"), std::string::npos);
    EXPECT_NE(rows.find("<dt>Fingerprint</dt><dd><code>sha256:aaaa"), std::string::npos);
    EXPECT_NE(rows.find("<dt>Banner</dt><dd><code>SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\\r\\n</code></dd>"),
              std::string::npos);
    EXPECT_NE(rows.find("<span class=\"tag tag-borrowed\">borrowed</span>"
                        "<span class=\"tag tag-self-signed\">self-signed</span>"),
              std::string::npos);
}

TEST(HtmlSink, HostileServiceStringsAreEscaped) {
    Report report = service_report();
    for (ReportRow& row : report.rows) {
        if (row.result.port != 8080) continue;
        row.service.product = "</td><script>alert(1)</script>";
        row.service.version = std::string("1\0\x1b[2J\"'", 8);
        row.service.cert_subject = "CN=<img src=x onerror=alert(1)>";
        row.service.banner = "</code></dd></dl></details><h1>fake</h1>\r\n";
        row.service.cpe =
            "cpe:/a:\xE2\x80\xAE"
            "evil";
        row.label.labels |= core::label_cert_expired;
    }
    const std::string html = html_of(report);
    EXPECT_EQ(check_markup(html), "");
    EXPECT_EQ(check_text(html), "");
    EXPECT_EQ(count_of(html, "<script"), 0u);
    EXPECT_EQ(count_of(html, "<img"), 0u);
    EXPECT_EQ(count_of(html, "<h1"), 1u);
    EXPECT_NE(html.find("ssl/http &lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt; 1" + fffd + fffd +
                        "[2J&quot;&#39;<details>"),
              std::string::npos);
    EXPECT_NE(html.find("&lt;/code&gt;&lt;/dd&gt;&lt;/dl&gt;&lt;/details&gt;&lt;h1&gt;fake&lt;/h1&gt;" +
                        fffd + fffd),
              std::string::npos);
    EXPECT_NE(html.find("cpe:/a:" + fffd + "evil"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"tag tag-cert-expired\">cert-expired</span>"), std::string::npos);
}

TEST(HtmlSink, TheRegistryRowSaysWhenEtcServicesFilledPorts) {
    Report report = sample_report();
    report.meta.registry_fill = "/etc/<services>";
    report.meta.registry_fill_ports = 1;
    const std::string html = html_of(report);
    EXPECT_EQ(check_markup(html), "");
    EXPECT_NE(
        html.find("<code>/usr/share/ghostport/service-names-port-numbers.csv</code> (snapshot 2026-10-01) + "
                  "<code>/etc/&lt;services&gt;</code> for 1 port</td>"),
        std::string::npos);
}

// A port open on several hosts is one row whose host cell expands to the hosts.
TEST(HtmlSink, APortOpenOnSeveralHostsIsOneExpandableRow) {
    Report report;
    report.meta.hosts_up = 5;
    for (int h = 1; h <= 4; ++h) {
        auto row = make_row("198.18.0." + std::to_string(h), 1642, 9.5, core::label_ghost, "isis-am",
                            h == 2 ? "b<x>" : "");
        row.label.hosts_open = 4;
        report.rows.push_back(row);
    }
    const std::string html = html_of(report);
    const std::size_t rows = html.find("<table id=\"row-table\">");
    ASSERT_NE(rows, std::string::npos);
    const std::string table = html.substr(rows, html.find("</table>", rows) - rows);
    EXPECT_NE(
        table.find("<details><summary>open on 4 of 5 hosts</summary><ul><li><code>198.18.0.1</code></li>"
                   "<li><code>198.18.0.2</code> (b&lt;x&gt;)</li>"),
        std::string::npos)
        << table;
    EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 5) << "header, tbody, one row, closing lines";
}

// A UDP scan: open|filtered is counted apart in the summary, and a UDP row says its protocol and state.
TEST(HtmlSink, UdpRowsAndOpenFilteredCount) {
    auto report = sample_report();
    report.meta.open_filtered = 1200;
    auto udp = report.rows[0];
    udp.result.proto = ghostport::core::Proto::udp;
    udp.result.state = ghostport::core::PortState::open_filtered;
    udp.result.reason = ghostport::core::Reason::no_response;
    report.rows.push_back(udp);
    const std::string html = html_of(report);
    const std::string_view summary = slice(html, "<section id=\"summary\">", "</section>");
    EXPECT_NE(
        summary.find("<th>States</th><td>4 open, 131,066 closed, 982,961 filtered, 1,200 open|filtered</td>"),
        std::string_view::npos);
    EXPECT_NE(html.find("22/udp"), std::string::npos);
    EXPECT_NE(html.find("open|filtered <span class=\"why\">(no-response)</span>"), std::string::npos);
}
