#include "core/report.hpp"

#include <gtest/gtest.h>

using namespace ghostport::core;

TEST(Report, LabelsRenderInFixedOrder) {
    EXPECT_EQ(labels_to_string(0), "");
    EXPECT_EQ(labels_to_string(label_dynamic | label_ghost | label_unassigned), "ghost;unassigned;dynamic");
    EXPECT_EQ(labels_to_string(label_locally_common | label_unauthorized_use_reported),
              "unauthorized-use-reported;locally-common");
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
