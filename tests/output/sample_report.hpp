// SPDX-License-Identifier: GPL-2.0-or-later
// Test-only builders for report rows and a small sample report shared by the sink tests.
#pragma once

#include <chrono>
#include <string>

#include "core/report.hpp"

namespace ghostport::output::test {

inline std::chrono::system_clock::time_point at(int hour, int minute, int second, int millis) {
    using namespace std::chrono;
    return sys_days{year{2026} / 11 / 22} + hours{hour} + minutes{minute} + seconds{second} +
           milliseconds{millis};
}

inline core::ReportRow make_row(std::string_view host, std::uint16_t port, double rarity,
                                core::Labels labels = 0, std::string service = "",
                                std::string hostname = "") {
    core::ReportRow row;
    row.result.host = *core::Address::parse(host);
    row.result.port = port;
    row.result.proto = core::Proto::tcp;
    row.result.state = core::PortState::open;
    row.result.reason = core::Reason::syn_ack;
    row.result.rtt_us = 1500;
    row.result.scanned_at = at(10, 0, 1, 250);
    row.hostname = std::move(hostname);
    row.label.service = std::move(service);
    row.label.description = row.label.service;
    row.label.status =
        row.label.service.empty() ? core::RegistryStatus::unassigned : core::RegistryStatus::assigned;
    row.label.rarity = rarity;
    row.label.labels = labels;
    return row;
}

// Four open ports on three hosts; two ghosts. Rows are deliberately out of report order.
inline core::Report sample_report() {
    core::Report report;
    core::ReportMeta& m = report.meta;
    m.command_line = "ghostport -p- 198.18.0.0/28 2001:db8::7";
    m.started_at = at(10, 0, 0, 0);
    m.finished_at = at(10, 0, 12, 345);
    m.engine = "connect";
    m.registry_source = "/usr/share/ghostport/service-names-port-numbers.csv";
    m.registry_snapshot = "2026-10-01";
    m.prevalence_source = "/usr/share/ghostport/prevalence.csv";
    m.hosts_targeted = 17;
    m.hosts_up = 3;
    m.ports_per_host = 65535;
    m.probes_planned = 17 * 65535;
    m.probes_done = 17 * 65535;
    m.open = 4;
    m.closed = 131066;
    m.filtered = 982961;

    core::ReportRow ssh = make_row("198.18.0.5", 22, 0.3, core::label_privileged, "ssh", "nas.lan");
    ssh.label.description = "The Secure Shell (SSH) Protocol";
    ssh.label.prevalence = 0.31;
    ssh.result.rtt_us = 412;
    core::ReportRow netbus =
        make_row("198.18.0.5", 1642, 9.7, core::label_ghost | core::label_unauthorized_use_reported,
                 "isis-am", "nas.lan");
    netbus.label.description = "isis-am";
    netbus.label.known_as = "netbus";
    netbus.label.prevalence = 0.000012;
    core::ReportRow dyn = make_row("2001:db8::7", 49160, 8.2, core::label_ghost | core::label_dynamic);
    dyn.label.status = core::RegistryStatus::unknown;
    core::ReportRow http = make_row("198.18.0.9", 8080, 2.5, 0, "http-alt");
    http.label.description = "HTTP Alternate (see port 80)";
    http.label.prevalence = 0.042;
    report.rows = {ssh, http, dyn, netbus};
    return report;
}

// The sample as scan -sV reports it: the ssh row identified (product, version, CPE, host key), the
// http-alt row identified as TLS-wrapped nginx with a self-signed certificate, the two ghosts left
// unidentified (one "unknown", one not probed).
inline core::Report service_report() {
    core::Report report = sample_report();
    report.meta.service_scan = true;
    report.meta.command_line += " -sV";
    for (core::ReportRow& row : report.rows) {
        core::ServiceInfo& s = row.service;
        if (row.result.port == 22) {
            s.name = "ssh";
            s.product = "OpenSSH";
            s.version = "9.2p1 Debian 2+deb12u3";
            s.extra_info = "protocol 2.0";
            s.cpe = "cpe:/a:openbsd:openssh:9.2p1";
            s.fingerprint = "ssh-ed25519 SHA256:Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6";
            s.banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\\r\\n";
            s.conversations = 1;
        } else if (row.result.port == 8080) {
            s.name = "http";
            s.product = "nginx";
            s.version = "1.22.1";
            s.tls = "TLSv1.3";
            s.cert_subject = "CN=lab.test,O=ghostport";
            s.cert_san = "DNS:lab.test;IP:198.18.0.9";
            s.cert_issuer = "CN=lab.test,O=ghostport";
            s.cert_not_after = "2027-01-01T00:00:00Z";
            s.cert_self_signed = true;
            s.cpe = "cpe:/a:f5:nginx:1.22.1";
            s.fingerprint = "sha256:" + std::string(64, 'a');
            s.banner = "HTTP/1.1 400 Bad Request\\r\\nServer: nginx/1.22.1\\r\\n";
            s.conversations = 3;
            row.label.labels |= core::label_self_signed | core::label_borrowed;
        } else if (row.result.port == 1642) {
            s.name = "unknown";
            s.banner = "\\x00\\x01netbus?";
            s.conversations = 4;
        }
    }
    return report;
}

}  // namespace ghostport::output::test
