// SPDX-License-Identifier: GPL-2.0-or-later
// systemctl list-sockets parsing on recorded output, and matching a listener to its socket unit.
#include "listeners/socket_units.hpp"

#include <gtest/gtest.h>

namespace {

using ghostport::core::Address;
using namespace ghostport::listeners;

// `systemctl list-sockets --all --full --no-legend --plain` on a Debian 12 server (recorded).
constexpr const char* recorded =
    "/run/dbus/system_bus_socket dbus.socket dbus.service\n"
    "/run/systemd/journal/dev-log systemd-journald-dev-log.socket systemd-journald.service\n"
    "/run/systemd/journal/socket systemd-journald.socket systemd-journald.service\n"
    "/run/systemd/journal/stdout systemd-journald.socket systemd-journald.service\n"
    "/dev/initctl systemd-initctl.socket systemd-initctl.service\n"
    "kobject-uevent 1 systemd-udevd-kernel.socket systemd-udevd.service\n"
    "route 1361 systemd-networkd.socket systemd-networkd.service\n"
    "[::]:22 ssh.socket ssh.service\n"
    "127.0.0.1:631 cups.socket cups.service\n"
    "0.0.0.0:5355 llmnr.socket\n"
    "[::1]:8080 app@x.socket app@x.service\n"
    "garbage line\n"
    "[::]:0 broken.socket broken.service\n"
    "300.1.1.1:22 broken2.socket x.service\n";

TEST(SocketUnits, ParsesOnlyInetEntries) {
    auto units = parse_list_sockets(recorded);
    ASSERT_EQ(units.size(), 4u);
    EXPECT_EQ(units[0], (SocketUnit{*Address::parse("::"), 22, "ssh.socket", "ssh.service"}));
    EXPECT_EQ(units[1], (SocketUnit{*Address::parse("127.0.0.1"), 631, "cups.socket", "cups.service"}));
    EXPECT_EQ(units[2], (SocketUnit{*Address::parse("0.0.0.0"), 5355, "llmnr.socket", ""}));
    EXPECT_EQ(units[3].unit, "app@x.socket");
    EXPECT_EQ(units[3].port, 8080);
}

TEST(SocketUnits, MatchesExactThenWildcard) {
    auto units = parse_list_sockets(recorded);
    EXPECT_EQ(socket_unit_for(units, *Address::parse("::"), 22), "ssh.socket");
    EXPECT_EQ(socket_unit_for(units, *Address::parse("0.0.0.0"), 22), "ssh.socket");  // [::] covers IPv4
    EXPECT_EQ(socket_unit_for(units, *Address::parse("127.0.0.1"), 631), "cups.socket");
    EXPECT_EQ(socket_unit_for(units, *Address::parse("::"), 5355), std::nullopt);  // 0.0.0.0 is not ::
    EXPECT_EQ(socket_unit_for(units, *Address::parse("127.0.0.2"), 631), std::nullopt);
    EXPECT_EQ(socket_unit_for(units, *Address::parse("::"), 23), std::nullopt);
}

TEST(SocketUnits, EmptyOutput) {
    EXPECT_TRUE(parse_list_sockets("").empty());
    EXPECT_TRUE(parse_list_sockets("\n\n   \n").empty());
}

TEST(SocketUnits, NoSystemdAsPid1MeansNoUnits) {
    // This test machine's (or container's) pid 1 is not systemd, or a fake proc root has none.
    EXPECT_TRUE(read_socket_units("/nonexistent-proc").empty());
}

}  // namespace
