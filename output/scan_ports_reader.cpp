// SPDX-License-Identifier: GPL-2.0-or-later
// Reading scan reports for --against: XML by a small tag scanner, the other formats through read_report_file.
#include "output/scan_ports_reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "output/report_file.hpp"
#include "output/utf8.hpp"

namespace ghostport::output {

namespace {

using core::InputError;

// Decodes &amp; &lt; &gt; &quot; &apos; and &#N; / &#xN; (as UTF-8); anything else is kept as written.
std::string decode_entities(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out += text[i];
            continue;
        }
        const std::size_t semi = text.find(';', i);
        if (semi == std::string_view::npos) {
            out += text.substr(i);
            break;
        }
        const std::string_view name = text.substr(i + 1, semi - i - 1);
        static const std::map<std::string_view, char> named{
            {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
        if (auto it = named.find(name); it != named.end()) {
            out += it->second;
        } else if (name.starts_with('#')) {
            const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
            const std::string_view digits = name.substr(hex ? 2 : 1);
            std::uint32_t cp = 0;
            const auto [ptr, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
            if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() ||
                cp > 0x10FFFF) {
                out += text.substr(i, semi - i + 1);
            } else {
                detail::append_utf8(out, cp);
            }
        } else {
            out += text.substr(i, semi - i + 1);
        }
        i = semi;
    }
    return out;
}

struct Tag {
    std::string name;  // "host", "/host", ...
    std::map<std::string, std::string> attributes;
};

// Parses the inside of <...> (without the brackets).
Tag parse_tag(std::string_view inside) {
    Tag tag;
    if (inside.ends_with('/')) inside.remove_suffix(1);
    std::size_t i = inside.find_first_of(" \t\r\n");
    tag.name = std::string(inside.substr(0, i));
    while (i != std::string_view::npos && i < inside.size()) {
        i = inside.find_first_not_of(" \t\r\n", i);
        if (i == std::string_view::npos) break;
        const std::size_t eq = inside.find('=', i);
        if (eq == std::string_view::npos) break;
        std::string key(inside.substr(i, eq - i));
        while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
        std::size_t q = inside.find_first_not_of(" \t\r\n", eq + 1);
        if (q == std::string_view::npos || (inside[q] != '"' && inside[q] != '\''))
            throw InputError("bad XML: an attribute value without quotes");
        const std::size_t end = inside.find(inside[q], q + 1);
        if (end == std::string_view::npos) throw InputError("bad XML: an attribute value that does not end");
        tag.attributes[key] = decode_entities(inside.substr(q + 1, end - q - 1));
        i = end + 1;
    }
    return tag;
}

std::string attribute(const Tag& t, const std::string& key) {
    const auto it = t.attributes.find(key);
    return it == t.attributes.end() ? std::string() : it->second;
}

std::vector<std::uint16_t> ports_of(std::string_view list) {
    std::vector<std::string_view> bad;
    auto ports = core::parse_port_list_text(list, &bad);
    if (!bad.empty())
        throw InputError(fmt::format("bad XML: bad scaninfo services item \"{}\"",
                                     std::string(bad.front().substr(0, 20))));
    return ports;
}

core::Proto proto_of(const std::string& text) {
    if (text == "tcp") return core::Proto::tcp;
    if (text == "udp") return core::Proto::udp;
    throw InputError(fmt::format("bad XML: protocol \"{}\" is not tcp or udp", text.substr(0, 20)));
}

}  // namespace

core::ScanView read_scan_xml(std::string_view text) {
    core::ScanView view;
    std::set<core::Address> hosts;
    bool nmaprun = false;
    std::optional<core::Address> host;
    std::optional<core::PortResult> port;
    for (std::size_t pos = 0; (pos = text.find('<', pos)) != std::string_view::npos;) {
        if (text.substr(pos).starts_with("<!--")) {
            const std::size_t end = text.find("-->", pos);
            if (end == std::string_view::npos) throw InputError("bad XML: a comment that does not end");
            pos = end + 3;
            continue;
        }
        const std::size_t end = text.find('>', pos);
        if (end == std::string_view::npos) throw InputError("bad XML: a tag that does not close");
        const std::string_view inside = text.substr(pos + 1, end - pos - 1);
        pos = end + 1;
        if (inside.starts_with('?') || inside.starts_with('!')) continue;
        const Tag tag = parse_tag(inside);
        const bool closes = inside.ends_with('/');
        if (tag.name == "nmaprun") {
            nmaprun = true;
        } else if (tag.name == "scaninfo") {
            auto ports = ports_of(attribute(tag, "services"));
            auto& into = proto_of(attribute(tag, "protocol")) == core::Proto::tcp ? view.tcp_scanned
                                                                                  : view.udp_scanned;
            into.insert(into.end(), ports.begin(), ports.end());
        } else if (tag.name == "host") {
            host.reset();
        } else if (tag.name == "address") {
            const std::string type = attribute(tag, "addrtype");
            if (type != "ipv4" && type != "ipv6") continue;
            const auto a = core::Address::parse(attribute(tag, "addr"));
            if (!a)
                throw InputError(
                    fmt::format("bad XML: bad address \"{}\"", attribute(tag, "addr").substr(0, 40)));
            host = *a;
            hosts.insert(*a);
        } else if (tag.name == "port") {
            if (!host) throw InputError("bad XML: a <port> before its host's <address>");
            core::PortResult r;
            r.host = *host;
            r.proto = proto_of(attribute(tag, "protocol"));
            const std::string id = attribute(tag, "portid");
            unsigned v = 0;
            const auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
            if (id.empty() || ec != std::errc{} || ptr != id.data() + id.size() || v > 65535)
                throw InputError(fmt::format("bad XML: bad portid \"{}\"", id.substr(0, 20)));
            r.port = static_cast<std::uint16_t>(v);
            r.state = core::PortState::filtered;
            port = r;
            if (closes) {
                view.ports.push_back(*port);
                port.reset();
            }
        } else if (tag.name == "state" && port) {
            const std::string s = attribute(tag, "state");
            port->state = s == "open"            ? core::PortState::open
                          : s == "closed"        ? core::PortState::closed
                          : s == "open|filtered" ? core::PortState::open_filtered
                                                 : core::PortState::filtered;
        } else if (tag.name == "/port" && port) {
            view.ports.push_back(*port);
            port.reset();
        }
    }
    if (!nmaprun) throw InputError("bad XML: no <nmaprun> (not an nmap-style XML report)");
    view.hosts.assign(hosts.begin(), hosts.end());
    return view;
}

core::ScanView read_scan_view_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read it", path));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos && text[first] == '<') {
        try {
            return read_scan_xml(text);
        } catch (const InputError& e) {
            throw InputError(fmt::format("{}: {}", path, e.what()));
        }
    }
    return core::scan_view(read_report_file(path));
}

}  // namespace ghostport::output
