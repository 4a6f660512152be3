// SPDX-License-Identifier: GPL-2.0-or-later
// Owners joined to rows on a fake /proc: shared sockets list every pid, pid 1 (systemd) takes the socket unit
// of a socket-activated service, systemctl is asked once and only when pid 1 is systemd.
#include "listeners/attach_owners.hpp"

#include <gtest/gtest.h>

#include "tests/listeners/fake_proc.hpp"

namespace {

using ghostport::core::Address;
using ghostport::core::Listener;
using namespace ghostport::listeners;

Listener row(const char* address, std::uint16_t port, std::uint64_t inode) {
    Listener l;
    l.address = *Address::parse(address);
    l.port = port;
    l.inode = inode;
    return l;
}

std::vector<SocketUnit> recorded_units() {
    return parse_list_sockets(
        "[::]:22 ssh.socket ssh.service\n/run/dbus/system_bus_socket dbus.socket dbus.service\n");
}

TEST(AttachOwners, SocketActivatedAndSharedSockets) {
    gp_test::FakeProcTree proc("attach");
    proc.add(1, "systemd", "/usr/lib/systemd/systemd", 0, "0::/init.scope\n",
             {"socket:[500]", "socket:[501]"});
    proc.add(200, "nginx", "/usr/sbin/nginx", 33, "0::/system.slice/nginx.service\n", {"socket:[501]"});
    std::vector<Listener> rows{row("::", 22, 500), row("0.0.0.0", 80, 501), row("0.0.0.0", 81, 0),
                               row("0.0.0.0", 82, 999)};
    int asked = 0;
    attach_owners(rows, read_socket_holders(proc.root()), proc.root(), [&] {
        ++asked;
        return recorded_units();
    });
    EXPECT_EQ(asked, 1);
    ASSERT_EQ(rows[0].owners.size(), 1u);
    EXPECT_EQ(rows[0].owners[0].pid, 1);
    EXPECT_EQ(rows[0].owners[0].unit, "ssh.socket");  // socket activation: the socket unit, not init.scope
    ASSERT_EQ(rows[1].owners.size(), 2u);
    EXPECT_EQ(rows[1].owners[0].unit, "init.scope");  // no socket unit listens on 80
    EXPECT_EQ(rows[1].owners[1].pid, 200);
    EXPECT_EQ(rows[1].owners[1].unit, "nginx.service");
    EXPECT_TRUE(rows[2].owners.empty());  // inode 0: being torn down
    EXPECT_TRUE(rows[3].owners.empty());  // nobody visible holds it
}

TEST(AttachOwners, NoSystemdNoSystemctl) {
    gp_test::FakeProcTree proc("attach2");
    proc.add(1, "init", "/sbin/init", 0, "0::/\n", {"socket:[500]"});
    std::vector<Listener> rows{row("::", 22, 500)};
    int asked = 0;
    attach_owners(rows, read_socket_holders(proc.root()), proc.root(), [&] {
        ++asked;
        return recorded_units();
    });
    EXPECT_EQ(asked, 0);
    ASSERT_EQ(rows[0].owners.size(), 1u);
    EXPECT_EQ(rows[0].owners[0].unit, "");
}

}  // namespace
