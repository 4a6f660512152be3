// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/table.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "sample_report.hpp"

using ghostport::core::Report;
using ghostport::output::TableOptions;
using ghostport::output::write_table;
using namespace ghostport::output::test;

namespace {

std::string table_of(const Report& report, TableOptions opt = {}) {
    std::ostringstream out;
    write_table(out, report, opt);
    return out.str();
}

const std::string sample_summary =
    "3 hosts up of 17, 1,114,095 ports scanned (65,535 per host), 4 open, 2 ghosts, in 12.35 s\n"
    "registry: /usr/share/ghostport/service-names-port-numbers.csv (snapshot 2026-10-01)\n";

}  // namespace

TEST(Table, GoldenWithoutColor) {
    EXPECT_EQ(table_of(sample_report()),
              "  HOST                  PORT       RANGE       SERVICE               RARITY  LABELS\n"
              "! 198.18.0.5 (nas.lan)  1642/tcp   registered  isis-am (aka netbus)     9.7  "
              "ghost;unauthorized-use-reported\n"
              "! 2001:db8::7           49160/tcp  dynamic     -                        8.2  ghost;dynamic\n"
              "  198.18.0.9            8080/tcp   registered  http-alt                 2.5  -\n"
              "  198.18.0.5 (nas.lan)  22/tcp     well-known  ssh                      0.3  privileged\n"
              "\n" +
                  sample_summary + "prevalence: /usr/share/ghostport/prevalence.csv\n");
}

TEST(Table, StaleRegistryNoPrevalenceAndPartial) {
    Report report = sample_report();
    report.rows.resize(1);  // the ssh row
    report.meta.registry_stale = true;
    report.meta.prevalence_source.clear();
    report.meta.partial = true;
    report.meta.probes_done = 5000;
    report.meta.started_at = at(10, 0, 0, 0);
    report.meta.finished_at = at(10, 0, 1, 5);
    EXPECT_EQ(table_of(report),
              "  HOST                  PORT    RANGE       SERVICE  RARITY  LABELS\n"
              "  198.18.0.5 (nas.lan)  22/tcp  well-known  ssh         0.3  privileged\n"
              "\n"
              "3 hosts up of 17, 5,000 ports scanned (65,535 per host), 4 open, 0 ghosts, in 1.00 s\n"
              "registry: /usr/share/ghostport/service-names-port-numbers.csv (snapshot 2026-10-01)\n"
              "registry snapshot is older than a year: run `ghostport registry update`\n"
              "prevalence: none: rarity unknown; install nmap-common or pass --prevalence FILE\n"
              "PARTIAL: interrupted after 5,000 of 1,114,095 probes\n");
}

TEST(Table, ShowStateAddsAStateColumn) {
    Report report = sample_report();
    auto closed = make_row("198.18.0.9", 23, 1.2, 0, "telnet");
    closed.result.state = ghostport::core::PortState::closed;
    closed.result.reason = ghostport::core::Reason::rst;
    auto filtered = make_row("198.18.0.9", 25, 1.1, 0, "smtp");
    filtered.result.state = ghostport::core::PortState::filtered;
    filtered.result.reason = ghostport::core::Reason::no_response;
    report.rows = {filtered, closed, report.rows[3]};
    const std::string table = table_of(report, {.color = false, .show_state = true});
    EXPECT_EQ(
        table.substr(0, table.find("\n\n") + 1),
        "  HOST                  PORT      STATE                 RANGE       SERVICE               RARITY  "
        "LABELS\n"
        "! 198.18.0.5 (nas.lan)  1642/tcp  open/syn-ack          registered  isis-am (aka netbus)     9.7  "
        "ghost;unauthorized-use-reported\n"
        "  198.18.0.9            23/tcp    closed/rst            well-known  telnet                   1.2  "
        "-\n"
        "  198.18.0.9            25/tcp    filtered/no-response  well-known  smtp                     1.1  "
        "-\n");
}

TEST(Table, EmptyReports) {
    Report report = sample_report();
    report.rows.clear();
    report.meta.registry_snapshot.clear();
    const std::string open_only = table_of(report);
    EXPECT_EQ(open_only.substr(0, open_only.find('\n', open_only.find('\n') + 1) + 1),
              "no open ports found\n\n");
    EXPECT_NE(open_only.find("0 ghosts"), std::string::npos);
    EXPECT_NE(open_only.find("(snapshot unknown)"), std::string::npos);
    const std::string with_state = table_of(report, {.color = false, .show_state = true});
    EXPECT_EQ(with_state.rfind("no ports to show\n\n", 0), 0u);
}

TEST(Table, ColorMarksGhostRowsAndWarnings) {
    Report report = sample_report();
    report.meta.partial = true;
    report.meta.registry_stale = true;
    const std::string plain = table_of(report);
    EXPECT_EQ(plain.find('\x1b'), std::string::npos) << "no ANSI without color";

    const std::string colored = table_of(report, {.color = true, .show_state = false});
    EXPECT_NE(colored.find("\x1b[1;31m! 198.18.0.5 (nas.lan)  1642/tcp"), std::string::npos);
    EXPECT_NE(colored.find("\x1b[1;31m! 2001:db8::7"), std::string::npos);
    EXPECT_NE(colored.find("ghost;dynamic\x1b[0m\n"), std::string::npos);
    EXPECT_NE(colored.find("\n  198.18.0.9            8080/tcp"), std::string::npos)
        << "non-ghost rows plain";
    EXPECT_NE(colored.find("\x1b[33mPARTIAL: "), std::string::npos);
    EXPECT_NE(colored.find("\x1b[33mregistry snapshot is older"), std::string::npos);
}

TEST(Table, HostileTextCannotReachTheTerminal) {
    Report report;
    report.rows = {make_row("192.0.2.1", 80, 1.0, 0, "http\x1b]0;pwned\x07", "evil\x1b[2J\xC2\x9B")};
    report.rows[0].label.known_as = "x\ry";
    report.meta.registry_source = "/tmp/\x1b[31mreg.csv";
    report.meta.prevalence_source = "/tmp/p\nrev.csv";
    const std::string table = table_of(report);
    EXPECT_EQ(table.find('\x1b'), std::string::npos);
    EXPECT_EQ(table.find('\r'), std::string::npos);
    EXPECT_EQ(table.find('\x07'), std::string::npos);
    EXPECT_NE(table.find("192.0.2.1 (evil?[2J?)"), std::string::npos) << table;
    EXPECT_NE(table.find("http?]0;pwned? (aka x?y)"), std::string::npos) << table;
    EXPECT_NE(table.find("prevalence: /tmp/p?rev.csv\n"), std::string::npos) << table;
}

TEST(Table, ColumnsAlignOnCodePointsNotBytes) {
    Report report;
    report.rows = {make_row("192.0.2.1", 80, 1.0, 0, "caf\xC3\xA9"),
                   make_row("192.0.2.2", 80, 1.0, 0, "cafe")};
    const std::string table = table_of(report);
    EXPECT_NE(table.find("caf\xC3\xA9        1.0"), std::string::npos) << table;
    EXPECT_NE(table.find("cafe        1.0"), std::string::npos) << table;
}

TEST(Table, DetectedColumnOnlyWithServiceScan) {
    // The same rows with identification results but without -sV in the meta: the table of today.
    Report report = service_report();
    report.meta.service_scan = false;
    EXPECT_EQ(table_of(report).find("DETECTED"), std::string::npos);

    EXPECT_EQ(
        table_of(service_report()),
        "  HOST                  PORT       RANGE       SERVICE               DETECTED                     "
        "       RARITY  LABELS\n"
        "! 198.18.0.5 (nas.lan)  1642/tcp   registered  isis-am (aka netbus)  unknown                      "
        "          9.7  ghost;unauthorized-use-reported\n"
        "! 2001:db8::7           49160/tcp  dynamic     -                     -                            "
        "          8.2  ghost;dynamic\n"
        "  198.18.0.9            8080/tcp   registered  http-alt              ssl/http nginx 1.22.1        "
        "          2.5  borrowed;self-signed\n"
        "  198.18.0.5 (nas.lan)  22/tcp     well-known  ssh                   ssh OpenSSH 9.2p1 Debian 2+deb"
        "12u3     0.3  privileged\n"
        "\n" +
            sample_summary + "prevalence: /usr/share/ghostport/prevalence.csv\n");
}

TEST(Table, DetectedServiceStringsAreTerminalSafe) {
    Report report = service_report();
    for (auto& row : report.rows) {
        if (row.result.port != 22) continue;
        row.service.product = std::string("Open\x1b]0;owned\x07SSH\0\r\n", 20);
        row.service.version =
            "\xC2\x9B"
            "31m\xFF";  // C1 CSI and a stray byte
        row.label.labels |= ghostport::core::label_cert_expired;
    }
    const std::string text = table_of(report);
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    EXPECT_EQ(text.find('\x07'), std::string::npos);
    EXPECT_EQ(text.find('\0'), std::string::npos);
    EXPECT_EQ(text.find('\r'), std::string::npos);
    EXPECT_EQ(text.find("\xC2\x9B"), std::string::npos);
    EXPECT_NE(text.find("ssh Open?]0;owned?SSH??? ?31m\xEF\xBF\xBD"), std::string::npos) << text;
    EXPECT_NE(text.find("privileged;cert-expired"), std::string::npos) << text;
}

TEST(Table, TheRegistryLineSaysWhenEtcServicesFilledPorts) {
    Report report = sample_report();
    report.meta.registry_fill = "/etc/services";
    report.meta.registry_fill_ports = 412;
    EXPECT_NE(table_of(report).find("registry: /usr/share/ghostport/service-names-port-numbers.csv (snapshot "
                                    "2026-10-01) + /etc/services for 412 ports\n"),
              std::string::npos);
}

// A port open on four of five hosts is one line saying so, with its hosts below it; an unknown rarity is
// "-"; an all-open host shows what it answered.
TEST(Table, APortOpenOnSeveralHostsIsOneLineWithItsHosts) {
    Report report;
    report.meta.hosts_up = 5;
    for (int h = 1; h <= 4; ++h) {
        auto row = make_row("198.18.0." + std::to_string(h), 1642, 9.5,
                            ghostport::core::label_ghost | ghostport::core::label_fleet_wide, "isis-am");
        row.label.hosts_open = 4;
        report.rows.push_back(row);
    }
    auto unknown = make_row("198.18.0.5", 22, 0.0, 0, "ssh");
    unknown.label.rarity = std::nullopt;
    report.rows.push_back(unknown);
    auto tarpit = make_row("198.18.0.6", 0, 0.0);
    tarpit.result.state = ghostport::core::PortState::all_open;
    tarpit.label.rarity = std::nullopt;
    tarpit.label.description = "all-open: 3 of the 2000 open ports seen would be ghosts";
    report.rows.push_back(tarpit);
    const std::string table = table_of(report);
    EXPECT_NE(table.find("! open on 4 of 5 hosts  1642/tcp  registered  isis-am"), std::string::npos)
        << table;
    EXPECT_NE(
        table.find("9.5  ghost;fleet-wide\n    198.18.0.1\n    198.18.0.2\n    198.18.0.3\n    198.18.0.4\n"),
        std::string::npos)
        << table;
    const std::size_t ssh = table.find("22/tcp");
    ASSERT_NE(ssh, std::string::npos);
    EXPECT_EQ(table.substr(table.find('\n', ssh) - 5, 5), " -  -") << table;  // "-": the rarity is unknown
    EXPECT_NE(table.find("198.18.0.6            all"), std::string::npos) << table;
    EXPECT_NE(table.find("all-open: 3 of the 2000 open ports seen would be ghosts"), std::string::npos)
        << table;
    EXPECT_EQ(table.find("1642/tcp", table.find("1642/tcp") + 1), std::string::npos) << "one line for 1642";
}

// UDP rows: 53/tcp and 53/udp on two lines, open|filtered as a state, and the summary counts open|filtered
// apart from open.
TEST(Table, UdpRowsAndOpenFilteredCount) {
    Report report = sample_report();
    auto tcp = make_row("198.18.0.9", 53, 1.0, 0, "domain");
    auto udp = make_row("198.18.0.9", 53, 1.0, 0, "domain");
    udp.result.proto = ghostport::core::Proto::udp;
    udp.result.state = ghostport::core::PortState::open_filtered;
    udp.result.reason = ghostport::core::Reason::no_response;
    report.rows = {udp, tcp};
    report.meta.open_filtered = 1200;
    const std::string table = table_of(report, {.color = false, .show_state = true});
    EXPECT_NE(table.find("53/tcp  open/syn-ack "), std::string::npos) << table;
    EXPECT_NE(table.find("53/udp  open|filtered/no-response"), std::string::npos) << table;
    EXPECT_NE(table.find(", 4 open, 1,200 open|filtered, 0 ghosts,"), std::string::npos) << table;
    report.meta.open_filtered = 0;
    EXPECT_EQ(table_of(report).find("open|filtered,"), std::string::npos);
}
