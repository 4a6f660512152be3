// Socket holders and owner facts, on a fake /proc tree built in a scratch folder, and the pure parsers.
#include "listeners/owners.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
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
        root_ = fs::path("/tmp") / ("gpt-" + std::to_string(::getpid()) + "-proc");
        fs::remove_all(root_);
        make(100, "nginx", "/usr/sbin/nginx (deleted)", 0, "0::/system.slice/nginx.service\n",
             {"socket:[777]", "socket:[778]", "/dev/null"});
        make(101, "nginx", "/usr/sbin/nginx", 33, "0::/system.slice/nginx.service\n", {"socket:[777]"});
        fs::create_directories(root_ / "self");  // not a pid
    }
    void TearDown() override { fs::remove_all(root_); }
    void make(int pid, const std::string& comm, const std::string& exe, int uid, const std::string& cgroup,
              const std::vector<std::string>& fds) {
        auto dir = root_ / std::to_string(pid);
        fs::create_directories(dir / "fd");
        std::ofstream(dir / "comm") << comm << "\n";
        std::ofstream(dir / "status") << "Name:\t" << comm << "\nUid:\t" << uid << "\t" << uid << "\t0\t0\n";
        std::ofstream(dir / "cgroup") << cgroup;
        fs::create_symlink(exe, dir / "exe");
        for (std::size_t i = 0; i < fds.size(); ++i)
            fs::create_symlink(fds[i], dir / "fd" / std::to_string(i + 3));
    }
    fs::path root_;
};

TEST_F(FakeProc, HoldersByInode) {
    auto holders = read_socket_holders(root_.string());
    EXPECT_EQ(holders.unreadable, 0);
    ASSERT_EQ(holders.pids_by_inode.size(), 2u);
    EXPECT_EQ(holders.pids_by_inode.at(777), (std::vector<int>{100, 101}));
    EXPECT_EQ(holders.pids_by_inode.at(778), (std::vector<int>{100}));
}

TEST_F(FakeProc, OwnerFacts) {
    auto a = read_owner(root_.string(), 100);
    EXPECT_EQ(a.pid, 100);
    EXPECT_EQ(a.process, "nginx");
    EXPECT_EQ(a.exe, "/usr/sbin/nginx");
    EXPECT_TRUE(a.exe_deleted);
    EXPECT_EQ(a.user, "root");
    EXPECT_EQ(a.unit, "nginx.service");
    EXPECT_EQ(a.container, "");
    auto b = read_owner(root_.string(), 101);
    EXPECT_FALSE(b.exe_deleted);
    EXPECT_EQ(b.user, detail::user_name(33));
}

TEST_F(FakeProc, VanishedProcessHasOnlyItsPid) {
    auto gone = read_owner(root_.string(), 4242);
    EXPECT_EQ(gone.pid, 4242);
    EXPECT_EQ(gone.process, "");
    EXPECT_EQ(gone.user, "");
    EXPECT_EQ(gone.exe, "");
}

}  // namespace
