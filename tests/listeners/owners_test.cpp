// SPDX-License-Identifier: GPL-2.0-or-later
// Socket holders and owner facts, on a fake /proc tree built in a scratch folder, and the pure parsers.
#include "listeners/owners.hpp"

#include <gtest/gtest.h>

#include "tests/listeners/fake_proc.hpp"

namespace {

using namespace ghostport::listeners;

TEST(Owners, SocketInode) {
    EXPECT_EQ(detail::socket_inode("socket:[12345]"), 12345u);
    EXPECT_EQ(detail::socket_inode("socket:[]"), std::nullopt);
    EXPECT_EQ(detail::socket_inode("socket:[12a]"), std::nullopt);
    EXPECT_EQ(detail::socket_inode("pipe:[12345]"), std::nullopt);
    EXPECT_EQ(detail::socket_inode("/dev/null"), std::nullopt);
    EXPECT_EQ(detail::socket_inode("socket:[99999999999999999999999]"), std::nullopt);
}

TEST(Owners, ExeLink) {
    auto plain = detail::parse_exe_link("/usr/sbin/nginx");
    EXPECT_EQ(plain.path, "/usr/sbin/nginx");
    EXPECT_FALSE(plain.deleted);
    auto gone = detail::parse_exe_link("/usr/sbin/nginx (deleted)");
    EXPECT_EQ(gone.path, "/usr/sbin/nginx");
    EXPECT_TRUE(gone.deleted);
    auto memfd = detail::parse_exe_link("/memfd:payload (deleted)");
    EXPECT_EQ(memfd.path, "/memfd:payload");
    EXPECT_TRUE(memfd.deleted);
}

TEST(Owners, RealUid) {
    EXPECT_EQ(detail::real_uid("Name:\tsshd\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n"), 1000u);
    EXPECT_EQ(detail::real_uid("Name:\tx\n"), std::nullopt);
    EXPECT_EQ(detail::real_uid("Uid:\tabc\n"), std::nullopt);
}

TEST(Owners, UserName) {
    EXPECT_EQ(detail::user_name(0), "root");
    EXPECT_EQ(detail::user_name(3999999999u), "3999999999");  // no such user: the number
}

// A scratch /proc with two processes sharing socket 777, one of them a deleted executable.
class FakeProc : public ::testing::Test {
  protected:
    void SetUp() override {
        tree_.add(100, "nginx", "/usr/sbin/nginx (deleted)", 0, "0::/system.slice/nginx.service\n",
                  {"socket:[777]", "socket:[778]", "/dev/null"});
        tree_.add(101, "nginx", "/usr/sbin/nginx", 33, "0::/system.slice/nginx.service\n", {"socket:[777]"});
    }
    gp_test::FakeProcTree tree_{"proc"};
};

TEST_F(FakeProc, HoldersByInode) {
    auto holders = read_socket_holders(tree_.root());
    EXPECT_EQ(holders.unreadable, 0);
    ASSERT_EQ(holders.pids_by_inode.size(), 2u);
    EXPECT_EQ(holders.pids_by_inode.at(777), (std::vector<int>{100, 101}));
    EXPECT_EQ(holders.pids_by_inode.at(778), (std::vector<int>{100}));
}

TEST_F(FakeProc, OwnerFacts) {
    auto a = read_owner(tree_.root(), 100);
    EXPECT_EQ(a.pid, 100);
    EXPECT_EQ(a.process, "nginx");
    EXPECT_EQ(a.exe, "/usr/sbin/nginx");
    EXPECT_TRUE(a.exe_deleted);
    EXPECT_EQ(a.user, "root");
    EXPECT_EQ(a.unit, "nginx.service");
    EXPECT_EQ(a.container, "");
    auto b = read_owner(tree_.root(), 101);
    EXPECT_FALSE(b.exe_deleted);
    EXPECT_EQ(b.user, detail::user_name(33));
}

TEST_F(FakeProc, VanishedProcessHasOnlyItsPid) {
    auto gone = read_owner(tree_.root(), 4242);
    EXPECT_EQ(gone.pid, 4242);
    EXPECT_EQ(gone.process, "");
    EXPECT_EQ(gone.user, "");
    EXPECT_EQ(gone.exe, "");
}

}  // namespace
