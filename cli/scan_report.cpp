// SPDX-License-Identifier: GPL-2.0-or-later
// The scan's report: its metadata, and the rows assembled from what the sweep and the stages after it found.
#include "cli/scan_report.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <map>

#include "registry/labeler.hpp"
#include "registry/registry_source.hpp"
#include "registry/service_judge.hpp"

namespace ghostport::cli {

namespace {

// The rows --show asks for, and every row compared with the baseline (a gone listener is closed now).
std::vector<core::ReportRow> shown_rows(std::vector<core::ReportRow> rows, const ShowStates& show) {
    std::erase_if(rows, [&](const core::ReportRow& r) {
        if (r.change != core::Change::none) return false;
        switch (r.result.state) {
            case core::PortState::open:
                return !show.open;
            case core::PortState::closed:
                return !show.closed;
            case core::PortState::filtered:
                return !show.filtered;
            case core::PortState::open_filtered:
                return !show.open_filtered;
            case core::PortState::all_open:
                return false;
        }
        return true;
    });
    return rows;
}

// The label of a host that answered SYN-ACK on more than --port-threshold ports: how many, and how many of
// those ports would be ghosts were they listed (each judged by the labeler, as an open port on its own).
// Its rarity is unknown: it names no port.
core::ServiceLabel all_open_label(const std::vector<core::PortResult>& open, std::size_t ports_scanned,
                                  core::Proto proto, const registry::Labeler& labeler) {
    std::uint64_t ghosts = 0;
    for (const auto& r : open) ghosts += labeler.label_port(r.port, r.proto, true, 1, 1).is_ghost();
    core::ServiceLabel label;
    label.description = fmt::format(
        "all-open: answered {} on {} of {} {} ports (a tarpit, an IPS answering everything, or a host "
        "full of listeners); {} of the {} open ports seen would be ghosts; ports not listed",
        proto == core::Proto::udp ? "UDP" : "SYN-ACK", open.size(), ports_scanned, core::to_string(proto),
        ghosts, open.size());
    return label;
}

}  // namespace

core::Report start_report(const ScanOptions& o, const ScanSetup& s, std::uint64_t probes_planned) {
    core::Report report;
    auto& meta = report.meta;
    meta.command_line = o.command_line;
    meta.engine = s.engine_name;
    meta.seed = s.seed;
    meta.shard = s.shard_spec;
    meta.registry_source = s.registry->source();
    meta.registry_snapshot = s.registry->snapshot_date();
    meta.registry_fill = s.registry->fill_source();
    meta.registry_fill_ports = s.registry->filled_ports();
    meta.prevalence_source = s.prevalence ? s.prevalence->source() : "";
    meta.hosts_targeted = s.targets.size();
    meta.ports_per_host = s.ports.size() + s.udp_ports.size();  // 53/tcp and 53/udp are two
    meta.probes_planned = probes_planned;
    meta.started_at = s.started_at;
    meta.service_scan = s.identification != nullptr || s.udp;  // UDP answers are named as they come
    meta.registry_stale = registry::snapshot_is_stale(meta.registry_snapshot, meta.started_at);
    if (!o.quiet)
        registry::warn_if_stale_once(meta.registry_snapshot, meta.registry_source, meta.started_at, stderr);
    return report;
}

void finish_report(core::Report& report, const ScanOptions& o, const ScanSetup& s, ResultCollector& collector,
                   const SweepOutcome& swept, const std::map<core::Address, std::string>& names) {
    auto& meta = report.meta;
    const auto& stats = swept.stats;
    meta.finished_at = std::chrono::system_clock::now();
    meta.probes_done = stats.done;
    if (swept.discovered || !o.resume_path.empty()) meta.probes_planned = stats.total;
    meta.partial = stats.done < stats.total || !swept.discovery_complete || swept.stopped;
    meta.hosts_up_list = collector.responsive_list();
    if (swept.discovered) {
        // Up: found by discovery, or answered on a port (a host may ignore every discovery probe).
        meta.hosts_up_list.clear();
        for (std::uint64_t i = 0; i < s.targets.size(); ++i)
            if (swept.host_up[i] || collector.responded(s.targets.at(i)))
                meta.hosts_up_list.push_back(s.targets.at(i));
    }
    meta.hosts_up = meta.hosts_up_list.size();
    meta.ports_scanned = core::port_list_text(s.ports);
    meta.udp_ports_scanned = core::port_list_text(s.udp_ports);
    meta.open = collector.count(core::PortState::open);
    meta.closed = collector.count(core::PortState::closed);
    meta.filtered = collector.count(core::PortState::filtered);
    meta.open_filtered = collector.count(core::PortState::open_filtered);

    const auto all_open = collector.collapse_all_open(o.port_threshold);
    auto services = collector.take_services();
    registry::Labeler labeler(*s.registry, s.prevalence ? &*s.prevalence : nullptr);
    report.rows = labeler.label(collector.take_results(), meta.hosts_up);
    for (auto& row : report.rows) {
        row.hostname = s.targets.hostname(row.result.host);
        if (row.hostname.empty()) {
            if (auto it = names.find(row.result.host); it != names.end()) row.hostname = it->second;
        }
        if (row.result.state == core::PortState::all_open) {
            const bool udp = row.result.proto == core::Proto::udp;
            row.label = all_open_label(all_open.at({row.result.host, row.result.proto}),
                                       udp ? s.udp_ports.size() : s.ports.size(), row.result.proto, labeler);
            if (meta.service_scan)
                row.service.extra_info = "not identified port by port: the host answers on every port";
        }
        if (auto it = services.find(core::key_of(row.result));
            it != services.end() && row.result.state == core::PortState::open)
            row.service = std::move(it->second);
    }
    if (meta.service_scan) {
        registry::mark_middleboxes(report.rows);
        labeler.judge_services(report.rows, meta.started_at);
    }
    // Every probed (host, port) of a baseline listener has a row (the collector watched them), so a listener
    // with no row was not probed by this scan (another target set or shard, or an interrupted scan), unless
    // discovery found its host down: then it is gone.
    std::vector<bool> tcp_scanned(65536, false), udp_scanned(65536, false);
    for (std::uint16_t p : s.ports) tcp_scanned[p] = true;
    for (std::uint16_t p : s.udp_ports) udp_scanned[p] = true;
    s.audit.annotate(report, [&](const core::PortResult& r) {
        const auto& scanned = r.proto == core::Proto::udp ? udp_scanned : tcp_scanned;
        if (!swept.discovered || !swept.discovery_complete || !scanned[r.port]) return false;
        const auto index = s.targets.index_of(r.host);
        return index && !swept.host_up[*index];
    });
    report.rows = shown_rows(std::move(report.rows), s.show);
}

}  // namespace ghostport::cli
