// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/registry.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "core/errors.hpp"
#include "real_files.hpp"

using ghostport::core::InputError;
using ghostport::core::Proto;
using ghostport::core::RegistryStatus;
using ghostport::registry::Registry;
using ghostport::registry::RegistryFormat;
namespace fs = std::filesystem;
namespace t = ghostport::registry::testing;

namespace {

const std::string header =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,"
    "Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes\n";

// A small registry exercising every lookup rule.
Registry sample() {
    return Registry::from_iana_csv(
        header +
            ",0,tcp,Reserved,,,,2024-12-20,[RFC6335],,,\n"
            "tcpmux,1,tcp,TCP Port Service Multiplexer,[Mark],[Mark],,,,,,\n"
            ",2,,Unassigned [was netstat],,,,,,,,\n"
            ",10-12,,Reserved,,,,,,,,\n"
            "old_name,20,tcp,Old,,,,,,,,\"This entry is an alias to \"\"new-name\"\".\"\n"
            "new-name,20,tcp,New,,,2003-04,,,,,\n"
            ",20,tcp,Unassigned,,,,,,,,\n"
            "finger,79,tcp,Finger,,,,,,,misuse,\n"
            "nameonly,,tcp,No port,,,,,,,,\n"
            "sctponly,30,sctp,SCTP only,,,,,,,,\n",
        "sample.csv");
}

// A file in a fresh temporary folder, removed with it.
class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "ghostport-registry-XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
        return path_ / name;
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

std::string load_error(const fs::path& p) {
    try {
        Registry::load(p);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Registry, NamedRecordMakesThePortAssigned) {
    const auto reg = sample();
    EXPECT_EQ(reg.format(), RegistryFormat::iana_csv);
    EXPECT_EQ(reg.source(), "sample.csv");
    EXPECT_EQ(reg.size(), 10u);
    auto info = reg.lookup(1, Proto::tcp);
    EXPECT_EQ(info.status, RegistryStatus::assigned);
    ASSERT_NE(info.primary, nullptr);
    EXPECT_EQ(info.primary->service_name, "tcpmux");
    ASSERT_EQ(info.records.size(), 1u);
    EXPECT_EQ(info.records[0], info.primary);
    // The same port over udp has no record here.
    info = reg.lookup(1, Proto::udp);
    EXPECT_EQ(info.status, RegistryStatus::unknown);
    EXPECT_EQ(info.primary, nullptr);
    EXPECT_TRUE(info.records.empty());
}

TEST(Registry, EmptyProtocolAppliesToTcpAndUdpAndSuffixesAreIgnored) {
    const auto reg = sample();
    for (Proto p : {Proto::tcp, Proto::udp}) {
        auto info = reg.lookup(2, p);
        EXPECT_EQ(info.status, RegistryStatus::unassigned);
        EXPECT_EQ(info.primary, nullptr);
        ASSERT_EQ(info.records.size(), 1u);
        EXPECT_EQ(info.records[0]->description, "Unassigned [was netstat]");
    }
}

TEST(Registry, RangesCoverEveryPortInThem) {
    const auto reg = sample();
    for (std::uint16_t port : {10, 11, 12})
        EXPECT_EQ(reg.lookup(port, Proto::udp).status, RegistryStatus::reserved);
    EXPECT_EQ(reg.lookup(9, Proto::udp).status, RegistryStatus::unknown);
    EXPECT_EQ(reg.lookup(13, Proto::udp).status, RegistryStatus::unknown);
    EXPECT_EQ(reg.lookup(0, Proto::tcp).status, RegistryStatus::reserved);
}

TEST(Registry, PrimarySkipsAliasesAndRecordsKeepFileOrder) {
    const auto reg = sample();
    auto info = reg.lookup(20, Proto::tcp);
    EXPECT_EQ(info.status, RegistryStatus::assigned);  // a named record wins over the Unassigned row
    ASSERT_NE(info.primary, nullptr);
    EXPECT_EQ(info.primary->service_name, "new-name");
    ASSERT_EQ(info.records.size(), 3u);
    EXPECT_EQ(info.records[0]->service_name, "old_name");
    EXPECT_EQ(info.records[1]->service_name, "new-name");
    EXPECT_EQ(info.records[2]->description, "Unassigned");
}

TEST(Registry, OnlyAliasesLeftMeansTheFirstAliasIsPrimary) {
    const auto reg =
        Registry::from_iana_csv(header + "a_b,5,tcp,x,,,,,,,,This entry is an alias to \"a-b\".\n", "t");
    auto info = reg.lookup(5, Proto::tcp);
    ASSERT_NE(info.primary, nullptr);
    EXPECT_EQ(info.primary->service_name, "a_b");
}

TEST(Registry, PortlessAndOtherProtocolRecordsCoverNothing) {
    const auto reg = sample();
    EXPECT_EQ(reg.lookup(30, Proto::tcp).status, RegistryStatus::unknown);
    EXPECT_EQ(reg.lookup(30, Proto::udp).status, RegistryStatus::unknown);
    EXPECT_EQ(reg.lookup(65535, Proto::udp).status, RegistryStatus::unknown);
}

TEST(Registry, SnapshotDateIsTheNewestDate) {
    EXPECT_EQ(sample().snapshot_date(), "2024-12-20");
    EXPECT_EQ(Registry::from_iana_csv(header, "t").snapshot_date(), "");
}

TEST(Registry, CopiesPointIntoThemselves) {
    const auto a = sample();
    const Registry b = a;
    EXPECT_EQ(b.lookup(1, Proto::tcp).primary, &b.records()[1]);
}

TEST(Registry, ServicesFormatListsOnlyAssignedPorts) {
    const auto reg =
        Registry::from_services("ssh 22/tcp # SSH Remote Login Protocol\ndiscard 9/udp sink null\n", "svc");
    EXPECT_EQ(reg.format(), RegistryFormat::services);
    EXPECT_EQ(reg.snapshot_date(), "");
    auto info = reg.lookup(22, Proto::tcp);
    EXPECT_EQ(info.status, RegistryStatus::assigned);
    ASSERT_NE(info.primary, nullptr);
    EXPECT_EQ(info.primary->description, "SSH Remote Login Protocol");
    info = reg.lookup(9, Proto::udp);
    ASSERT_EQ(info.records.size(), 3u);
    EXPECT_EQ(info.primary->service_name, "discard");
    EXPECT_EQ(reg.lookup(23, Proto::tcp).status, RegistryStatus::unknown);
}

TEST(Registry, LoadDetectsTheFormat) {
    TempDir dir;
    auto iana = Registry::load(dir.write("iana.csv", header + "echo,7,tcp,Echo,,,,,,,,\n"));
    EXPECT_EQ(iana.format(), RegistryFormat::iana_csv);
    EXPECT_EQ(iana.source(), (dir.path() / "iana.csv").string());
    auto svc = Registry::load(dir.write("services", "# Network services, Internet style\necho 7/tcp\n"));
    EXPECT_EQ(svc.format(), RegistryFormat::services);
    EXPECT_EQ(svc.lookup(7, Proto::tcp).primary->service_name, "echo");
}

TEST(Registry, LoadRejectsUnusableFilesNamingThePath) {
    TempDir dir;
    const auto path_of = [&](const char* name) { return (dir.path() / name).string(); };
    EXPECT_EQ(load_error(dir.write("empty", " \n")), path_of("empty") + ": registry file is empty");
    EXPECT_NE(load_error(dir.write("foreign.csv", "a,b,c\n1,2,3\n"))
                  .find(path_of("foreign.csv") + ": not IANA's service-names-port-numbers.csv format"),
              std::string::npos);
    EXPECT_NE(load_error(dir.write("noports.csv", header + "x,,tcp,y,,,,,,,,\n"))
                  .find(path_of("noports.csv") + ": no port entries"),
              std::string::npos);
    EXPECT_NE(load_error(dir.write("comments", "# nothing\n")).find("no port entries"), std::string::npos);
    EXPECT_NE(load_error(dir.write("bad", "ssh twenty-two\n")).find(path_of("bad") + ": line 1:"),
              std::string::npos);
    EXPECT_NE(load_error(path_of("missing")).find(path_of("missing") + ": cannot read"), std::string::npos);
    EXPECT_NE(load_error(dir.path()).find("is a directory"), std::string::npos);
}

TEST(RegistryReal, Snapshot2025Anchors) {
    GHOSTPORT_SKIP_UNLESS(t::iana_2025_path);
    const auto& reg = t::iana_2025();
    EXPECT_EQ(reg.format(), RegistryFormat::iana_csv);

    auto isis = reg.lookup(1642, Proto::tcp);
    EXPECT_EQ(isis.status, RegistryStatus::assigned);
    ASSERT_NE(isis.primary, nullptr);
    EXPECT_EQ(isis.primary->service_name, "isis-am");
    EXPECT_EQ(isis.primary->reference, "");
    EXPECT_EQ(isis.primary->assignee, "");

    auto finger = reg.lookup(79, Proto::tcp);
    ASSERT_NE(finger.primary, nullptr);
    EXPECT_EQ(finger.primary->service_name, "finger");
    EXPECT_FALSE(finger.primary->unauthorized_use.empty());

    auto italk = reg.lookup(12345, Proto::tcp);
    ASSERT_NE(italk.primary, nullptr);
    EXPECT_EQ(italk.primary->service_name, "italk");

    auto http = reg.lookup(80, Proto::tcp);
    ASSERT_NE(http.primary, nullptr);
    EXPECT_EQ(http.primary->service_name, "http");
    EXPECT_GE(http.records.size(), 3u);  // http, www, www-http

    EXPECT_EQ(reg.lookup(0, Proto::tcp).status, RegistryStatus::reserved);
    EXPECT_EQ(reg.lookup(36, Proto::tcp).status, RegistryStatus::unassigned);
    EXPECT_EQ(reg.lookup(230, Proto::udp).status, RegistryStatus::reserved);  // 225-241, all protocols
    EXPECT_EQ(reg.lookup(63, Proto::tcp).primary->service_name, "whoispp");   // whois++ is the alias
}

TEST(RegistryReal, EtcServices) {
    GHOSTPORT_SKIP_UNLESS(std::string("/etc/services"));
    const auto reg = Registry::load("/etc/services");
    EXPECT_EQ(reg.format(), RegistryFormat::services);
    auto ssh = reg.lookup(22, Proto::tcp);
    ASSERT_NE(ssh.primary, nullptr);
    EXPECT_EQ(ssh.primary->service_name, "ssh");
}

namespace {

const std::string header_2014 =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,"
    "Modification Date,Reference,Service Code,Known Unauthorized Uses,Assignment Notes\n";

// A 2014-style registry that lacks Redis: 6379 lies in an Unassigned range, 6380 is absent.
Registry iana_2014() {
    return Registry::from_iana_csv(header_2014 +
                                       "ssh,22,tcp,The Secure Shell (SSH) Protocol,,,,2014-07-09,,,,\n"
                                       ",0,tcp,Reserved,,,,,,,,\n"
                                       ",6370-6381,,Unassigned,,,,,,,,\n",
                                   "iana-2014.csv");
}

Registry etc_services() {
    return Registry::from_services(
        "secure-shell 22/tcp\n"
        "reserved-zero 0/tcp\n"
        "redis 6379/tcp  # Redis key-value store\n"
        "other 6380/udp\n",
        "/etc/services");
}

}  // namespace

TEST(RegistryFill, NamesThePortsTheIanaFileLeavesUnnamed) {
    auto reg = iana_2014();
    EXPECT_EQ(reg.lookup(6379, Proto::tcp).status, RegistryStatus::unassigned);
    EXPECT_EQ(reg.fill_from(etc_services()), 2u);  // 6379/tcp and 6380/udp
    EXPECT_EQ(reg.fill_source(), "/etc/services");
    EXPECT_EQ(reg.filled_ports(), 2u);
    EXPECT_EQ(reg.snapshot_date(), "2014-07-09");  // the IANA file's date, unchanged

    const auto redis = reg.lookup(6379, Proto::tcp);
    EXPECT_EQ(redis.status, RegistryStatus::services_file);
    ASSERT_NE(redis.primary, nullptr);
    EXPECT_EQ(redis.primary->service_name, "redis");
    EXPECT_EQ(redis.primary->description, "Redis key-value store");
    EXPECT_TRUE(redis.primary->filled);

    const auto other = reg.lookup(6380, Proto::udp);
    EXPECT_EQ(other.status, RegistryStatus::services_file);
    ASSERT_NE(other.primary, nullptr);
    EXPECT_EQ(other.primary->service_name, "other");
    EXPECT_EQ(reg.lookup(6380, Proto::tcp).status, RegistryStatus::unassigned);  // only udp was named
}

TEST(RegistryFill, NeverOverridesWhatTheIanaFileSays) {
    auto reg = iana_2014();
    reg.fill_from(etc_services());
    const auto ssh = reg.lookup(22, Proto::tcp);
    EXPECT_EQ(ssh.status, RegistryStatus::assigned);
    ASSERT_NE(ssh.primary, nullptr);
    EXPECT_EQ(ssh.primary->service_name, "ssh");
    EXPECT_EQ(ssh.records.size(), 1u);
    EXPECT_EQ(reg.lookup(0, Proto::tcp).status, RegistryStatus::reserved);
}

TEST(RegistryFill, NothingToFillLeavesNoSource) {
    auto reg = iana_2014();
    EXPECT_EQ(reg.fill_from(Registry::from_services("secure-shell 22/tcp\n", "/etc/services")), 0u);
    EXPECT_EQ(reg.fill_source(), "");
    EXPECT_EQ(reg.filled_ports(), 0u);
}
