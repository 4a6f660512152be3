// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/order.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sample_report.hpp"

using ghostport::core::label_ghost;
using ghostport::core::ReportRow;
using ghostport::output::sort_rows;
using ghostport::output::test::make_row;

namespace {
std::vector<std::string> keys(const std::vector<ReportRow>& rows) {
    std::vector<std::string> out;
    for (const ReportRow& r : rows)
        out.push_back(r.result.host.to_string() + ":" + std::to_string(r.result.port));
    return out;
}
using Keys = std::vector<std::string>;
}  // namespace

TEST(Order, GhostsComeFirstEvenWhenLessRare) {
    std::vector<ReportRow> rows{make_row("192.0.2.1", 1, 9.9), make_row("192.0.2.1", 2, 1.0, label_ghost)};
    sort_rows(rows);
    EXPECT_EQ(keys(rows), (Keys{"192.0.2.1:2", "192.0.2.1:1"}));
}

TEST(Order, RarityDescendingWithinGhostsAndNonGhosts) {
    std::vector<ReportRow> rows{make_row("192.0.2.1", 1, 2.0), make_row("192.0.2.1", 2, 7.0, label_ghost),
                                make_row("192.0.2.1", 3, 5.0), make_row("192.0.2.1", 4, 9.0, label_ghost)};
    sort_rows(rows);
    EXPECT_EQ(keys(rows), (Keys{"192.0.2.1:4", "192.0.2.1:2", "192.0.2.1:3", "192.0.2.1:1"}));
}

TEST(Order, HostThenPortBreakTies) {
    std::vector<ReportRow> rows{make_row("2001:db8::1", 80, 3.0), make_row("192.0.2.10", 80, 3.0),
                                make_row("192.0.2.9", 443, 3.0), make_row("192.0.2.9", 80, 3.0)};
    sort_rows(rows);
    // Numeric address order (192.0.2.9 before 192.0.2.10), IPv4 before IPv6, then port.
    EXPECT_EQ(keys(rows), (Keys{"192.0.2.9:80", "192.0.2.9:443", "192.0.2.10:80", "2001:db8::1:80"}));
}

TEST(Order, RarityComparedAsPrinted) {
    // 9.74 and 9.66 both print as 9.7, so host order decides; 9.75 prints as 9.8 and comes first.
    std::vector<ReportRow> rows{make_row("192.0.2.2", 1, 9.74), make_row("192.0.2.1", 1, 9.66),
                                make_row("192.0.2.3", 1, 9.75)};
    sort_rows(rows);
    EXPECT_EQ(keys(rows), (Keys{"192.0.2.3:1", "192.0.2.1:1", "192.0.2.2:1"}));
}

TEST(Order, NanRaritySortsLastWithoutBreakingTheSort) {
    std::vector<ReportRow> rows{make_row("192.0.2.1", 1, std::numeric_limits<double>::quiet_NaN()),
                                make_row("192.0.2.1", 2, 0.0), make_row("192.0.2.1", 3, 4.0)};
    sort_rows(rows);
    EXPECT_EQ(keys(rows), (Keys{"192.0.2.1:3", "192.0.2.1:2", "192.0.2.1:1"}));
}

TEST(Order, EmptyAndSingle) {
    std::vector<ReportRow> rows;
    sort_rows(rows);
    EXPECT_TRUE(rows.empty());
    rows.push_back(make_row("192.0.2.1", 1, 1.0));
    sort_rows(rows);
    EXPECT_EQ(keys(rows), (Keys{"192.0.2.1:1"}));
}

// An all-open host (a finding, rarity unknown) comes with the ghosts, before rows of known rarity.
TEST(Order, AllOpenHostsComeWithTheGhosts) {
    auto common = make_row("198.18.0.1", 22, 0.9);
    auto tarpit = make_row("198.18.0.9", 0, 0.0);
    tarpit.result.state = ghostport::core::PortState::all_open;
    tarpit.label.rarity = std::nullopt;
    auto ghost = make_row("198.18.0.2", 1642, 9.5, ghostport::core::label_ghost);
    std::vector<ghostport::core::ReportRow> rows{common, tarpit, ghost};
    ghostport::output::sort_rows(rows);
    EXPECT_EQ(rows[0].result.port, 1642);
    EXPECT_EQ(rows[1].result.state, ghostport::core::PortState::all_open);
    EXPECT_EQ(rows[2].result.port, 22);
}
