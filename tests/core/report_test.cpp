// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/report.hpp"

#include <gtest/gtest.h>

using namespace ghostport::core;

TEST(Report, LabelsRenderInFixedOrder) {
    EXPECT_EQ(labels_to_string(0), "");
    EXPECT_EQ(labels_to_string(label_dynamic | label_ghost | label_unassigned), "ghost;unassigned;dynamic");
    EXPECT_EQ(labels_to_string(label_fleet_wide | label_unauthorized_use_reported),
              "unauthorized-use-reported;fleet-wide");
    EXPECT_EQ(labels_to_string(1u << 6), "");  // was locally-common: no longer written
}

TEST(Report, FleetWideIsHalfOfThreeOrMoreHostsUp) {
    EXPECT_TRUE(is_fleet_wide(4, 5));
    EXPECT_TRUE(is_fleet_wide(2, 4));
    EXPECT_TRUE(is_fleet_wide(2, 3));
    EXPECT_FALSE(is_fleet_wide(1, 3));
    EXPECT_FALSE(is_fleet_wide(3, 7));
    EXPECT_FALSE(is_fleet_wide(2, 2));  // fewer than 3 hosts up
    EXPECT_FALSE(is_fleet_wide(0, 0));
}

TEST(Report, CountHostsOpenSetsTheCountAndFleetWide) {
    std::vector<ReportRow> rows;
    auto add = [&](std::uint32_t host, std::uint16_t port, PortState state) {
        ReportRow& row = rows.emplace_back();
        row.result.host = Address::from_v4(0xC6120000u + host);
        row.result.port = port;
        row.result.state = state;
    };
    for (std::uint32_t h = 1; h <= 4; ++h) add(h, 1642, PortState::open);
    add(1, 1642, PortState::open);  // a duplicate counts once
    add(5, 1642, PortState::closed);
    add(5, 22, PortState::open);
    rows[6].label.labels = label_fleet_wide;  // stale: cleared
    count_hosts_open(rows, 5);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(rows[i].label.hosts_open, 4u) << i;
        EXPECT_TRUE(rows[i].label.labels & label_fleet_wide) << i;
    }
    EXPECT_EQ(rows[5].label.hosts_open, 4u);
    EXPECT_FALSE(rows[5].label.labels & label_fleet_wide);  // closed here
    EXPECT_EQ(rows[6].label.hosts_open, 1u);
    EXPECT_EQ(rows[6].label.labels, 0u);
}

TEST(Report, DeletedExeLabelHasItsNameBothWays) {
    EXPECT_EQ(labels_to_string(label_deleted_exe | label_ghost), "ghost;deleted-exe");
    EXPECT_EQ(label_named("deleted-exe"), label_deleted_exe);
    EXPECT_EQ(label_named("ghost"), label_ghost);
    EXPECT_FALSE(label_named("bogus").has_value());
    EXPECT_FALSE(label_named("").has_value());
}

TEST(Report, PortRanges) {
    EXPECT_EQ(range_of(0), PortRange::well_known);
    EXPECT_EQ(range_of(1023), PortRange::well_known);
    EXPECT_EQ(range_of(1024), PortRange::registered);
    EXPECT_EQ(range_of(49151), PortRange::registered);
    EXPECT_EQ(range_of(49152), PortRange::dynamic);
    EXPECT_EQ(to_string(range_of(65535)), "dynamic");
}

TEST(Report, Iso8601UtcWithMilliseconds) {
    auto t = std::chrono::system_clock::time_point{std::chrono::milliseconds{1795348800123}};
    EXPECT_EQ(iso8601_utc(t), "2026-11-22T12:00:00.123Z");
}

TEST(Report, PortListTextCollapsesRuns) {
    EXPECT_EQ(port_list_text({}), "");
    EXPECT_EQ(port_list_text({80}), "80");
    EXPECT_EQ(port_list_text({1642, 1, 2, 3, 22, 2}), "1-3,22,1642");
    EXPECT_EQ(port_list_text({81, 80}), "80-81");
    EXPECT_EQ(port_list_text({0, 65535, 65534}), "0,65534-65535");
    std::vector<std::uint16_t> all;
    for (unsigned p = 1; p <= 1024; ++p) all.push_back(static_cast<std::uint16_t>(p));
    all.push_back(1642);
    EXPECT_EQ(port_list_text(all), "1-1024,1642");
    std::vector<std::uint16_t> every;
    for (unsigned p = 0; p <= 65535; ++p) every.push_back(static_cast<std::uint16_t>(p));
    EXPECT_EQ(port_list_text(every), "0-65535");
}

TEST(Report, StatusNamesIncludeTheServicesFile) {
    EXPECT_EQ(to_string(RegistryStatus::services_file), "etc-services");
    EXPECT_EQ(to_string(RegistryStatus::unknown), "unknown");
}

TEST(Report, RegistrySummaryNamesSourceDateAndFill) {
    ReportMeta m;
    EXPECT_EQ(registry_summary(m), "none");
    m.registry_source = "/usr/share/ipv6toolkit/service-names-port-numbers.csv";
    EXPECT_EQ(registry_summary(m),
              "/usr/share/ipv6toolkit/service-names-port-numbers.csv (snapshot unknown)");
    m.registry_snapshot = "2014-07-09";
    m.registry_fill = "/etc/services";
    m.registry_fill_ports = 412;
    EXPECT_EQ(registry_summary(m),
              "/usr/share/ipv6toolkit/service-names-port-numbers.csv (snapshot 2014-07-09) + /etc/services "
              "for 412 ports");
    m.registry_fill_ports = 1;
    EXPECT_NE(registry_summary(m).find("for 1 port"), std::string::npos);
    EXPECT_EQ(registry_summary(m).find("ports"), std::string::npos);
}
