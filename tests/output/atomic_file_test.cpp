// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "tests/skip.hpp"

namespace fs = std::filesystem;
using ghostport::core::RuntimeError;
using ghostport::output::AtomicFile;

namespace {

// A fresh, empty folder per test, removed afterwards.
class AtomicFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() /
               ("ghostport-atomic-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(dir_, ec);
    }
    std::set<std::string> names() const {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(dir_)) out.insert(e.path().filename().string());
        return out;
    }
    static std::string read(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    static void write(const fs::path& p, std::string_view text) {
        std::ofstream(p, std::ios::binary) << text;
    }
    // The message of the RuntimeError f throws, or "" when it does not throw.
    template <typename F>
    static std::string runtime_error_of(F f) {
        try {
            f();
        } catch (const RuntimeError& e) {
            return e.what();
        }
        return "";
    }

    fs::path dir_;
};

}  // namespace

TEST_F(AtomicFileTest, CommitPublishesTheContent) {
    const fs::path dest = dir_ / "report.csv";
    {
        AtomicFile file(dest);
        EXPECT_EQ(file.path(), dest);
        file.stream() << "host,port\n192.0.2.1,22\n";
        EXPECT_FALSE(fs::exists(dest)) << "nothing appears before commit";
        EXPECT_EQ(names().size(), 1u) << "only the temporary file";
        file.commit();
    }
    EXPECT_EQ(read(dest), "host,port\n192.0.2.1,22\n");
    EXPECT_EQ(names(), (std::set<std::string>{"report.csv"}));
}

TEST_F(AtomicFileTest, CommitReplacesAnExistingFile) {
    const fs::path dest = dir_ / "report.json";
    write(dest, "old content that is longer than the new one\n");
    {
        AtomicFile file(dest);
        file.stream() << "new\n";
        file.commit();
    }
    EXPECT_EQ(read(dest), "new\n");
    EXPECT_EQ(names(), (std::set<std::string>{"report.json"}));
}

TEST_F(AtomicFileTest, LargeContentIsWrittenWhole) {
    const fs::path dest = dir_ / "big.txt";
    const std::string chunk(1000, 'x');
    {
        AtomicFile file(dest);
        for (int i = 0; i < 300; ++i) file.stream() << chunk << '\n';
        file.commit();
    }
    EXPECT_EQ(fs::file_size(dest), 300u * 1001u);
}

TEST_F(AtomicFileTest, NoCommitLeavesDestinationUntouchedAndNoTempFile) {
    const fs::path dest = dir_ / "report.csv";
    write(dest, "previous report\n");
    {
        AtomicFile file(dest);
        file.stream() << "half-written";
    }
    EXPECT_EQ(read(dest), "previous report\n");
    EXPECT_EQ(names(), (std::set<std::string>{"report.csv"}));

    {
        AtomicFile file(dir_ / "never.csv");
        file.stream() << "abandoned";
    }
    EXPECT_EQ(names(), (std::set<std::string>{"report.csv"}));
}

TEST_F(AtomicFileTest, RelativePathUsesTheCurrentFolder) {
    const fs::path old_cwd = fs::current_path();
    fs::current_path(dir_);
    {
        AtomicFile file("plain.txt");
        file.stream() << "here";
        file.commit();
    }
    fs::current_path(old_cwd);
    EXPECT_EQ(read(dir_ / "plain.txt"), "here");
}

TEST_F(AtomicFileTest, MissingFolderThrowsWithPathAndReason) {
    const fs::path dest = dir_ / "no" / "such" / "report.csv";
    const std::string message = runtime_error_of([&] { AtomicFile file(dest); });
    EXPECT_NE(message.find((dir_ / "no" / "such").string()), std::string::npos) << message;
    EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
}

TEST_F(AtomicFileTest, FolderThatIsAFileThrows) {
    write(dir_ / "file", "x");
    const std::string message = runtime_error_of([&] { AtomicFile file(dir_ / "file" / "report.csv"); });
    EXPECT_NE(message.find("Not a directory"), std::string::npos) << message;
}

TEST_F(AtomicFileTest, UnwritableFolderThrows) {
    fs::permissions(
        dir_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read | fs::perms::others_exec,
        fs::perm_options::replace);
    // Root ignores folder permissions: run as "nobody" for the attempt, then take root back.
    struct EffectiveUser {
        bool switched = false;
        EffectiveUser() {
            if (::geteuid() == 0) switched = ::seteuid(65534) == 0;
        }
        ~EffectiveUser() {
            if (switched && ::seteuid(0) != 0) std::abort();
        }
    };
    std::string message;
    {
        EffectiveUser user;
        if (::geteuid() == 0) GP_SKIP("cannot drop root (seteuid 65534) to test folder permissions");
        message = runtime_error_of([&] { AtomicFile file(dir_ / "report.csv"); });
    }
    EXPECT_NE(message.find("Permission denied"), std::string::npos) << message;
    EXPECT_NE(message.find(dir_.string()), std::string::npos) << message;
    EXPECT_TRUE(names().empty());
}

TEST_F(AtomicFileTest, WriteErrorIsReportedByCommitAndCleansUp) {
    // A file size limit makes write() fail with EFBIG, as a full disk fails it with ENOSPC.
    const fs::path dest = dir_ / "report.csv";
    write(dest, "previous\n");
    rlimit old_limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old_limit;
    small.rlim_cur = 4096;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);

    std::string message;
    {
        AtomicFile file(dest);
        file.stream() << std::string(200 * 1024, 'x');
        message = runtime_error_of([&] { file.commit(); });
    }
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);

    EXPECT_NE(message.find(dest.string()), std::string::npos) << message;
    EXPECT_NE(message.find("File too large"), std::string::npos) << message;
    EXPECT_EQ(read(dest), "previous\n");
    EXPECT_EQ(names(), (std::set<std::string>{"report.csv"}));
}

TEST_F(AtomicFileTest, RenameOntoAFolderThrowsAndCleansUp) {
    fs::create_directory(dir_ / "taken");
    write(dir_ / "taken" / "inside", "x");
    std::string message;
    {
        AtomicFile file(dir_ / "taken");
        file.stream() << "content";
        message = runtime_error_of([&] { file.commit(); });
        EXPECT_THROW(file.commit(), std::logic_error);
    }
    EXPECT_NE(message.find("cannot replace"), std::string::npos) << message;
    EXPECT_EQ(names(), (std::set<std::string>{"taken"}));
}

TEST_F(AtomicFileTest, CommitTwiceIsALogicError) {
    AtomicFile file(dir_ / "once.txt");
    file.stream() << "1";
    file.commit();
    EXPECT_THROW(file.commit(), std::logic_error);
    EXPECT_EQ(read(dir_ / "once.txt"), "1");
}

TEST_F(AtomicFileTest, ReportsAreOwnerOnlyUnlessAModeIsGiven) {
    const mode_t old_umask = ::umask(0);  // the mode is exact, whatever the umask
    {
        AtomicFile f(dir_ / "private.csv");
        f.stream() << "x";
        f.commit();
    }
    {
        AtomicFile f(dir_ / "shared.csv", 0644);
        f.stream() << "x";
        f.commit();
    }
    ::umask(old_umask);
    EXPECT_EQ(fs::status(dir_ / "private.csv").permissions(), fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(fs::status(dir_ / "shared.csv").permissions(), fs::perms::owner_read | fs::perms::owner_write |
                                                                 fs::perms::group_read |
                                                                 fs::perms::others_read);
}

TEST_F(AtomicFileTest, ASymlinkAtTheDestinationIsReplacedNotFollowed) {
    std::ofstream(dir_ / "target.txt") << "keep";
    fs::create_symlink(dir_ / "target.txt", dir_ / "report.csv");
    AtomicFile f(dir_ / "report.csv");
    f.stream() << "new";
    f.commit();
    EXPECT_FALSE(fs::is_symlink(dir_ / "report.csv"));
    std::ifstream target(dir_ / "target.txt");
    std::string text((std::istreambuf_iterator<char>(target)), {});
    EXPECT_EQ(text, "keep");
}
