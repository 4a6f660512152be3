#include "core/report.hpp"

#include <gtest/gtest.h>

using namespace ghostport::core;

TEST(Report, LabelsRenderInFixedOrder) {
    EXPECT_EQ(labels_to_string(0), "");
    EXPECT_EQ(labels_to_string(label_dynamic | label_ghost | label_unassigned), "ghost;unassigned;dynamic");
    EXPECT_EQ(labels_to_string(label_locally_common | label_unauthorized_use_reported),
              "unauthorized-use-reported;locally-common");
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
