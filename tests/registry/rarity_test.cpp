// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/rarity.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>

#include "real_files.hpp"

using ghostport::core::Proto;
using ghostport::core::RegistryStatus;
using ghostport::registry::assess;
using ghostport::registry::Rarity;
using ghostport::registry::RarityInput;
using ghostport::registry::Registry;
using ghostport::registry::detail::describe_frequency;
namespace core = ghostport::core;
namespace t = ghostport::registry::testing;

namespace {

RarityInput open_port(std::uint16_t port, RegistryStatus status, double p) {
    return {.port = port,
            .proto = Proto::tcp,
            .status = status,
            .prevalence = p,
            .unauthorized_use = false,
            .open = true,
            .hosts_open = 0,
            .hosts_up = 0};
}

bool has(const Rarity& r, core::Label l) {
    return (r.labels & l) != 0;
}

bool has_reason(const Rarity& r, std::string_view text) {
    for (const auto& s : r.reasons)
        if (s.find(text) != std::string::npos) return true;
    return false;
}

// Rarity of a port open on its own, from the real registry and prevalence file.
Rarity real(std::uint16_t port) {
    const auto info = t::iana_2025().lookup(port, Proto::tcp);
    const auto* e = t::nmap_services().lookup(port, Proto::tcp);
    bool unauthorized = false;
    for (const auto* r : info.records) unauthorized = unauthorized || !r->unauthorized_use.empty();
    auto in = open_port(port, info.status, e ? e->frequency : 0.0);
    in.unauthorized_use = unauthorized;
    return assess(in);
}

}  // namespace

TEST(Rarity, FormulaValues) {
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::assigned, 1.0)).score.value(), 0.0);
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::assigned, 0.0)).score.value(), 9.5);
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::assigned, 1e-8)).score.value(), 9.5);
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::assigned, 1e-4)).score.value(), 9.5 * 4 / 8);
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::unknown, 1e-4)).score.value(), 9.5 * 4 / 8);
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::unassigned, 1e-4)).score.value(), 9.0 + 4.0 / 8);
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::unassigned, 1.0)).score.value(), 9.0);
    EXPECT_DOUBLE_EQ(assess(open_port(5000, RegistryStatus::reserved, 0.0)).score.value(), 10.0);
}

// 4/tcp is unassigned, yet nmap-services has it open on 0.000477 of hosts: it still tops the scale.
TEST(Rarity, UnassignedStaysNearTheTopEvenWhenSeenOpen) {
    const Rarity r = assess(open_port(4, RegistryStatus::unassigned, 0.000477));
    EXPECT_GE(r.score.value(), 9.0);
    EXPECT_TRUE(has(r, core::label_ghost));
    double last = 11;
    for (double p : {0.0, 1e-6, 1e-3, 0.5, 1.0}) {
        const double s = assess(open_port(4, RegistryStatus::unassigned, p)).score.value();
        EXPECT_LE(s, last) << p;
        last = s;
    }
}

TEST(Rarity, MonotoneInPrevalence) {
    double last = 11;
    for (double p : {0.0, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.5, 1.0}) {
        const double s = assess(open_port(5000, RegistryStatus::assigned, p)).score.value();
        EXPECT_LE(s, last) << p;
        EXPECT_GE(s, 0.0);
        EXPECT_LE(s, 10.0);
        last = s;
    }
    EXPECT_LT(assess(open_port(5000, RegistryStatus::assigned, 1e-3)).score.value(),
              assess(open_port(5000, RegistryStatus::assigned, 1e-4)).score.value());
}

TEST(Rarity, GhostNeedsOpenAndRareOrUnassigned) {
    EXPECT_TRUE(has(assess(open_port(5000, RegistryStatus::assigned, 0.0)), core::label_ghost));
    EXPECT_TRUE(has(assess(open_port(5000, RegistryStatus::assigned, 9e-6)), core::label_ghost));
    EXPECT_FALSE(has(assess(open_port(5000, RegistryStatus::assigned, 1e-5)), core::label_ghost));
    EXPECT_TRUE(has(assess(open_port(5000, RegistryStatus::unassigned, 0.2)), core::label_ghost));
    EXPECT_TRUE(has(assess(open_port(5000, RegistryStatus::reserved, 0.2)), core::label_ghost));
    auto closed = open_port(5000, RegistryStatus::unassigned, 0.0);
    closed.open = false;
    const Rarity r = assess(closed);
    EXPECT_FALSE(has(r, core::label_ghost));
    EXPECT_TRUE(has(r, core::label_unassigned));
    EXPECT_DOUBLE_EQ(r.score.value(), 10.0);  // the score does not depend on the state
}

// A backdoor on every machine of a fleet is still a ghost with its worldwide rarity: how many scanned hosts
// share a port is its own fact (fleet-wide), never a discount.
TEST(Rarity, SharingAPortAcrossHostsNeverLowersItOrHidesTheGhost) {
    auto in = open_port(1642, RegistryStatus::assigned, 0.0);
    const double alone = assess(in).score.value();
    in.hosts_up = 5;
    for (std::uint32_t n = 1; n <= 5; ++n) {
        in.hosts_open = n;
        const Rarity r = assess(in);
        EXPECT_DOUBLE_EQ(r.score.value(), alone) << n;
        EXPECT_TRUE(has(r, core::label_ghost)) << n;
        EXPECT_EQ(has(r, core::label_fleet_wide), n >= 3) << n;  // at least half of 5
        EXPECT_TRUE(has_reason(r, fmt::format("open on {} of 5 hosts up in this scan", n))) << n;
    }

    in.hosts_up = 2;  // fewer than 3 hosts up: never fleet-wide
    in.hosts_open = 2;
    EXPECT_FALSE(has(assess(in), core::label_fleet_wide));
    in.hosts_up = 7;  // 3 of 7 is under half
    in.hosts_open = 3;
    EXPECT_FALSE(has(assess(in), core::label_fleet_wide));
    in.hosts_open = 4;
    EXPECT_TRUE(has(assess(in), core::label_fleet_wide));
    in.open = false;  // a closed row is not a listener, fleet-wide or not
    EXPECT_FALSE(has(assess(in), core::label_fleet_wide));
}

// Without prevalence data the rarity is unknown; only what the registry alone says makes a ghost.
TEST(Rarity, UnknownWithoutPrevalenceAndNoGuessedLabels) {
    auto in = open_port(1642, RegistryStatus::assigned, 0.0);
    in.prevalence = std::nullopt;
    Rarity r = assess(in);
    EXPECT_FALSE(r.score.has_value());
    EXPECT_FALSE(has(r, core::label_ghost));  // p < 1e-5 is not guessed
    EXPECT_TRUE(has_reason(r, "no prevalence data"));

    in.status = RegistryStatus::unassigned;
    r = assess(in);
    EXPECT_FALSE(r.score.has_value());
    EXPECT_TRUE(has(r, core::label_ghost));  // unassigned needs no prevalence
    EXPECT_TRUE(has(r, core::label_unassigned));
}

TEST(Rarity, RangeAndRegistryLabels) {
    auto in = open_port(80, RegistryStatus::assigned, 0.5);
    EXPECT_EQ(assess(in).labels, core::label_privileged);
    in.port = 1023;
    EXPECT_TRUE(has(assess(in), core::label_privileged));
    in.port = 1024;
    EXPECT_EQ(assess(in).labels, 0u);
    in.port = 49152;
    EXPECT_EQ(assess(in).labels, core::label_dynamic);
    in.unauthorized_use = true;
    const Rarity r = assess(in);
    EXPECT_TRUE(has(r, core::label_unauthorized_use_reported));
    EXPECT_TRUE(has_reason(r, "unauthorized use reported"));
    in.status = RegistryStatus::reserved;
    EXPECT_TRUE(has(assess(in), core::label_reserved));
}

TEST(Rarity, ReasonsAreShortSentences) {
    const Rarity r = assess(open_port(642, RegistryStatus::unassigned, 0.000075));
    EXPECT_TRUE(has_reason(r, "IANA: unassigned"));
    EXPECT_TRUE(has_reason(r, "observed open-frequency 0.000075 (1 in 13,000 hosts)"));
    EXPECT_TRUE(has_reason(r, "privileged port"));
}

TEST(Rarity, DescribeFrequency) {
    EXPECT_EQ(describe_frequency(0), "0");
    EXPECT_EQ(describe_frequency(0.000075), "0.000075 (1 in 13,000 hosts)");
    EXPECT_EQ(describe_frequency(0.484143), "0.484143 (1 in 2 hosts)");
    EXPECT_EQ(describe_frequency(0.03), "0.030000 (1 in 33 hosts)");
    EXPECT_EQ(describe_frequency(0.000001), "0.000001 (1 in 1,000,000 hosts)");
    EXPECT_EQ(describe_frequency(2e-7), "2.0e-07 (1 in 5,000,000 hosts)");
}

TEST(Rarity, SyntheticUnassignedPortTopsTheScale) {
    const auto reg = Registry::from_iana_csv(
        "Service Name,Port Number,Transport Protocol,Description\n,1,,Unassigned\n", "synthetic");
    const auto info = reg.lookup(1, Proto::tcp);
    ASSERT_EQ(info.status, RegistryStatus::unassigned);
    const Rarity r = assess(open_port(1, info.status, 0.0));
    EXPECT_GE(r.score.value(), 9.0);
    EXPECT_TRUE(has(r, core::label_ghost));
}

TEST(RarityReal, AnchorsWithTheRealFiles) {
    GHOSTPORT_SKIP_UNLESS(t::iana_2025_path);
    GHOSTPORT_SKIP_UNLESS(t::nmap_services_path);
    EXPECT_LE(real(80).score.value(), 1.0);
    EXPECT_FALSE(has(real(80), core::label_ghost));
    EXPECT_LE(real(22).score.value(), 1.0);

    const Rarity isis = real(1642);
    EXPECT_GE(isis.score.value(), 9.0);
    EXPECT_TRUE(has(isis, core::label_ghost));

    ASSERT_EQ(t::iana_2025().lookup(36, Proto::tcp).status, RegistryStatus::unassigned);
    const Rarity unassigned = real(36);
    EXPECT_GE(unassigned.score.value(), 9.0);
    EXPECT_TRUE(has(unassigned, core::label_ghost));
    EXPECT_TRUE(has(unassigned, core::label_unassigned));

    const Rarity esro = real(642);
    EXPECT_GT(esro.score.value(), 2.0);
    EXPECT_LT(esro.score.value(), 8.0);

    EXPECT_TRUE(has(real(79), core::label_unauthorized_use_reported));
}
