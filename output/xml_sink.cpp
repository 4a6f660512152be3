// SPDX-License-Identifier: GPL-2.0-or-later
// The nmap-compatible XML report format (xmloutputversion 1.05): the subset that ndiff and importers read.
#include "output/xml_sink.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <tuple>
#include <vector>

#include "output/fields.hpp"
#include "output/order.hpp"
#include "output/utf8.hpp"

#ifndef GHOSTPORT_VERSION
#define GHOSTPORT_VERSION "unknown"
#endif

namespace ghostport::output {

namespace detail {

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const Utf8Step step = decode_utf8(text, pos);
        const char32_t c = step.code_point;
        if (!step.valid) {
            out += "\xEF\xBF\xBD";
        } else if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '"') {
            out += "&quot;";
        } else if (c == '\'') {
            out += "&apos;";
        } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x7F && c <= 0x9F)) {
            out += fmt::format("&#x{:X};", static_cast<unsigned>(c));
        } else if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
            out += "\xEF\xBF\xBD";
        } else {
            out.append(text.substr(pos, step.length));
        }
        pos += step.length;
    }
    return out;
}

}  // namespace detail

namespace {

using Clock = std::chrono::system_clock;

// ` name="value"`, the value escaped.
std::string attr(std::string_view name, std::string_view value) {
    return fmt::format(" {}=\"{}\"", name, detail::xml_escape(value));
}

// `text` made safe inside an XML comment: escaped, and no "--" (which may not appear in a comment).
std::string comment_text(std::string_view text) {
    std::string out = detail::xml_escape(text);
    for (std::size_t i = out.find("--"); i != std::string::npos; i = out.find("--", i))
        out.replace(i, 2, "-&#45;");
    return out;
}

std::int64_t epoch_seconds(Clock::time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

// "Sun Nov 22 10:00:12 2026" (ctime's layout, day space-padded), in UTC, independent of the locale.
std::string ctime_utc(Clock::time_point t) {
    using namespace std::chrono;
    static constexpr std::array<std::string_view, 7> weekdays{"Sun", "Mon", "Tue", "Wed",
                                                              "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<seconds>(t - day)};
    return fmt::format("{} {} {:2} {:02}:{:02}:{:02} {}", weekdays[weekday{day}.c_encoding()],
                       months[static_cast<unsigned>(ymd.month()) - 1], static_cast<unsigned>(ymd.day()),
                       hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       static_cast<int>(ymd.year()));
}

// Seconds between the two times with 2 decimals ("12.35"), rounded half up; "0.00" when finish < start.
std::string elapsed_seconds(Clock::time_point start, Clock::time_point finish) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(finish - start).count();
    const std::int64_t centis = ms <= 0 ? 0 : (ms + 5) / 10;
    return fmt::format("{}.{:02}", centis / 100, centis % 100);
}

std::string_view reason_name(core::Reason r) {
    switch (r) {
        case core::Reason::syn_ack:
            return "syn-ack";
        case core::Reason::rst:
            return "reset";
        case core::Reason::no_response:
            return "no-response";
        case core::Reason::unreachable:
            return "host-unreach";
        case core::Reason::udp_response:
            return "udp-response";
        case core::Reason::port_unreach:
            return "port-unreach";
    }
    return "unknown";
}

// "rarity 9.7; ghost; unauthorized-use-reported; aka netbus".
std::string extrainfo(const core::ServiceLabel& l, bool aka) {
    std::string info = "rarity " + detail::format_rarity(l.rarity, "unknown");
    const std::string labels = core::labels_to_string(l.labels);
    std::string_view rest = labels;
    while (!rest.empty()) {
        const std::size_t semi = rest.find(';');
        info += "; ";
        info += rest.substr(0, semi);
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
    }
    if (aka && !l.known_as.empty()) info += "; aka " + l.known_as;
    return info;
}

// nmap's probed <service>: name, product, version, extrainfo, tunnel="ssl" (TLS from the first byte; not
// after STARTTLS, and not for "ssl" itself), method="probed", conf 10 (hard match) or 8 (soft match or
// tcpwrapped), then <cpe>.
void write_probed_service(std::ostream& out, const core::ServiceInfo& s) {
    const bool tunnel = s.tls_tunnel();
    const bool soft = s.soft || s.name == core::service_tcpwrapped;
    out << "<service" << attr("name", s.name);
    if (!s.product.empty()) out << attr("product", s.product);
    if (!s.version.empty()) out << attr("version", s.version);
    if (!s.extra_info.empty()) out << attr("extrainfo", s.extra_info);
    if (tunnel) out << attr("tunnel", "ssl");
    out << attr("method", "probed") << attr("conf", soft ? "8" : "10");
    if (s.cpe.empty()) {
        out << "/>";
    } else {
        out << "><cpe>" << detail::xml_escape(s.cpe) << "</cpe></service>";
    }
}

void write_port(std::ostream& out, const core::ReportRow& row, bool service_scan) {
    const core::PortResult& r = row.result;
    const core::ServiceLabel& l = row.label;
    out << "<port" << attr("protocol", core::to_string(r.proto)) << attr("portid", std::to_string(r.port))
        << "><state" << attr("state", core::to_string(r.state)) << attr("reason", reason_name(r.reason))
        << attr("reason_ttl", "0") << "/>";
    // -sV named it (or found it tcpwrapped): what it said. "unknown" (answered, nothing matched) keeps the
    // table's guess, as nmap does for a port it could not match.
    const core::ServiceInfo& s = row.service;
    if (service_scan && s.identified() && s.name != core::service_unknown) {
        write_probed_service(out, s);
        out << "</port>\n";
        return;
    }
    // A port with no name at all is nmap's "unknown" service, so that its rarity and labels (extrainfo)
    // still reach the reader: an unassigned open port is exactly what an audit must see.
    const bool iana = !l.service.empty();
    const std::string_view name = iana                 ? std::string_view(l.service)
                                  : l.known_as.empty() ? std::string_view("unknown")
                                                       : std::string_view(l.known_as);
    out << "<service" << attr("name", name) << attr("method", "table") << attr("conf", "3")
        << attr("extrainfo", extrainfo(l, iana)) << "/>";
    out << "</port>\n";
}

// The ports of up hosts that no row lists, by state: how many were closed, how many filtered (or not decided
// in a partial scan). The report counts states over the whole scan, not per host, so a host's share is exact
// when every unlisted port has one state or one host has them all; otherwise a host's unlisted ports are
// "closed|filtered", as nmap words a state it cannot tell apart.
struct Unlisted {
    std::uint64_t closed = 0;         // over every host
    std::uint64_t filtered = 0;       // over every host
    std::uint64_t open_filtered = 0;  // over every host (UDP ports that gave no answer)
    std::size_t hosts = 0;            // hosts with any unlisted port
};

// One host's <extraports> for its `count` unlisted ports.
void write_extraports(std::ostream& out, const Unlisted& unlisted, std::uint64_t count) {
    const auto one = [&out](std::string_view state, std::uint64_t n) {
        if (n == 0) return;
        out << "<extraports" << attr("state", state) << attr("count", std::to_string(n)) << "/>\n";
    };
    const int states = (unlisted.closed > 0) + (unlisted.filtered > 0) + (unlisted.open_filtered > 0);
    if (states == 0 || (states == 1 && unlisted.closed > 0)) {
        one("closed", count);
    } else if (states == 1 && unlisted.filtered > 0) {
        one("filtered", count);
    } else if (states == 1) {
        one("open|filtered", count);
    } else if (unlisted.hosts == 1) {
        one("closed", unlisted.closed);
        one("filtered", unlisted.filtered);
        one("open|filtered", unlisted.open_filtered);
    } else {
        one("closed|filtered", count);
    }
}

// What the rows [first, last) of one host say about it, for its <host>.
struct HostRows {
    // At most one a protocol: every port of that protocol was open (a tarpit answers TCP and UDP alike).
    std::vector<const core::ReportRow*> all_open;
    std::vector<const core::ReportRow*> ports;  // distinct (proto, port), ascending
    std::vector<std::string_view> hostnames;    // distinct, sorted
    bool syn_ack = false, reset = false, udp_response = false, port_unreach = false;
    Clock::time_point start{}, end{};
};

// Whether the host was all open on `proto`.
bool all_open(const HostRows& h, core::Proto proto) {
    return std::any_of(h.all_open.begin(), h.all_open.end(),
                       [&](const core::ReportRow* a) { return a->result.proto == proto; });
}

HostRows host_rows(std::vector<core::ReportRow>::const_iterator first,
                   std::vector<core::ReportRow>::const_iterator last) {
    HostRows h;
    if (first == last) return h;
    h.start = h.end = first->result.scanned_at;
    for (auto it = first; it != last; ++it) {
        const core::PortResult& r = it->result;
        h.syn_ack = h.syn_ack || r.reason == core::Reason::syn_ack;
        h.reset = h.reset || r.reason == core::Reason::rst;
        h.udp_response = h.udp_response || r.reason == core::Reason::udp_response;
        h.port_unreach = h.port_unreach || r.reason == core::Reason::port_unreach;
        h.start = std::min(h.start, r.scanned_at);
        h.end = std::max(h.end, r.scanned_at);
        if (!it->hostname.empty()) h.hostnames.push_back(it->hostname);
        if (r.state == core::PortState::all_open) {
            if (!all_open(h, r.proto)) h.all_open.push_back(&*it);
        } else if (h.ports.empty() || h.ports.back()->result.port != r.port ||
                   h.ports.back()->result.proto != r.proto) {
            h.ports.push_back(&*it);
        }
    }
    std::sort(h.hostnames.begin(), h.hostnames.end());
    h.hostnames.erase(std::unique(h.hostnames.begin(), h.hostnames.end()), h.hostnames.end());
    return h;
}

// How many ports of each protocol every host was scanned on.
struct ProtoPorts {
    std::uint64_t tcp = 0, udp = 0;

    static ProtoPorts of(const core::ReportMeta& meta) {
        if (meta.udp_ports_scanned.empty()) return {meta.ports_per_host, 0};
        const std::uint64_t udp = core::parse_port_list_text(meta.udp_ports_scanned).size();
        return {meta.ports_per_host > udp ? meta.ports_per_host - udp : 0, udp};
    }
    std::uint64_t operator[](core::Proto p) const { return p == core::Proto::udp ? udp : tcp; }
};

// The host's ports of `proto` that no row lists.
std::uint64_t unlisted_of(const ProtoPorts& scanned, const HostRows& h, core::Proto proto) {
    const auto listed = static_cast<std::uint64_t>(std::count_if(
        h.ports.begin(), h.ports.end(), [&](const core::ReportRow* r) { return r->result.proto == proto; }));
    return scanned[proto] > listed ? scanned[proto] - listed : 0;
}

// The host's ports that no row lists, but for a protocol that was all open (those extraports are open).
std::uint64_t unlisted_count(const ProtoPorts& scanned, const HostRows& h) {
    std::uint64_t n = 0;
    for (const core::Proto proto : {core::Proto::tcp, core::Proto::udp})
        if (!all_open(h, proto)) n += unlisted_of(scanned, h, proto);
    return n;
}

// One <host>: its rows (none for a host that was up with nothing to show), then its unlisted ports.
void write_host(std::ostream& out, const core::ReportMeta& meta, const ProtoPorts& scanned,
                const core::Address& address, const HostRows& h, const Unlisted& unlisted) {
    const std::uint64_t rest = unlisted_count(scanned, h);
    const bool closed_rest =
        rest > 0 && (unlisted.filtered == 0 || (unlisted.hosts == 1 && unlisted.closed > 0));
    const std::string_view host_reason = h.syn_ack        ? "syn-ack"
                                         : h.reset        ? "reset"
                                         : h.udp_response ? "udp-response"
                                         : h.port_unreach ? "port-unreach"
                                         : closed_rest    ? "reset"
                                                          : "user-set";
    const bool no_rows = h.ports.empty() && h.all_open.empty();
    const Clock::time_point start = no_rows ? meta.started_at : h.start;
    const Clock::time_point end = no_rows ? meta.finished_at : h.end;

    out << "<host" << attr("starttime", std::to_string(epoch_seconds(start)))
        << attr("endtime", std::to_string(epoch_seconds(end))) << "><status" << attr("state", "up")
        << attr("reason", host_reason) << attr("reason_ttl", "0") << "/>\n";
    out << "<address" << attr("addr", address.to_string())
        << attr("addrtype", address.is_v4() ? "ipv4" : "ipv6") << "/>\n";
    out << "<hostnames>\n";
    for (std::string_view name : h.hostnames)
        out << "<hostname" << attr("name", name) << attr("type", "user") << "/>\n";
    out << "</hostnames>\n";
    out << "<ports>";
    for (const core::ReportRow* open : h.all_open) {
        const std::string count = std::to_string(unlisted_of(scanned, h, open->result.proto));
        out << "<extraports" << attr("state", "open") << attr("count", count) << ">\n<extrareasons"
            << attr("reason", reason_name(open->result.reason)) << attr("count", count)
            << attr("proto", core::to_string(open->result.proto)) << "/>\n</extraports>\n";
    }
    if (rest > 0) write_extraports(out, unlisted, rest);
    for (const core::ReportRow* row : h.ports) write_port(out, *row, meta.service_scan);
    out << "</ports>\n</host>\n";
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

void write_xml(std::ostream& out, const core::Report& report) {
    const core::ReportMeta& m = report.meta;
    std::vector<core::ReportRow> rows = report.rows;
    sort_rows(rows);  // a total order, kept below for rows that tie on host, proto and port
    std::stable_sort(rows.begin(), rows.end(), [](const core::ReportRow& a, const core::ReportRow& b) {
        return std::tie(a.result.host, a.result.port, a.result.proto) <
               std::tie(b.result.host, b.result.port, b.result.proto);
    });

    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n";
    out << "<nmaprun" << attr("scanner", "ghostport") << attr("args", m.command_line)
        << attr("start", std::to_string(epoch_seconds(m.started_at)))
        << attr("startstr", ctime_utc(m.started_at)) << attr("version", GHOSTPORT_VERSION)
        << attr("xmloutputversion", "1.05") << ">\n";
    // One <scaninfo> per protocol scanned; a report without UDP has the TCP one alone, as before -sU.
    if (m.udp_ports_scanned.empty()) {
        out << "<scaninfo" << attr("type", m.engine == "syn" ? "syn" : "connect") << attr("protocol", "tcp")
            << attr("numservices", std::to_string(m.ports_per_host)) << attr("services", m.ports_scanned)
            << "/>\n";
    } else {
        const std::size_t tcp_ports = core::parse_port_list_text(m.ports_scanned).size();
        if (tcp_ports > 0)
            out << "<scaninfo" << attr("type", m.engine.starts_with("syn") ? "syn" : "connect")
                << attr("protocol", "tcp") << attr("numservices", std::to_string(tcp_ports))
                << attr("services", m.ports_scanned) << "/>\n";
        out << "<scaninfo" << attr("type", "udp") << attr("protocol", "udp")
            << attr("numservices", std::to_string(core::parse_port_list_text(m.udp_ports_scanned).size()))
            << attr("services", m.udp_ports_scanned) << "/>\n";
    }
    out << "<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n";
    out << "<!-- registry: " << comment_text(core::registry_summary(m)) << " -->\n";

    // Every host with rows, and every host that was up without any.
    std::vector<core::Address> addresses = m.hosts_up_list;
    for (const core::ReportRow& row : rows) addresses.push_back(row.result.host);
    std::sort(addresses.begin(), addresses.end());
    addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
    const ProtoPorts scanned = ProtoPorts::of(m);
    std::vector<HostRows> hosts;
    hosts.reserve(addresses.size());
    auto first = rows.cbegin();
    std::uint64_t unlisted_ports = 0, closed_listed = 0, open_filtered_listed = 0;
    Unlisted unlisted;
    for (const core::Address& address : addresses) {
        const auto last = std::find_if(first, rows.cend(), [&address](const core::ReportRow& row) {
            return row.result.host != address;
        });
        hosts.push_back(host_rows(first, last));
        for (const core::ReportRow* row : hosts.back().ports) {
            closed_listed += row->result.state == core::PortState::closed;
            open_filtered_listed += row->result.state == core::PortState::open_filtered;
        }
        const std::uint64_t rest = unlisted_count(scanned, hosts.back());
        unlisted_ports += rest;
        unlisted.hosts += rest > 0;
        first = last;
    }
    unlisted.closed = std::min(m.closed > closed_listed ? m.closed - closed_listed : 0, unlisted_ports);
    unlisted.open_filtered =
        std::min(m.open_filtered > open_filtered_listed ? m.open_filtered - open_filtered_listed : 0,
                 unlisted_ports - unlisted.closed);
    unlisted.filtered = unlisted_ports - unlisted.closed - unlisted.open_filtered;
    for (std::size_t i = 0; i < addresses.size(); ++i)
        write_host(out, m, scanned, addresses[i], hosts[i], unlisted);

    const std::string elapsed = elapsed_seconds(m.started_at, m.finished_at);
    const std::string finished = ctime_utc(m.finished_at);
    const std::string summary = fmt::format("ghostport done at {}; {} ({} up) scanned in {} seconds",
                                            finished, plural(m.hosts_targeted, "IP address", "IP addresses"),
                                            plural(m.hosts_up, "host", "hosts"), elapsed);
    out << "<runstats><finished" << attr("time", std::to_string(epoch_seconds(m.finished_at)))
        << attr("timestr", finished) << attr("elapsed", elapsed) << attr("summary", summary)
        << attr("exit", m.partial ? "error" : "success");
    if (m.partial)
        out << attr("errormsg", fmt::format("scan interrupted: {} of {} probes decided", m.probes_done,
                                            m.probes_planned));
    const std::uint64_t down = m.hosts_targeted > m.hosts_up ? m.hosts_targeted - m.hosts_up : 0;
    out << "/><hosts" << attr("up", std::to_string(m.hosts_up)) << attr("down", std::to_string(down))
        << attr("total", std::to_string(m.hosts_targeted)) << "/>\n</runstats>\n</nmaprun>\n";
}

}  // namespace ghostport::output
