// SPDX-License-Identifier: GPL-2.0-or-later
// Namespace listing (own, named, per process, deduplicated) and entering one from a helper thread.
#include "listeners/netns.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using namespace ghostport::listeners;

TEST(Netns, OwnNamespaceComesFirstAndUnnamed) {
    auto list = list_namespaces("/proc", "/nonexistent-netns-dir");
    ASSERT_FALSE(list.namespaces.empty());
    EXPECT_TRUE(list.namespaces[0].own);
    EXPECT_EQ(list.namespaces[0].name, "");
    struct stat st {};
    ASSERT_EQ(::stat("/proc/self/ns/net", &st), 0);
    EXPECT_EQ(list.namespaces[0].ino, static_cast<std::uint64_t>(st.st_ino));
    // Our own processes share it: it is listed once, not as "pid N (...)".
    for (std::size_t i = 1; i < list.namespaces.size(); ++i) {
        EXPECT_FALSE(list.namespaces[i].own);
        EXPECT_NE(list.namespaces[i].ino, list.namespaces[0].ino);
    }
}

TEST(Netns, NamedEntriesAreListedByName) {
    auto dir = fs::path("/tmp") / ("gpt-" + std::to_string(::getpid()) + "-netns");
    fs::create_directories(dir);
    std::ofstream(dir / "zeta") << "";
    std::ofstream(dir / "alpha") << "";
    auto list = list_namespaces("/proc", dir.string());
    fs::remove_all(dir);
    std::vector<std::string> names;
    for (const auto& ns : list.namespaces)
        if (!ns.own && ns.path.find(dir.string()) == 0) names.push_back(ns.name);
    EXPECT_EQ(names, (std::vector<std::string>{"alpha", "zeta"}));
}

TEST(Netns, EnteringSomethingElseFails) {
    auto why = run_in_namespace("/nonexistent-namespace-file", [] { FAIL() << "must not run"; });
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("cannot open"), std::string::npos);
    auto not_ns = run_in_namespace("/proc/self/status", [] { FAIL() << "must not run"; });
    ASSERT_TRUE(not_ns);
}

TEST(Netns, RunsInTheOwnNamespaceAndReportsThrows) {
    if (::geteuid() != 0) {
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") FAIL() << "CI=true but not root: setns needs CAP_SYS_ADMIN";
        GTEST_SKIP() << "needs root: setns needs CAP_SYS_ADMIN";
    }
    bool ran = false;
    EXPECT_EQ(run_in_namespace("/proc/self/ns/net", [&] { ran = true; }), std::nullopt);
    EXPECT_TRUE(ran);
    auto why = run_in_namespace("/proc/self/ns/net", [] { throw std::runtime_error("boom"); });
    EXPECT_EQ(why, std::optional<std::string>("boom"));
}

}  // namespace
