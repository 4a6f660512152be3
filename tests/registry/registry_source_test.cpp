#include "registry/registry_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "core/errors.hpp"

using ghostport::core::InputError;
using ghostport::registry::data_dir_registry_path;
using ghostport::registry::locate_registry;
using ghostport::registry::SearchEnv;
using ghostport::registry::snapshot_is_stale;
namespace fs = std::filesystem;

namespace {

class SourceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "ghostport-source-XXXXXX").string();
        root_ = ::mkdtemp(tmpl.data());
        env_.home = (root_ / "home").string();
        env_.system_paths = {root_ / "sys1.csv", root_ / "sys2"};
    }
    void TearDown() override { fs::remove_all(root_); }

    fs::path touch(const fs::path& p) {
        fs::create_directories(p.parent_path());
        std::ofstream(p) << "x\n";
        return p;
    }
    std::string error_of(const std::optional<std::string>& flag) {
        try {
            locate_registry(flag, env_);
        } catch (const InputError& e) {
            return e.what();
        }
        return "";
    }

    fs::path root_;
    SearchEnv env_;
};

}  // namespace

TEST_F(SourceTest, DataDirIsXdgDataHomeElseHomeLocalShare) {
    EXPECT_EQ(data_dir_registry_path(env_),
              root_ / "home/.local/share/ghostport/service-names-port-numbers.csv");
    env_.xdg_data_home = (root_ / "xdg").string();
    EXPECT_EQ(data_dir_registry_path(env_), root_ / "xdg/ghostport/service-names-port-numbers.csv");
    env_.xdg_data_home = "relative/dir";  // not absolute: ignored, as the XDG spec says
    EXPECT_EQ(data_dir_registry_path(env_),
              root_ / "home/.local/share/ghostport/service-names-port-numbers.csv");
    env_.xdg_data_home.reset();
    env_.home.reset();
    EXPECT_THROW(data_dir_registry_path(env_), InputError);
}

TEST_F(SourceTest, SearchOrderFirstFoundWins) {
    const auto flag = touch(root_ / "flag.csv");
    const auto envfile = touch(root_ / "env.csv");
    const auto data = touch(data_dir_registry_path(env_));
    const auto sys2 = touch(root_ / "sys2");
    env_.registry_env = envfile.string();

    auto c = locate_registry(flag.string(), env_);
    EXPECT_EQ(c.path, flag);
    EXPECT_EQ(c.origin, "--registry");

    c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, envfile);
    EXPECT_EQ(c.origin, "GHOSTPORT_REGISTRY");

    env_.registry_env = "";  // set but empty counts as unset
    c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, data);
    EXPECT_EQ(c.origin, "data directory");

    fs::remove(data);
    c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, sys2);  // sys1.csv is missing, so the next system path
    EXPECT_EQ(c.origin, "system");

    const auto sys1 = touch(root_ / "sys1.csv");
    EXPECT_EQ(locate_registry(std::nullopt, env_).path, sys1);
}

TEST_F(SourceTest, AFlagOrVariableNamingAMissingFileNeverFallsThrough) {
    touch(root_ / "sys2");
    const std::string missing = (root_ / "nope.csv").string();
    EXPECT_EQ(error_of(missing), "--registry " + missing + ": no such file");
    env_.registry_env = missing;
    EXPECT_EQ(error_of(std::nullopt), "GHOSTPORT_REGISTRY=" + missing + ": no such file");
    EXPECT_NE(error_of(root_.string()).find("no such file"),
              std::string::npos);  // a directory is not a registry
}

TEST_F(SourceTest, NothingFoundExplainsTheWayOut) {
    const std::string e = error_of(std::nullopt);
    EXPECT_NE(e.find("no service registry found"), std::string::npos) << e;
    EXPECT_NE(e.find((root_ / "sys1.csv").string()), std::string::npos) << e;
    EXPECT_NE(e.find("ghostport registry update"), std::string::npos) << e;
    EXPECT_NE(e.find("--registry"), std::string::npos) << e;
}

TEST(SearchEnvTest, FromProcessReadsTheEnvironment) {
    ::setenv("GHOSTPORT_REGISTRY", "/some/where.csv", 1);
    auto env = SearchEnv::from_process();
    ::unsetenv("GHOSTPORT_REGISTRY");
    EXPECT_EQ(env.registry_env, "/some/where.csv");
    EXPECT_FALSE(SearchEnv::from_process().registry_env.has_value());
    EXPECT_EQ(env.system_paths,
              (std::vector<fs::path>{"/usr/share/ipv6toolkit/service-names-port-numbers.csv",
                                     "/usr/share/wireshark/services", "/etc/services"}));
}

TEST(Staleness, OlderThan365Days) {
    using namespace std::chrono;
    const auto at = [](int y, unsigned m, unsigned d) {
        return sys_days{year{y} / month{m} / day{d}} + hours{12};
    };
    EXPECT_FALSE(snapshot_is_stale("2025-03-28", at(2025, 11, 22)));
    EXPECT_FALSE(snapshot_is_stale("2025-03-28", at(2026, 3, 27)));                // 364.5 days
    EXPECT_FALSE(snapshot_is_stale("2025-03-28", sys_days{year{2026} / 3 / 28}));  // exactly 365 days
    EXPECT_TRUE(snapshot_is_stale("2025-03-28", at(2026, 3, 28)));                 // 365.5 days
    EXPECT_TRUE(snapshot_is_stale("2014-07-09", at(2025, 1, 1)));
    EXPECT_FALSE(snapshot_is_stale("", at(2030, 1, 1)));
    EXPECT_FALSE(snapshot_is_stale("2014-13-01", at(2030, 1, 1)));
    EXPECT_FALSE(snapshot_is_stale("2014-07", at(2030, 1, 1)));
    EXPECT_FALSE(snapshot_is_stale("soon", at(2030, 1, 1)));
}
