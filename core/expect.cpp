// SPDX-License-Identifier: GPL-2.0-or-later
// The --expect allowlist: parsing its lines and matching report rows against them.
#include "core/expect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"

namespace ghostport::core {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The next whitespace-separated word of `rest`, removed from it; "" at the end.
std::string_view next_word(std::string_view& rest) {
    const std::size_t start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(start);
    const std::size_t end = std::min(rest.find_first_of(" \t"), rest.size());
    const std::string_view word = rest.substr(0, end);
    rest.remove_prefix(end);
    return word;
}

std::optional<unsigned> parse_number(std::string_view text, unsigned max) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

// Clears the bits of `a` past the first `len`.
Address masked(Address a, unsigned len) {
    for (unsigned i = 0; i < 16; ++i) {
        const unsigned kept = len > i * 8 ? std::min(8u, len - i * 8) : 0u;
        a.bytes[i] &= static_cast<std::uint8_t>(kept == 0 ? 0 : 0xFF << (8 - kept));
    }
    return a;
}

// A word of the file as an error message shows it: control bytes become '?', long words are cut.
std::string shown(std::string_view word) {
    std::string out(word.substr(0, 60));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    if (word.size() > 60) out += "...";
    return out;
}

bool valid_hostname(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    return std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; });
}

void parse_host(std::string_view word, ExpectEntry& e) {
    if (word == "*") {
        e.kind = ExpectEntry::HostKind::any;
        return;
    }
    const std::size_t slash = word.find('/');
    if (auto a = Address::parse(word.substr(0, slash))) {
        const unsigned max_len = a->is_v4() ? 32 : 128;
        unsigned len = max_len;
        if (slash != std::string_view::npos) {
            const auto n = parse_number(word.substr(slash + 1), max_len);
            if (!n)
                throw InputError(fmt::format("line {}: bad prefix length in \"{}\" (0..{})", e.line,
                                             shown(word), max_len));
            len = *n;
        }
        e.kind = ExpectEntry::HostKind::prefix;
        e.network = masked(*a, len);
        e.prefix_len = len;
        return;
    }
    if (slash == std::string_view::npos && valid_hostname(word) &&
        word.find_first_not_of("0123456789.") != std::string_view::npos) {
        e.kind = ExpectEntry::HostKind::name;
        e.name = lower(word);
        return;
    }
    throw InputError(fmt::format("line {}: bad host \"{}\": use an address, a CIDR block, a hostname or *",
                                 e.line, shown(word)));
}

void parse_port(std::string_view word, ExpectEntry& e) {
    const std::size_t slash = word.find('/');
    const std::string_view ports = word.substr(0, slash);
    if (slash != std::string_view::npos) {
        const std::string proto = lower(word.substr(slash + 1));
        if (proto == "tcp")
            e.proto = Proto::tcp;
        else if (proto == "udp")
            e.proto = Proto::udp;
        else
            throw InputError(
                fmt::format("line {}: bad protocol in \"{}\": use tcp or udp", e.line, shown(word)));
    }
    if (ports == "*") return;
    const std::size_t dash = ports.find('-');
    const auto lo = parse_number(ports.substr(0, dash), 65535);
    const auto hi = dash == std::string_view::npos ? lo : parse_number(ports.substr(dash + 1), 65535);
    if (!lo || !hi || *lo > *hi)
        throw InputError(fmt::format("line {}: bad port \"{}\": use 0..65535, a range 8000-8100 or *", e.line,
                                     shown(word)));
    e.port_lo = static_cast<std::uint16_t>(*lo);
    e.port_hi = static_cast<std::uint16_t>(*hi);
}

// A service name as detected_service spells them: letters, digits, '-', '_', '.', '/' ("ssl/http").
bool valid_service(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
    });
}

bool is_listener(const ReportRow& row) {
    return row.result.state == PortState::open || row.result.state == PortState::all_open ||
           row.change == Change::gone || row.change == Change::changed;
}

}  // namespace

bool ExpectEntry::matches(const ReportRow& row) const {
    return matches_port(row) && service_mismatch(row).empty();
}

std::string ExpectEntry::service_mismatch(const ReportRow& row) const {
    const ServiceInfo& found = row.service;
    if (service.empty() || !found.named()) return "";
    const std::string name = lower(found.name);
    if (name == service) return "";
    // "ssl/http" expected and http found inside TLS (not a STARTTLS upgrade), or the other way round.
    const bool in_tls = !found.tls.empty() && !found.tls.starts_with("STARTTLS");
    if (in_tls && service == "ssl/" + name) return "";
    if (name.starts_with("ssl/") && name.substr(4) == service) return "";
    return fmt::format("expected {}, found {}", service, found.name);
}

bool ExpectEntry::matches_port(const ReportRow& row) const {
    const PortResult& r = row.result;
    if (r.proto != proto) return false;
    // An all-open row stands for every port of its host.
    if (r.state != PortState::all_open && (r.port < port_lo || r.port > port_hi)) return false;
    if (r.state == PortState::all_open && !(port_lo == 0 && port_hi == 65535)) return false;
    switch (kind) {
        case HostKind::any:
            return true;
        case HostKind::prefix:
            return r.host.family == network.family && masked(r.host, prefix_len) == network;
        case HostKind::name:
            return std::find(addresses.begin(), addresses.end(), r.host) != addresses.end();
    }
    return false;
}

void ExpectList::resolve_names(const std::function<std::vector<Address>(const std::string&)>& resolve) {
    for (auto& e : entries_) {
        if (e.kind != ExpectEntry::HostKind::name) continue;
        try {
            e.addresses = resolve(e.name);
        } catch (const std::exception& error) {
            throw InputError(fmt::format("line {}: {}: {}", e.line, e.name, error.what()));
        }
        if (e.addresses.empty())
            throw InputError(fmt::format("line {}: {} resolves to no address", e.line, e.name));
    }
}

ExpectList ExpectList::parse(std::string_view text) {
    ExpectList list;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find('\0') != std::string_view::npos)
            throw InputError(fmt::format("line {}: a NUL byte (not a text file)", line_no));
        std::string_view rest = line;
        const std::string_view host = next_word(rest);
        if (host.empty() || host.front() == '#') continue;
        ExpectEntry e;
        e.line = line_no;
        parse_host(host, e);
        const std::string_view port = next_word(rest);
        if (port.empty())
            throw InputError(
                fmt::format("line {}: \"{}\" has no port: use HOST PORT[/PROTO] [service=NAME] [NOTE]",
                            line_no, shown(host)));
        parse_port(port, e);
        std::string_view after_port = rest;
        const std::string_view word = next_word(after_port);
        if (lower(word).starts_with("service=")) {
            const std::string_view name = word.substr(8);
            if (!valid_service(name))
                throw InputError(
                    fmt::format("line {}: bad service \"{}\": use service=NAME (ssh, http, ...: letters, "
                                "digits, - _ . /)",
                                line_no, shown(word)));
            e.service = lower(name);
            rest = after_port;
        }
        const std::size_t note = rest.find_first_not_of(" \t");
        if (note != std::string_view::npos) e.note = std::string(rest.substr(note));
        list.entries_.push_back(std::move(e));
    }
    return list;
}

ExpectList ExpectList::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read the expect file", path));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("{}: cannot read the expect file", path));
    try {
        return parse(text.str());
    } catch (const InputError& e) {
        throw InputError(fmt::format("{}: {}", path, e.what()));
    }
}

const ExpectEntry* ExpectList::match(const ReportRow& row) const {
    for (const auto& e : entries_)
        if (e.matches(row)) return &e;
    return nullptr;
}

std::uint64_t ExpectList::apply(std::vector<ReportRow>& rows) const {
    std::uint64_t labelled = 0;
    for (auto& row : rows) {
        if (!is_listener(row)) continue;
        if (const ExpectEntry* e = match(row)) {
            row.label.labels |= label_expected;
            row.expect_note = e->note;
            ++labelled;
            continue;
        }
        // Only a listener open now is told why it is unexpected (a gone row shows the baseline's service).
        const bool open_now =
            (row.result.state == PortState::open || row.result.state == PortState::all_open) &&
            row.change != Change::gone;
        if (!open_now || (row.label.labels & label_expected)) continue;
        for (const auto& e : entries_) {
            if (!e.matches_port(row)) continue;
            if (std::string why = e.service_mismatch(row); !why.empty()) {
                row.expect_note = std::move(why);
                break;
            }
        }
    }
    return labelled;
}

}  // namespace ghostport::core
