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
    }
    return "unknown";
}

// "rarity 9.7; ghost; unauthorized-use-reported; aka netbus".
std::string extrainfo(const core::ServiceLabel& l, bool aka) {
    std::string info = "rarity " + detail::format_rarity(l.rarity);
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

void write_port(std::ostream& out, const core::ReportRow& row) {
    const core::PortResult& r = row.result;
    const core::ServiceLabel& l = row.label;
    out << "<port" << attr("protocol", core::to_string(r.proto)) << attr("portid", std::to_string(r.port))
        << "><state" << attr("state", core::to_string(r.state)) << attr("reason", reason_name(r.reason))
        << attr("reason_ttl", "0") << "/>";
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

// One <host> for rows [first, last), all of one address, in port order.
void write_host(std::ostream& out, const core::ReportMeta& meta,
                std::vector<core::ReportRow>::const_iterator first,
                std::vector<core::ReportRow>::const_iterator last) {
    const core::Address& address = first->result.host;
    const core::ReportRow* all_open = nullptr;
    std::vector<const core::ReportRow*> ports;
    std::vector<std::string_view> hostnames;
    bool syn_ack = false, reset = false;
    Clock::time_point start = first->result.scanned_at, end = first->result.scanned_at;
    for (auto it = first; it != last; ++it) {
        const core::PortResult& r = it->result;
        syn_ack = syn_ack || r.reason == core::Reason::syn_ack;
        reset = reset || r.reason == core::Reason::rst;
        start = std::min(start, r.scanned_at);
        end = std::max(end, r.scanned_at);
        if (!it->hostname.empty()) hostnames.push_back(it->hostname);
        if (r.state == core::PortState::all_open) {
            if (!all_open) all_open = &*it;
        } else if (ports.empty() || ports.back()->result.port != r.port ||
                   ports.back()->result.proto != r.proto) {
            ports.push_back(&*it);
        }
    }
    std::sort(hostnames.begin(), hostnames.end());
    hostnames.erase(std::unique(hostnames.begin(), hostnames.end()), hostnames.end());
    const std::string_view host_reason = syn_ack ? "syn-ack" : reset ? "reset" : "user-set";

    out << "<host" << attr("starttime", std::to_string(epoch_seconds(start)))
        << attr("endtime", std::to_string(epoch_seconds(end))) << "><status" << attr("state", "up")
        << attr("reason", host_reason) << attr("reason_ttl", "0") << "/>\n";
    out << "<address" << attr("addr", address.to_string())
        << attr("addrtype", address.is_v4() ? "ipv4" : "ipv6") << "/>\n";
    out << "<hostnames>\n";
    for (std::string_view name : hostnames)
        out << "<hostname" << attr("name", name) << attr("type", "user") << "/>\n";
    out << "</hostnames>\n";
    out << "<ports>";
    if (all_open) {
        const std::uint64_t listed = ports.size();
        const std::string count =
            std::to_string(meta.ports_per_host > listed ? meta.ports_per_host - listed : 0);
        out << "<extraports" << attr("state", "open") << attr("count", count) << ">\n<extrareasons"
            << attr("reason", reason_name(all_open->result.reason)) << attr("count", count)
            << "/>\n</extraports>\n";
    }
    for (const core::ReportRow* row : ports) write_port(out, *row);
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
    out << "<scaninfo" << attr("type", m.engine == "syn" ? "syn" : "connect") << attr("protocol", "tcp")
        << attr("numservices", std::to_string(m.ports_per_host)) << attr("services", "") << "/>\n";
    out << "<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n";

    for (auto first = rows.cbegin(); first != rows.cend();) {
        const auto last = std::find_if(first, rows.cend(), [&first](const core::ReportRow& row) {
            return row.result.host != first->result.host;
        });
        write_host(out, m, first, last);
        first = last;
    }

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
