// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/findings.hpp"

#include <gtest/gtest.h>

#include "audit_rows.hpp"
#include "core/diff.hpp"
#include "core/errors.hpp"

using namespace ghostport::core;
using test::row;

TEST(FailOn, ParsesEveryCondition) {
    const auto f = FailOn::parse("new,gone,changed,ghost,all-open,rarity>=8.5,unexpected,borrowed");
    EXPECT_TRUE(f.added && f.gone && f.changed && f.ghost && f.all_open && f.unexpected && f.borrowed);
    EXPECT_TRUE(f.needs_rarity());
    EXPECT_FALSE(FailOn::parse("ghost,all-open").needs_rarity());
    EXPECT_FALSE(FailOn::parse("all-open").needs_baseline());
    EXPECT_TRUE(f.needs_service_scan());
    EXPECT_FALSE(FailOn::parse("new,unexpected").needs_service_scan());
    ASSERT_TRUE(f.min_rarity);
    EXPECT_DOUBLE_EQ(*f.min_rarity, 8.5);
    EXPECT_TRUE(f.needs_baseline());
    EXPECT_FALSE(FailOn::parse("ghost").needs_baseline());
}

TEST(FailOn, BadItemsAreNamed) {
    for (std::string_view bad :
         {"", "new,", "news", "rarity>=", "rarity>=11", "rarity>=-1", "rarity>=nan", "rarity>9"}) {
        EXPECT_THROW(FailOn::parse(bad), InputError) << bad;
    }
    try {
        FailOn::parse("new,bogus");
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "bad --fail-on 'bogus': use new, gone, changed, ghost, all-open, rarity>=N, unexpected, "
                  "borrowed, unassigned, deleted-exe or label=NAME (comma-separated)");
    }
    EXPECT_THROW(FailOn::parse("label=bogus"), InputError);
    EXPECT_THROW(FailOn::parse("label="), InputError);
}

TEST(FailOn, LabelConditionsMatchOpenRowsWithTheLabel) {
    const FailOn f = FailOn::parse("label=self-signed,unassigned,deleted-exe");
    EXPECT_EQ(f.any_label, Labels{label_self_signed | label_unassigned | label_deleted_exe});
    ReportRow row;
    row.result.state = PortState::open;
    row.label.labels = label_deleted_exe | label_ghost;
    EXPECT_EQ(f.reasons(row), "deleted-exe");
    row.label.labels = label_ghost;
    EXPECT_EQ(f.reasons(row), "");
    row.label.labels = label_unassigned;
    row.result.state = PortState::closed;
    EXPECT_EQ(f.reasons(row), "");
}

TEST(FailOn, FindsMatchingRowsAndNeverExpectedOnes) {
    auto ghost = row("198.18.0.1", 1642, PortState::open, "isis-am", 9.5, label_ghost);
    ghost.change = Change::added;
    auto expected_ghost = ghost;
    expected_ghost.label.labels |= label_expected;
    auto common = row("198.18.0.1", 22, PortState::open, "ssh", 0.9);
    common.change = Change::unchanged;
    auto gone = row("198.18.0.1", 80, PortState::open, "http", 0.4);
    gone.change = Change::gone;
    auto closed = row("198.18.0.1", 81, PortState::closed, "", 9.9);
    const std::vector<ReportRow> rows{ghost, expected_ghost, common, gone, closed};

    auto found = findings(rows, FailOn::parse("new"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].row, &rows[0]);
    EXPECT_EQ(found[0].why, "new");
    EXPECT_EQ(findings(rows, FailOn::parse("gone")).size(), 1u);
    EXPECT_EQ(findings(rows, FailOn::parse("ghost")).size(), 1u);
    found = findings(rows, FailOn::parse("rarity>=9,new"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].why, "new, rarity 9.5 >= 9");
    // unexpected: open now and matched by no --expect line; the gone and closed rows are not listeners now.
    EXPECT_EQ(findings(rows, FailOn::parse("unexpected")).size(), 2u);
    EXPECT_TRUE(findings(rows, FailOn::parse("changed")).empty());
}

TEST(FailOn, BorrowedOpenRowsNameTheService) {
    auto borrowed = test::identified(
        row("198.18.0.10", 1642, PortState::open, "isis-am", 9.5, label_ghost | label_borrowed), "ssh");
    auto expected_borrowed = borrowed;
    expected_borrowed.label.labels |= label_expected;
    auto gone = borrowed;
    gone.change = Change::gone;
    auto own_port = test::identified(row("198.18.0.10", 22, PortState::open, "ssh", 0.9), "ssh");
    const std::vector<ReportRow> rows{borrowed, expected_borrowed, gone, own_port};
    const auto found = findings(rows, FailOn::parse("borrowed"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].row, &rows[0]);
    EXPECT_EQ(found[0].why, "borrowed by ssh");
    EXPECT_EQ(findings(rows, FailOn::parse("ghost,borrowed"))[0].why, "ghost, borrowed by ssh");
}

TEST(FailOn, UnexpectedServiceSaysWhatWasExpected) {
    auto r = test::identified(row("198.18.0.10", 1642), "http");
    r.expect_note = "expected ssh, found http";
    const std::vector<ReportRow> rows{r};
    const auto found = findings(rows, FailOn::parse("unexpected"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].why, "unexpected (expected ssh, found http)");
}

// A host that answers on every port is one all-open row: a finding for new and all-open, with or without
// a change against the baseline; never when expected or gone.
TEST(FailOn, AnAllOpenHostIsAFinding) {
    auto tarpit = row("198.18.0.7", 0, PortState::all_open);
    tarpit.label.rarity = std::nullopt;
    tarpit.change = Change::unchanged;  // all-open in the baseline too
    auto fresh = row("198.18.0.8", 0, PortState::all_open);
    fresh.label.rarity = std::nullopt;
    fresh.change = Change::added;
    auto expected = tarpit;
    expected.label.labels |= label_expected;
    auto gone = tarpit;
    gone.change = Change::gone;
    const std::vector<ReportRow> rows{tarpit, fresh, expected, gone};
    auto found = findings(rows, FailOn::parse("all-open"));
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].why, "all-open");
    found = findings(rows, FailOn::parse("new"));
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].why, "all-open");
    EXPECT_EQ(found[1].why, "new");
    EXPECT_EQ(findings(rows, FailOn::parse("new,all-open"))[1].why, "new, all-open");
    EXPECT_TRUE(findings(rows, FailOn::parse("ghost")).empty());
    EXPECT_TRUE(findings(rows, FailOn::parse("rarity>=0")).empty());  // no rarity: a host, not a port
}

TEST(FailOn, AnUnknownRarityIsNeverAtLeastN) {
    auto r = row("198.18.0.1", 1642, PortState::open, "isis-am");
    r.label.rarity = std::nullopt;
    EXPECT_TRUE(findings({r}, FailOn::parse("rarity>=0")).empty());
}

// Only open counts as a listener: a UDP port moving from closed to open|filtered is a change, never new;
// open|filtered -> open is new.
TEST(FailOn, OpenFilteredNeverFailsNew) {
    std::vector<ReportRow> baseline{test::udp(row("198.18.0.1", 161, PortState::closed, "snmp")),
                                    test::udp(row("198.18.0.1", 123, PortState::open_filtered, "ntp"))};
    std::vector<ReportRow> now{test::udp(row("198.18.0.1", 161, PortState::open_filtered, "snmp")),
                               test::udp(row("198.18.0.1", 123, PortState::open_filtered, "ntp"))};
    compare_with_baseline(now, baseline, [](const PortResult&) { return true; });
    EXPECT_EQ(now[0].change, Change::changed);
    EXPECT_TRUE(findings(now, FailOn::parse("new")).empty());
    EXPECT_TRUE(findings(now, FailOn::parse("new,ghost,unexpected,rarity>=0")).empty());
    EXPECT_EQ(findings(now, FailOn::parse("changed")).size(), 1u);

    std::vector<ReportRow> later{test::udp(row("198.18.0.1", 161, PortState::open_filtered, "snmp")),
                                 test::udp(row("198.18.0.1", 123, PortState::open, "ntp"))};
    compare_with_baseline(later, now, [](const PortResult&) { return true; });
    const auto found = findings(later, FailOn::parse("new"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].row->result.port, 123);
    EXPECT_EQ(found[0].why, "new");
}
