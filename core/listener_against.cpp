// SPDX-License-Identifier: GPL-2.0-or-later
// --against: joining a scan report of this host with its listeners.
#include "core/listener_against.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace ghostport::core {

namespace {

// Whether a socket bound as `l` takes connections addressed to `host`.
bool reaches(const Listener& l, const Address& host) {
    switch (exposure_of(l)) {
        case Exposure::loopback:
            return l.address == host;
        case Exposure::all:
            return host.family == l.address.family || l.dual_stack;
        case Exposure::address:
            return l.address == host;
    }
    return false;
}

std::string owners_text(const Listener& l) {
    std::string out;
    for (const auto& o : l.owners) {
        if (!out.empty()) out += ", ";
        out += fmt::format("{} pid {}", escape_name(o.process), o.pid);
    }
    return out.empty() ? std::string("no process visible") : out;
}

}  // namespace

ScanView scan_view(const Report& scan) {
    ScanView v;
    std::set<Address> hosts(scan.meta.hosts_up_list.begin(), scan.meta.hosts_up_list.end());
    for (const auto& row : scan.rows) {
        hosts.insert(row.result.host);
        v.ports.push_back(row.result);
    }
    v.hosts.assign(hosts.begin(), hosts.end());
    v.tcp_scanned = parse_port_list_text(scan.meta.ports_scanned);  // malformed pieces skipped
    v.udp_scanned = parse_port_list_text(scan.meta.udp_ports_scanned);
    return v;
}

void join_scan(ListenerReport& report, const ScanView& scan, const std::string& source) {
    report.meta.against_source = source;
    const bool port_lists = !scan.tcp_scanned.empty() || !scan.udp_scanned.empty();
    const std::set<std::uint16_t> tcp(scan.tcp_scanned.begin(), scan.tcp_scanned.end());
    const std::set<std::uint16_t> udp(scan.udp_scanned.begin(), scan.udp_scanned.end());
    auto probed = [&](Proto proto, std::uint16_t port, const Address& host) {
        if (port_lists) return (proto == Proto::tcp ? tcp : udp).contains(port);
        return std::any_of(scan.ports.begin(), scan.ports.end(), [&](const PortResult& r) {
            return r.proto == proto && r.port == port && r.host == host;
        });
    };
    auto state_at = [&](Proto proto, std::uint16_t port, const Address& host, PortState state) {
        return std::any_of(scan.ports.begin(), scan.ports.end(), [&](const PortResult& r) {
            return r.proto == proto && r.port == port && r.host == host && r.state == state;
        });
    };
    for (auto& row : report.rows) {
        row.outside = Outside::none;
        const Listener& l = row.listener;
        if (row.change == Change::gone || exposure_of(l) == Exposure::loopback || !l.netns.empty()) continue;
        bool any_probed = false, silent = false;
        for (const auto& host : scan.hosts) {
            if (!reaches(l, host)) continue;
            if (state_at(l.proto, l.port, host, PortState::open)) {
                row.outside = Outside::seen;
                break;
            }
            // A UDP socket that ignored the probe: open|filtered says nothing about a filter on the way.
            silent = silent || state_at(l.proto, l.port, host, PortState::open_filtered);
            any_probed = any_probed || probed(l.proto, l.port, host);
        }
        if (row.outside == Outside::none && any_probed && !silent) row.outside = Outside::filtered;
    }
    report.forwarded.clear();
    for (const auto& r : scan.ports) {
        if (r.state != PortState::open) continue;
        bool local = false;
        std::set<std::string> elsewhere;
        for (const auto& row : report.rows) {
            const Listener& l = row.listener;
            if (row.change == Change::gone || l.proto != r.proto || l.port != r.port) continue;
            if (!l.netns.empty())
                elsewhere.insert(l.netns);
            else if (reaches(l, r.host))
                local = true;
        }
        if (local) continue;
        ForwardedPort f{r.host, r.port, r.proto, {}};
        for (const auto& ns : elsewhere) f.elsewhere += (f.elsewhere.empty() ? "" : ", ") + escape_name(ns);
        report.forwarded.push_back(std::move(f));
    }
}

std::string outside_sentence(const ListenerRow& row) {
    const Listener& l = row.listener;
    const std::string where = exposure_of(l) == Exposure::all
                                  ? std::string("listens on all addresses")
                                  : fmt::format("listens on {}", l.address.to_string());
    const std::string head = fmt::format("{} {} ({}) {}", to_string(l.proto), l.port, owners_text(l), where);
    switch (row.outside) {
        case Outside::none:
            return "";
        case Outside::seen:
            return head + " and the scan saw it open from outside";
        case Outside::filtered:
            return head + " but the scan did not see it: filtered on the way";
    }
    return "";
}

std::string forwarded_sentence(const ForwardedPort& f) {
    std::string s = fmt::format(
        "{} {}/{} is open from outside but no socket of this host listens on it: forwarded (DNAT, "
        "docker-proxy) elsewhere",
        f.host.to_string(), f.port, to_string(f.proto));
    if (!f.elsewhere.empty()) s += fmt::format(", to namespace {}", f.elsewhere);
    return s;
}

}  // namespace ghostport::core
