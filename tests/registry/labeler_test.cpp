// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/labeler.hpp"

#include <gtest/gtest.h>

#include "real_files.hpp"

using ghostport::core::Address;
using ghostport::core::PortResult;
using ghostport::core::PortState;
using ghostport::core::Proto;
using ghostport::core::RegistryStatus;
using ghostport::registry::Labeler;
using ghostport::registry::Prevalence;
using ghostport::registry::Registry;
namespace core = ghostport::core;
namespace t = ghostport::registry::testing;

namespace {

const Registry& registry() {
    static const Registry r = Registry::from_iana_csv(
        "Service Name,Port Number,Transport Protocol,Description,Unauthorized Use Reported\n"
        "ssh,22,tcp,The Secure Shell (SSH) Protocol,\n"
        "finger,79,tcp,Finger,misuse by mail users\n"
        ",81,,Unassigned,\n"
        "italk,12345,tcp,Italk Chat System,\n"
        "www,8080,tcp,Web alternate,\n"
        "snmp,161,udp,SNMP,\n"
        ",162,tcp,Unassigned,\n"
        ",31337,udp,Unassigned,\n",
        "iana.csv");
    return r;
}

const Prevalence& prevalence() {
    static const Prevalence p = Prevalence::parse(
        "ssh\t22/tcp\t0.182286\n"
        "finger\t79/tcp\t0.006022\n"
        "unknown\t81/tcp\t0.012056\n"
        "netbus\t12345/tcp\t0.000527\n"
        "http-proxy\t8080/tcp\t0.042052\n"
        "snmp\t161/udp\t0.433\n",
        "nmap-services");
    return p;
}

PortResult result(int host, std::uint16_t port, PortState state) {
    PortResult r;
    r.host = Address::from_v4(0xC6120000u + static_cast<std::uint32_t>(host));  // 198.18.0.x
    r.port = port;
    r.proto = Proto::tcp;
    r.state = state;
    return r;
}

}  // namespace

TEST(Labeler, FillsEveryFieldFromRegistryAndPrevalence) {
    const Labeler labeler(registry(), &prevalence());
    const auto rows = labeler.label({result(1, 22, PortState::open), result(1, 12345, PortState::open)}, 1);
    ASSERT_EQ(rows.size(), 2u);

    const auto& ssh = rows[0].label;
    EXPECT_EQ(rows[0].result.port, 22);
    EXPECT_EQ(rows[0].hostname, "");
    EXPECT_EQ(ssh.service, "ssh");
    EXPECT_EQ(ssh.description, "The Secure Shell (SSH) Protocol");
    EXPECT_EQ(ssh.known_as, "");  // same name in both files
    EXPECT_EQ(ssh.status, RegistryStatus::assigned);
    EXPECT_DOUBLE_EQ(ssh.prevalence, 0.182286);
    EXPECT_EQ(ssh.hosts_open, 1u);
    EXPECT_LE(ssh.rarity.value(), 1.0);
    EXPECT_EQ(ssh.labels, core::label_privileged);

    const auto& italk = rows[1].label;
    EXPECT_EQ(italk.service, "italk");
    EXPECT_EQ(italk.known_as, "netbus");  // the prevalence file's name differs
    EXPECT_FALSE(italk.is_ghost());
}

TEST(Labeler, UnassignedUnknownNamesAndUnauthorizedUse) {
    const Labeler labeler(registry(), &prevalence());
    const auto rows = labeler.label(
        {result(1, 81, PortState::open), result(1, 79, PortState::closed), result(1, 40000, PortState::open)},
        1);
    const auto& unassigned = rows[0].label;
    EXPECT_EQ(unassigned.service, "");
    EXPECT_EQ(unassigned.description, "Unassigned");
    EXPECT_EQ(unassigned.known_as, "");  // nmap's "unknown" is no name
    EXPECT_EQ(unassigned.status, RegistryStatus::unassigned);
    EXPECT_TRUE(unassigned.is_ghost());
    EXPECT_TRUE(unassigned.labels & core::label_unassigned);

    const auto& finger = rows[1].label;
    EXPECT_TRUE(finger.labels & core::label_unauthorized_use_reported);
    EXPECT_FALSE(finger.is_ghost());
    EXPECT_EQ(finger.hosts_open, 0u);

    const auto& nothing = rows[2].label;
    EXPECT_EQ(nothing.status, RegistryStatus::unknown);
    EXPECT_EQ(nothing.prevalence, 0.0);
    EXPECT_DOUBLE_EQ(nothing.rarity.value(), 9.5);
    EXPECT_TRUE(nothing.is_ghost());
}

TEST(Labeler, CountsDistinctOpenHostsPerPort) {
    const Labeler labeler(registry(), &prevalence());
    std::vector<PortResult> results;
    for (int h = 1; h <= 4; ++h)
        results.push_back(result(h, 81, h <= 3 ? PortState::open : PortState::closed));
    results.push_back(result(1, 81, PortState::open));  // a duplicate does not count twice
    results.push_back(result(1, 40000, PortState::open));
    const auto rows = labeler.label(results, 4);
    ASSERT_EQ(rows.size(), 6u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(rows[i].label.hosts_open, 3u) << i;
        const bool open = rows[i].result.state == PortState::open;
        EXPECT_EQ((rows[i].label.labels & core::label_fleet_wide) != 0, open) << i;  // 3 of 4 hosts up
        EXPECT_EQ(rows[i].label.is_ghost(), open) << i;     // unassigned: a ghost wherever it is open
        EXPECT_GE(rows[i].label.rarity.value(), 9.0) << i;  // never lowered by the count
    }
    EXPECT_EQ(rows[5].label.hosts_open, 1u);
    EXPECT_FALSE(rows[5].label.labels & core::label_fleet_wide);
    EXPECT_TRUE(rows[5].label.is_ghost());
}

TEST(Labeler, WorksWithoutAPrevalenceFileOrResponsiveHosts) {
    const Labeler labeler(registry(), nullptr);
    const auto rows = labeler.label({result(1, 22, PortState::open)}, 0);
    EXPECT_EQ(rows[0].label.prevalence, 0.0);
    EXPECT_EQ(rows[0].label.hosts_open, 1u);
    EXPECT_EQ(rows[0].label.known_as, "");
    EXPECT_FALSE(rows[0].label.rarity.has_value());  // unknown, not 9.5
    EXPECT_FALSE(rows[0].label.is_ghost());          // rarity is not guessed
    EXPECT_FALSE(labeler.has_prevalence());
    const auto unassigned = labeler.label({result(1, 81, PortState::open)}, 1);
    EXPECT_TRUE(unassigned[0].label.is_ghost());  // the registry alone says so
    EXPECT_TRUE(labeler.label({}, 0).empty());
}

TEST(LabelerReal, NetbusIsKnownAsOn12345) {
    GHOSTPORT_SKIP_UNLESS(t::iana_2025_path);
    GHOSTPORT_SKIP_UNLESS(t::nmap_services_path);
    const Labeler labeler(t::iana_2025(), &t::nmap_services());
    const auto rows = labeler.label({result(1, 12345, PortState::open), result(1, 1642, PortState::open)}, 1);
    EXPECT_EQ(rows[0].label.service, "italk");
    EXPECT_EQ(rows[0].label.known_as, "netbus");
    EXPECT_EQ(rows[1].label.service, "isis-am");
    EXPECT_EQ(rows[1].label.known_as, "");
    EXPECT_TRUE(rows[1].label.is_ghost());
    EXPECT_GE(rows[1].label.rarity.value(), 9.0);
}

// A UDP row is labelled from the UDP records (161/udp is snmp, 162/tcp's Unassigned is not its), and only an
// open one is a listener: open|filtered gets the registry's name and no ghost label.
TEST(Labeler, UdpRowsUseUdpRecordsAndOnlyOpenIsAGhost) {
    const Labeler labeler(registry(), &prevalence());
    auto udp = [](int host, std::uint16_t port, PortState state) {
        PortResult r = result(host, port, state);
        r.proto = Proto::udp;
        return r;
    };
    const auto rows = labeler.label({udp(1, 161, PortState::open), result(1, 161, PortState::open),
                                     udp(1, 31337, PortState::open_filtered), udp(2, 31337, PortState::open)},
                                    2);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].label.service, "snmp");
    EXPECT_EQ(rows[0].label.status, RegistryStatus::assigned);
    EXPECT_EQ(rows[0].label.hosts_open, 1u);
    EXPECT_NE(rows[1].label.service, "snmp") << "161/tcp has no snmp record here";
    EXPECT_EQ(rows[2].label.status, RegistryStatus::unassigned);
    EXPECT_FALSE(rows[2].label.is_ghost()) << "open|filtered is no listener";
    EXPECT_EQ(rows[2].label.hosts_open, 1u) << "counted over the open rows of 31337/udp";
    EXPECT_TRUE(rows[3].label.is_ghost());
}
