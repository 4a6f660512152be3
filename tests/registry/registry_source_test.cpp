// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/registry_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "core/errors.hpp"

using ghostport::core::InputError;
using ghostport::registry::data_dir_registry_path;
using ghostport::registry::load_registry;
using ghostport::registry::locate_registry;
using ghostport::registry::SearchEnv;
using ghostport::registry::snapshot_is_stale;
using ghostport::registry::warn_if_stale_once;
namespace fs = std::filesystem;

namespace {

class SourceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "ghostport-source-XXXXXX").string();
        root_ = ::mkdtemp(tmpl.data());
        env_.home = (root_ / "home").string();
        env_.iana_paths = {root_ / "sys1.csv", root_ / "sys2.csv"};
        env_.services_paths = {root_ / "services1", root_ / "services2"};
    }
    void TearDown() override { fs::remove_all(root_); }

    fs::path touch(const fs::path& p) { return write(p, "x\n"); }
    fs::path write(const fs::path& p, const std::string& text) {
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    // An IANA CSV whose newest date is `date`, naming `name` on 7/tcp.
    fs::path csv(const fs::path& p, const std::string& date, const std::string& name = "echo") {
        return write(
            p,
            "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration "
            "Date,Modification Date,Reference,Service Code,Known Unauthorized Uses,Assignment Notes\n" +
                name + ",7,tcp,Echo,,,," + date + ",,,,\n,6379,tcp,Unassigned,,,,,,,,\n");
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

TEST_F(SourceTest, AFlagOrTheVariableWinsAndIsUsedAlone) {
    const auto flag = touch(root_ / "flag.csv");
    const auto envfile = touch(root_ / "env.csv");
    csv(data_dir_registry_path(env_), "2025-03-28");
    env_.fill_path = touch(root_ / "etc-services");
    env_.registry_env = envfile.string();

    auto c = locate_registry(flag.string(), env_);
    EXPECT_EQ(c.path, flag);
    EXPECT_EQ(c.origin, "--registry");
    EXPECT_TRUE(c.fill.empty());

    c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, envfile);
    EXPECT_EQ(c.origin, "GHOSTPORT_REGISTRY");
    EXPECT_TRUE(c.fill.empty());

    env_.registry_env = "";  // set but empty counts as unset
    c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, data_dir_registry_path(env_));
    EXPECT_EQ(c.origin, "data directory");
    EXPECT_EQ(c.fill, env_.fill_path);
}

TEST_F(SourceTest, TheNewestIanaCsvWinsWhateverItsPlace) {
    const auto data = csv(data_dir_registry_path(env_), "2014-07-09");
    const auto sys2 = csv(root_ / "sys2.csv", "2025-03-28");
    touch(root_ / "services1");

    auto c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, sys2);  // newer than the data-directory copy; sys1.csv is missing
    EXPECT_EQ(c.origin, "system");
    EXPECT_EQ(c.snapshot, "2025-03-28");
    EXPECT_TRUE(c.fill.empty());  // no fill file in this environment

    csv(data, "2026-01-15");  // `registry update` writes a newer copy
    c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, data);
    EXPECT_EQ(c.origin, "data directory");
    EXPECT_EQ(c.snapshot, "2026-01-15");

    const auto sys1 = csv(root_ / "sys1.csv", "2026-01-15");  // a tie: the data directory first
    EXPECT_EQ(locate_registry(std::nullopt, env_).path, data);
    csv(sys1, "2026-02");  // "YYYY-MM" counts as the first of the month
    EXPECT_EQ(locate_registry(std::nullopt, env_).path, sys1);
}

TEST_F(SourceTest, AnInvalidCandidateIsPassedOver) {
    write(data_dir_registry_path(env_), "<html>Service Unavailable</html>\n");
    write(root_ / "sys1.csv", "echo 7/tcp\n");  // services(5), not IANA's CSV
    const auto sys2 = csv(root_ / "sys2.csv", "2014-07-09");
    EXPECT_EQ(locate_registry(std::nullopt, env_).path, sys2);
}

TEST_F(SourceTest, AServicesFileIsUsedWholeOnlyWithoutAnIanaCsv) {
    env_.fill_path = touch(root_ / "etc-services");
    const auto services2 = touch(root_ / "services2");
    auto c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, services2);
    EXPECT_EQ(c.origin, "system");
    EXPECT_TRUE(c.fill.empty());

    const auto services1 = touch(root_ / "services1");
    EXPECT_EQ(locate_registry(std::nullopt, env_).path, services1);

    const auto sys1 = csv(root_ / "sys1.csv", "2014-07-09");
    c = locate_registry(std::nullopt, env_);
    EXPECT_EQ(c.path, sys1);
    EXPECT_EQ(c.fill, env_.fill_path);
}

TEST_F(SourceTest, RedisIsNamedWithA2014CsvThatLacksIt) {
    csv(root_ / "sys1.csv", "2014-07-09");
    env_.fill_path = write(root_ / "etc-services", "echo 7/tcp\nredis 6379/tcp\n");
    const auto choice = locate_registry(std::nullopt, env_);
    const auto reg = load_registry(choice);
    const auto redis = reg.lookup(6379, ghostport::core::Proto::tcp);
    EXPECT_EQ(redis.status, ghostport::core::RegistryStatus::services_file);
    ASSERT_NE(redis.primary, nullptr);
    EXPECT_EQ(redis.primary->service_name, "redis");
    EXPECT_EQ(reg.lookup(7, ghostport::core::Proto::tcp).status, ghostport::core::RegistryStatus::assigned);
    EXPECT_EQ(reg.source(), (root_ / "sys1.csv").string());
    EXPECT_EQ(reg.fill_source(), env_.fill_path.string());
    EXPECT_EQ(reg.filled_ports(), 1u);
    EXPECT_EQ(reg.snapshot_date(), "2014-07-09");
}

TEST_F(SourceTest, AFlagOrVariableNamingAMissingFileNeverFallsThrough) {
    touch(root_ / "services2");
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
    EXPECT_EQ(env.iana_paths,
              (std::vector<fs::path>{"/usr/share/ipv6toolkit/service-names-port-numbers.csv"}));
    EXPECT_EQ(env.services_paths, (std::vector<fs::path>{"/usr/share/wireshark/services", "/etc/services"}));
    EXPECT_EQ(env.fill_path, fs::path("/etc/services"));
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

// The only caller of warn_if_stale_once in this binary: its once-per-process flag starts unset here.
TEST(Staleness, TheWarningIsPrintedOncePerProcess) {
    using namespace std::chrono;
    const auto now = sys_days{year{2026} / 12 / 5};
    std::FILE* err = std::tmpfile();
    ASSERT_NE(err, nullptr);
    EXPECT_FALSE(warn_if_stale_once("2026-06-01", "fresh.csv", now, err));  // fresh: nothing, flag unused
    EXPECT_TRUE(warn_if_stale_once("2014-07-09", "old.csv", now, err));
    EXPECT_FALSE(warn_if_stale_once("2014-07-09", "old.csv", now, err));    // the same registry again
    EXPECT_FALSE(warn_if_stale_once("2013-01-01", "other.csv", now, err));  // another load, another command
    std::rewind(err);
    std::string text(4096, '\0');
    text.resize(std::fread(text.data(), 1, text.size(), err));
    std::fclose(err);
    EXPECT_EQ(
        text,
        "ghostport: registry snapshot 2014-07-09 is older than a year (old.csv); run `ghostport registry "
        "update`\n");
}
