// SPDX-License-Identifier: GPL-2.0-or-later
// Parser for ghostport's service-probe definitions (probes/tcp_services.txt; the format is documented at the
// top of that file). Line-oriented; every error is one core::InputError "FILE:LINE: what is wrong".
#include "probes/service_defs.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::probes {
namespace {

constexpr std::size_t max_file_bytes = 4u << 20;  // 4 MiB: far above any real definitions file
constexpr auto max_wait = std::chrono::milliseconds(60'000);
// The largest UDP payload IPv4 carries (65535 - 20 - 8): a datagram probe cannot be longer.
constexpr std::size_t max_datagram = 65'507;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// A name (probe or service): lowercase letters, digits, '-', '_', '.', starting with a letter or digit.
bool valid_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

// A short, printable excerpt of file text for an error message.
std::string excerpt(std::string_view s, std::size_t max = 40) {
    std::string out;
    for (const char c : s.substr(0, max)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f)
            out += c;
        else
            out += fmt::format("\\x{:02x}", u);
    }
    if (s.size() > max) out += "...";
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// One line being taken apart, token by token; `fail` throws with FILE:LINE.
class Cursor {
  public:
    Cursor(std::string_view line, std::string_view file, std::size_t line_no)
        : s_(line), file_(file), line_no_(line_no) {}

    // Throws the InputError for this line.
    [[noreturn]] void fail(std::string_view what) const {
        throw core::InputError(fmt::format("{}:{}: {}", file_, line_no_, what));
    }

    // Skips blanks; true when nothing but an optional comment is left.
    bool at_end() {
        while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
        return pos_ >= s_.size() || s_[pos_] == '#';
    }

    // The next blank-delimited word (empty at the end of the line or at a comment).
    std::string_view word() {
        if (at_end()) return {};
        const std::size_t start = pos_;
        while (pos_ < s_.size() && !is_space(s_[pos_])) ++pos_;
        return s_.substr(start, pos_ - start);
    }

    // The next word, which must exist: `what` names it in the error.
    std::string_view need_word(std::string_view what) {
        const auto w = word();
        if (w.empty()) fail(fmt::format("missing {}", what));
        return w;
    }

    // Fails when anything but a comment is left on the line.
    void expect_end() {
        if (!at_end()) fail(fmt::format("unexpected \"{}\"", excerpt(s_.substr(pos_))));
    }

    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

    // A double-quoted string starting at the cursor. `c_escapes`: \r \n \t \0 \\ \" \xHH (payloads);
    // otherwise only \\ and \" (templates).
    std::string quoted(bool c_escapes) {
        if (peek() != '"') fail("expected a double-quoted string");
        ++pos_;
        std::string out;
        while (true) {
            if (pos_ >= s_.size()) fail("unterminated string");
            const char c = s_[pos_++];
            if (c == '"') break;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) fail("unterminated string");
            const char e = s_[pos_++];
            if (e == '\\' || e == '"') {
                out += e;
            } else if (c_escapes && e == 'r') {
                out += '\r';
            } else if (c_escapes && e == 'n') {
                out += '\n';
            } else if (c_escapes && e == 't') {
                out += '\t';
            } else if (c_escapes && e == '0') {
                out += '\0';
            } else if (c_escapes && e == 'x') {
                const int hi = pos_ < s_.size() ? hex_value(s_[pos_]) : -1;
                const int lo = pos_ + 1 < s_.size() ? hex_value(s_[pos_ + 1]) : -1;
                if (hi < 0 || lo < 0) fail("bad escape: \\x needs two hex digits");
                out += static_cast<char>(hi * 16 + lo);
                pos_ += 2;
            } else {
                fail(fmt::format("bad escape \"\\{}\"", excerpt(std::string_view(&e, 1))));
            }
        }
        if (pos_ < s_.size() && !is_space(s_[pos_]))
            fail(fmt::format("unexpected \"{}\" after a string", excerpt(s_.substr(pos_))));
        return out;
    }

    // A /pattern/flags token: `\/` stands for '/', every other escape is PCRE2's and kept as written.
    void pattern(ServiceMatch& m) {
        if (peek() != '/') fail("expected a /pattern/");
        ++pos_;
        while (true) {
            if (pos_ >= s_.size()) fail("unterminated pattern");
            const char c = s_[pos_++];
            if (c == '/') break;
            if (c == '\\') {
                if (pos_ >= s_.size()) fail("unterminated pattern");
                const char e = s_[pos_++];
                if (e != '/') m.pattern += '\\';
                m.pattern += e;
                continue;
            }
            m.pattern += c;
        }
        if (m.pattern.empty()) fail("empty pattern");
        while (pos_ < s_.size() && !is_space(s_[pos_])) {
            const char f = s_[pos_++];
            if (f != 'i' && f != 's') fail(fmt::format("unknown flag \"{}\"", excerpt({&f, 1})));
            bool& flag = f == 'i' ? m.caseless : m.dotall;
            if (flag) fail(fmt::format("flag \"{}\" given twice", f));
            flag = true;
        }
    }

    // key="value" after a match's pattern; false at the end of the line.
    bool template_field(std::string_view& key, std::string& value) {
        if (at_end()) return false;
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] != '=' && !is_space(s_[pos_])) ++pos_;
        key = s_.substr(start, pos_ - start);
        if (peek() != '=') fail(fmt::format("expected key=\"value\", got \"{}\"", excerpt(key)));
        ++pos_;
        value = quoted(false);
        return true;
    }

  private:
    std::string_view s_;
    std::size_t pos_ = 0;
    std::string_view file_;
    std::size_t line_no_;
};

// A port number 1..65535, or nullopt.
std::optional<std::uint16_t> parse_port(std::string_view s) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

// "80,443,8000-8100" into inclusive ranges.
void parse_ports(Cursor& cur, std::string_view list, ServiceProbe& probe) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto item = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (comma != std::string_view::npos && list.empty()) cur.fail("bad port list: trailing comma");
        const auto dash = item.find('-');
        const auto lo = parse_port(item.substr(0, dash));
        const auto hi = dash == std::string_view::npos ? lo : parse_port(item.substr(dash + 1));
        if (!lo || !hi || *lo > *hi)
            cur.fail(fmt::format("bad port range \"{}\" (expected N or N-M within 1-65535)", excerpt(item)));
        probe.ports.emplace_back(*lo, *hi);
    }
}

// "250ms" or "5s", 1 ms .. 60 s.
std::chrono::milliseconds parse_wait(Cursor& cur, std::string_view s) {
    unsigned long v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    const std::string_view unit(end, static_cast<std::size_t>(s.data() + s.size() - end));
    std::chrono::milliseconds ms{0};
    if (ec == std::errc() && end != s.data() && v <= 60'000) {
        if (unit == "ms") ms = std::chrono::milliseconds(v);
        if (unit == "s") ms = std::chrono::seconds(v);
    }
    if (ms.count() <= 0 || ms > max_wait)
        cur.fail(fmt::format("bad wait \"{}\" (expected <N>ms or <N>s, at most 60s)", excerpt(s)));
    return ms;
}

void parse_match(Cursor& cur, bool soft, ServiceProbe& probe, std::size_t line_no) {
    ServiceMatch m;
    m.soft = soft;
    m.line = line_no;
    m.service = std::string(cur.need_word("service name"));
    if (!valid_name(m.service)) cur.fail(fmt::format("bad service name \"{}\"", excerpt(m.service)));
    if (cur.at_end()) cur.fail("missing /pattern/");
    cur.pattern(m);
    std::string_view key;
    std::string value;
    std::set<std::string_view> seen;
    while (cur.template_field(key, value)) {
        if (soft) cur.fail("softmatch takes no product/version/info/cpe");
        if (!seen.insert(key).second) cur.fail(fmt::format("{} given twice", excerpt(key)));
        if (key == "product")
            m.tmpl.product = value;
        else if (key == "version")
            m.tmpl.version = value;
        else if (key == "info")
            m.tmpl.info = value;
        else if (key == "cpe")
            m.tmpl.cpe = value;
        else
            cur.fail(fmt::format("unknown field \"{}\" (product, version, info, cpe)", excerpt(key)));
    }
    probe.matches.push_back(std::move(m));
}

const char* kind_name(ProbeKind k) {
    switch (k) {
        case ProbeKind::greeting:
            return "greeting";
        case ProbeKind::send:
            return "send";
        case ProbeKind::tls:
            return "tls";
        case ProbeKind::datagram:
            return "datagram";
    }
    return "?";
}

// The checks that need the whole probe: a send probe has a non-empty payload, a datagram probe a payload
// (which may be empty: the empty datagram) that fits its padding and one datagram.
void finish_probe(const ServiceProbe& p, bool has_payload, std::string_view file) {
    if (p.kind == ProbeKind::send && p.payload.empty())
        throw core::InputError(fmt::format("{}:{}: send probe \"{}\" has no payload", file, p.line, p.name));
    if (p.kind != ProbeKind::datagram) return;
    if (!has_payload)
        throw core::InputError(
            fmt::format("{}:{}: datagram probe \"{}\" has no payload (payload \"\" sends an empty datagram)",
                        file, p.line, p.name));
    if (p.pad != 0 && p.pad < p.payload.size())
        throw core::InputError(
            fmt::format("{}:{}: datagram probe \"{}\": pad {} is shorter than its {}-byte payload", file,
                        p.line, p.name, p.pad, p.payload.size()));
    if (p.payload.size() > max_datagram)
        throw core::InputError(fmt::format("{}:{}: datagram probe \"{}\": payload longer than {} bytes", file,
                                           p.line, p.name, max_datagram));
}

}  // namespace

bool ServiceProbe::fits_port(std::uint16_t port) const {
    return std::any_of(ports.begin(), ports.end(),
                       [port](const auto& r) { return port >= r.first && port <= r.second; });
}

ServiceDefs ServiceDefs::parse(std::string_view text, std::string_view file_name) {
    ServiceDefs defs;
    defs.source = std::string(file_name);
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::size_t line_no = 0;
    ServiceProbe* probe = nullptr;
    // Per probe: directives that may appear once.
    std::set<std::string_view> once;
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        const auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        Cursor cur(line, file_name, line_no);
        const auto directive = cur.word();
        if (directive.empty()) continue;

        if (directive == "probe") {
            if (probe) finish_probe(*probe, once.contains("payload"), file_name);
            ServiceProbe p;
            p.line = line_no;
            p.name = std::string(cur.need_word("probe name"));
            if (!valid_name(p.name)) cur.fail(fmt::format("bad probe name \"{}\"", excerpt(p.name)));
            if (defs.find(p.name) >= 0) cur.fail(fmt::format("duplicate probe \"{}\"", p.name));
            const auto kind = cur.need_word("probe kind (greeting, send, tls or datagram)");
            if (kind == "greeting")
                p.kind = ProbeKind::greeting;
            else if (kind == "send")
                p.kind = ProbeKind::send;
            else if (kind == "tls")
                p.kind = ProbeKind::tls;
            else if (kind == "datagram")
                p.kind = ProbeKind::datagram;
            else
                cur.fail(fmt::format("unknown probe kind \"{}\" (greeting, send, tls or datagram)",
                                     excerpt(kind)));
            cur.expect_end();
            defs.probes.push_back(std::move(p));
            probe = &defs.probes.back();
            once.clear();
            continue;
        }
        if (!probe) cur.fail(fmt::format("\"{}\" before any probe", excerpt(directive)));
        const bool is_match = directive == "match" || directive == "softmatch";
        if (!is_match && !once.insert(directive).second)
            cur.fail(fmt::format("{} given twice for probe \"{}\"", excerpt(directive), probe->name));

        if (directive == "payload") {
            if (probe->kind != ProbeKind::send && probe->kind != ProbeKind::datagram)
                cur.fail(fmt::format("payload on a {} probe (only send and datagram probes have one)",
                                     kind_name(probe->kind)));
            if (cur.at_end()) cur.fail("missing payload string");
            probe->payload = cur.quoted(true);
            if (probe->payload.empty() && probe->kind == ProbeKind::send) cur.fail("empty payload");
        } else if (directive == "pad") {
            if (probe->kind != ProbeKind::datagram)
                cur.fail(
                    fmt::format("pad on a {} probe (only datagram probes have one)", kind_name(probe->kind)));
            const auto w = cur.need_word("pad length");
            unsigned long v = 0;
            const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
            if (ec != std::errc() || end != w.data() + w.size() || v == 0 || v > max_datagram)
                cur.fail(fmt::format("bad pad \"{}\" (expected 1-{} bytes)", excerpt(w), max_datagram));
            probe->pad = v;
        } else if (directive == "ports") {
            parse_ports(cur, cur.need_word("port list"), *probe);
        } else if (directive == "rarity") {
            const auto w = cur.need_word("rarity");
            if (w.size() != 1 || w[0] < '1' || w[0] > '9')
                cur.fail(fmt::format("rarity \"{}\" out of range (1-9)", excerpt(w)));
            probe->rarity = static_cast<unsigned>(w[0] - '0');
        } else if (directive == "in-tls") {
            if (probe->kind == ProbeKind::tls || probe->kind == ProbeKind::datagram)
                cur.fail(fmt::format("in-tls on a {} probe", kind_name(probe->kind)));
            probe->in_tls = true;
        } else if (directive == "wait") {
            probe->wait = parse_wait(cur, cur.need_word("wait time"));
        } else if (directive == "fallback") {
            auto list = cur.need_word("fallback probe list");
            while (!list.empty()) {
                const auto comma = list.find(',');
                const auto name = list.substr(0, comma);
                list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
                if (!valid_name(name) || (comma != std::string_view::npos && list.empty()))
                    cur.fail(fmt::format("bad fallback probe name \"{}\"", excerpt(name)));
                if (name == probe->name) cur.fail("a probe cannot fall back to itself");
                probe->fallback.emplace_back(name);
            }
        } else if (is_match) {
            parse_match(cur, directive == "softmatch", *probe, line_no);
        } else {
            cur.fail(fmt::format("unknown directive \"{}\"", excerpt(directive)));
        }
        cur.expect_end();
    }
    if (probe) finish_probe(*probe, once.contains("payload"), file_name);
    if (defs.probes.empty()) throw core::InputError(fmt::format("{}: no probe defined", file_name));
    // Fallbacks may name probes defined later: checked once the whole file is read.
    for (const auto& p : defs.probes)
        for (const auto& f : p.fallback) {
            const int to = defs.find(f);
            if (to < 0)
                throw core::InputError(fmt::format("{}:{}: probe \"{}\" falls back to unknown probe \"{}\"",
                                                   file_name, p.line, p.name, f));
            // A UDP answer is never a TCP one: datagram probes fall back only to datagram probes.
            const bool udp = p.kind == ProbeKind::datagram;
            if (udp != (defs.probes[static_cast<std::size_t>(to)].kind == ProbeKind::datagram))
                throw core::InputError(fmt::format(
                    "{}:{}: probe \"{}\" falls back to {} probe \"{}\" (datagram probes fall back only to "
                    "datagram probes, the others never to one)",
                    file_name, p.line, p.name, kind_name(defs.probes[static_cast<std::size_t>(to)].kind), f));
        }
    return defs;
}

ServiceDefs ServiceDefs::load(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw core::InputError(fmt::format("{}: cannot read: is a directory", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::InputError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    std::string text(max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw core::InputError(fmt::format("{}: cannot read", path));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes)
        throw core::InputError(fmt::format("{}: larger than {} MiB; not a service definitions file", path,
                                           max_file_bytes >> 20));
    return parse(text, path);
}

int ServiceDefs::find(std::string_view name) const {
    for (std::size_t i = 0; i < probes.size(); ++i)
        if (probes[i].name == name) return static_cast<int>(i);
    return -1;
}

std::vector<std::string> ServiceDefs::services() const {
    std::vector<std::string> out;
    for (const auto& p : probes)
        for (const auto& m : p.matches) out.push_back(m.service);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace ghostport::probes
