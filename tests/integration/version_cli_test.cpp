// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport --version`, the real binary: the version and the commit it was built from, then the registry
// and prevalence files a scan would use ($GHOSTPORT_REGISTRY honoured as scans honour it).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "lab.hpp"

using namespace gp_test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The source tree's HEAD from git, or "" when it is no git checkout (or git is missing).
std::string source_head() {
    if (!std::filesystem::exists(std::filesystem::path(GHOSTPORT_SOURCE_DIR) / ".git")) return "";
    auto r = run({"git", "-C", GHOSTPORT_SOURCE_DIR, "rev-parse", "HEAD"}, std::chrono::seconds(20));
    return r.exit_code == 0 ? r.out.substr(0, r.out.find('\n')) : "";
}

// The prevalence line --version must print on this machine.
std::string expected_prevalence() {
    const std::string system = "/usr/share/nmap/nmap-services";
    return "prevalence: " + (std::filesystem::is_regular_file(system)
                                 ? system
                                 : std::string("none found: install nmap-common"));
}

}  // namespace

TEST(VersionCli, NamesVersionCommitRegistryAndPrevalence) {
    const auto registry = std::filesystem::temp_directory_path() /
                          ("gpt-" + std::to_string(getpid()) + "-version-registry.csv");
    std::ofstream(registry) << "not parsed by --version\n";
    auto r = run({"env", "GHOSTPORT_REGISTRY=" + registry.string(), ghostport_binary(), "--version"},
                 std::chrono::seconds(20));
    std::filesystem::remove(registry);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;

    std::smatch m;
    ASSERT_TRUE(std::regex_match(
        lines[0], m,
        std::regex(R"(ghostport (\d+\.\d+\.\d+) \(commit ([0-9a-f]{7,40}|unknown)(, dirty)?\))")))
        << lines[0];
    const std::string commit = m[2];
    const std::string head = source_head();
    if (head.empty())
        EXPECT_EQ(commit, "unknown") << "no git checkout at " << GHOSTPORT_SOURCE_DIR;
    else
        EXPECT_EQ(head.rfind(commit, 0), 0u) << "built from " << commit << ", the checkout is at " << head;

    EXPECT_EQ(lines[1], "registry: " + registry.string() + " (from GHOSTPORT_REGISTRY)");
    EXPECT_EQ(lines[2], expected_prevalence());
}

TEST(VersionCli, AGhostportRegistryNamingNoFileIsSaidAndStillExitZero) {
    const std::string missing = "/nonexistent/gpt-" + std::to_string(getpid()) + "/registry.csv";
    auto r = run({"env", "GHOSTPORT_REGISTRY=" + missing, ghostport_binary(), "--version"},
                 std::chrono::seconds(20));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_EQ(lines[1], "registry: GHOSTPORT_REGISTRY=" + missing + ": no such file");
    EXPECT_EQ(lines[2], expected_prevalence());
}

TEST(VersionCli, WithoutTheVariableTheRegistryLineNamesAFileOrWhatToInstall) {
    auto r =
        run({"env", "-u", "GHOSTPORT_REGISTRY", ghostport_binary(), "--version"}, std::chrono::seconds(20));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(
                    lines[1], m,
                    std::regex(R"(registry: (.+) \(from (data directory|system)(, filled from .+)?\))")) ||
                lines[1] == "registry: none found: install ipv6toolkit or run `ghostport registry update`")
        << lines[1];
    if (!m.empty()) {
        EXPECT_TRUE(std::filesystem::is_regular_file(m[1].str())) << lines[1];
    }
}
