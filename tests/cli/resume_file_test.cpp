// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/resume_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/errors.hpp"

namespace ghostport::cli {
namespace {

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("gpt-" + std::to_string(getpid()) + "-" + name))
        .string();
}

ResumeState state_with_services() {
    ResumeState s;
    s.argv = {"scan", "198.18.0.10", "-sV"};
    s.seed = 42;
    core::PortResult open;
    open.host = *core::Address::parse("198.18.0.10");
    open.port = 1642;
    open.state = core::PortState::open;
    open.reason = core::Reason::syn_ack;
    s.results = {open};
    core::ServiceInfo ssh;
    ssh.name = "ssh";
    ssh.product = "OpenSSH";
    ssh.version = "9.2p1";
    ssh.fingerprint = "ssh-ed25519 SHA256:abc";
    ssh.banner = "SSH-2.0-OpenSSH_9.2p1\\r\\n";
    ssh.tls = "";
    ssh.soft = true;
    ssh.cert_self_signed = true;
    ssh.conversations = 3;
    s.services[{open.host, open.port, core::Proto::tcp}] = ssh;
    return s;
}

// A checkpoint of a -sV scan keeps what identification had found, every field of it.
TEST(ResumeFile, KeepsTheServicesFound) {
    const std::string path = temp_path("services.resume");
    save_resume_file(path, state_with_services());
    const auto loaded = load_resume_file(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(loaded.has_value());
    ASSERT_EQ(loaded->services.size(), 1u);
    const auto& [key, info] = *loaded->services.begin();
    EXPECT_EQ(std::get<0>(key), *core::Address::parse("198.18.0.10"));
    EXPECT_EQ(std::get<1>(key), 1642);
    EXPECT_EQ(std::get<2>(key), core::Proto::tcp);
    const ResumeState saved = state_with_services();
    const auto& want = saved.services.begin()->second;
    for (auto member : core::service_string_fields) EXPECT_EQ(info.*member, want.*member);
    EXPECT_TRUE(info.soft);
    EXPECT_TRUE(info.cert_self_signed);
    EXPECT_EQ(info.conversations, 3);
}

// A checkpoint written before services were kept still loads, with none.
TEST(ResumeFile, OlderCheckpointsLoadWithoutServices) {
    ResumeState s = state_with_services();
    s.services.clear();
    const std::string path = temp_path("old.resume");
    save_resume_file(path, s);
    {
        std::ifstream in(path);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(text.find("\"services\""), std::string::npos);
    }
    const auto loaded = load_resume_file(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_TRUE(loaded->services.empty());
    EXPECT_EQ(loaded->results.size(), 1u);
}

// A -sU checkpoint keeps each result's protocol and every state and reason: 53/tcp and 53/udp stay two
// results, and open|filtered comes back as itself; the counters of all five states too.
TEST(ResumeFile, KeepsProtocolsAndEveryState) {
    ResumeState s;
    s.argv = {"scan", "198.18.0.10", "-sU", "-sS", "-p", "53"};
    s.seed = 7;
    const auto host = *core::Address::parse("198.18.0.10");
    const std::pair<core::PortState, core::Reason> cases[] = {
        {core::PortState::open, core::Reason::udp_response},
        {core::PortState::closed, core::Reason::port_unreach},
        {core::PortState::filtered, core::Reason::unreachable},
        {core::PortState::all_open, core::Reason::syn_ack},
        {core::PortState::open_filtered, core::Reason::no_response},
    };
    std::uint16_t port = 50;
    for (auto [state, reason] : cases) {
        for (core::Proto proto : {core::Proto::tcp, core::Proto::udp}) {
            core::PortResult r;
            r.host = host;
            r.port = port;
            r.proto = proto;
            r.state = state;
            r.reason = reason;
            s.results.push_back(r);
        }
        ++port;
    }
    s.counts = {1, 2, 3, 4, 5};
    core::ServiceInfo dns;
    dns.name = "domain";
    s.services[{host, 53, core::Proto::udp}] = dns;
    const std::string path = temp_path("udp.resume");
    save_resume_file(path, s);
    const auto loaded = load_resume_file(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(loaded.has_value());
    ASSERT_EQ(loaded->results.size(), s.results.size());
    for (std::size_t i = 0; i < s.results.size(); ++i) {
        EXPECT_EQ(loaded->results[i].port, s.results[i].port);
        EXPECT_EQ(loaded->results[i].proto, s.results[i].proto) << i;
        EXPECT_EQ(loaded->results[i].state, s.results[i].state) << i;
        EXPECT_EQ(loaded->results[i].reason, s.results[i].reason) << i;
    }
    EXPECT_EQ(loaded->counts, s.counts);
    ASSERT_EQ(loaded->services.size(), 1u);
    EXPECT_EQ(std::get<2>(loaded->services.begin()->first), core::Proto::udp);
}

// A checkpoint of format 1 (before -sU: no protocol, four counters) still loads, its results TCP.
TEST(ResumeFile, FormatOneLoadsAsTcp) {
    const std::string path = temp_path("v1.resume");
    std::ofstream(path) << R"({"ghostport_resume":1,"argv":["scan","198.18.0.10"],"seed":3,"low":0,)"
                        << R"("above":[],"counts":[1,2,3,0],"responsive":["198.18.0.10"],)"
                        << R"("results":[["198.18.0.10",22,0,0,150,1000],["198.18.0.10",23,1,1,90,1000]],)"
                        << R"("started_at":1000})" << '\n';
    const auto loaded = load_resume_file(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(loaded.has_value());
    ASSERT_EQ(loaded->results.size(), 2u);
    EXPECT_EQ(loaded->results[0].proto, core::Proto::tcp);
    EXPECT_EQ(loaded->results[1].state, core::PortState::closed);
    EXPECT_EQ(loaded->counts, (std::array<std::uint64_t, core::port_state_count>{1, 2, 3, 0, 0}));
}

// Format 1 knew four states: a fifth there is damage, not open|filtered.
TEST(ResumeFile, FormatOneRefusesStatesItDidNotHave) {
    const std::string path = temp_path("v1bad.resume");
    std::ofstream(path) << R"({"ghostport_resume":1,"argv":["scan","198.18.0.10"],"seed":3,"low":0,)"
                        << R"("above":[],"counts":[1,2,3,0],"responsive":[],)"
                        << R"("results":[["198.18.0.10",22,4,2,0,1000]],"started_at":1000})" << '\n';
    EXPECT_THROW(load_resume_file(path), core::InputError);
    std::filesystem::remove(path);
}

// A damaged service entry is a clear input error, not a crash.
TEST(ResumeFile, DamagedServiceEntryIsAnInputError) {
    const std::string path = temp_path("bad.resume");
    save_resume_file(path, state_with_services());
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    const auto at = text.find("\"fields\":[");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 10, "\"fields\":[7,");
    std::ofstream(path) << text;
    EXPECT_THROW(load_resume_file(path), core::InputError);
    std::filesystem::remove(path);
}

// A folder only this user may write, removed with everything in it.
struct PrivateDir {
    std::filesystem::path path;
    PrivateDir() {
        std::string pattern = temp_path("resume-XXXXXX");
        path = mkdtemp(pattern.data());
    }
    ~PrivateDir() {
        std::error_code ec;
        std::filesystem::permissions(path, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(path, ec);
    }
};

// The stored arguments decide what a resumed run does (outputs, privileges): they are taken only from a
// file the invoking user alone could have written, and they may not change what this command says.
TEST(ResumeFile, StoredArgumentsAreTrustedOnlyFromAPrivateFileAndNeverChangeTheCommand) {
    PrivateDir dir;
    ASSERT_FALSE(dir.path.empty());
    const std::string file = (dir.path / "scan.resume").string();
    ResumeState s = state_with_services();
    s.argv = {"scan", "198.18.0.10", "-p", "22", "--resume", file};
    save_resume_file(file, s);
    const std::vector<std::string> resume{"scan", "--resume", file};
    ASSERT_EQ(resumed_arguments(resume), s.argv);
    EXPECT_EQ(resumed_arguments({"scan", "198.18.0.10", "--resume", file}), s.argv) << "agrees: accepted";

    // An argument the checkpoint does not have would be dropped silently: refused.
    EXPECT_THROW(resumed_arguments({"scan", "--resume", file, "-o", "/tmp/elsewhere.csv"}), core::InputError);
    EXPECT_THROW(resumed_arguments({"scan", "--resume", file, "--no-drop-privileges"}), core::InputError);

    // Readable or writable by others: refused.
    ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
    EXPECT_THROW(resumed_arguments(resume), core::InputError);
    ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
    ASSERT_EQ(resumed_arguments(resume), s.argv);

    // In a folder another user may write: refused.
    ASSERT_EQ(::chmod(dir.path.c_str(), 0777), 0);
    EXPECT_THROW(resumed_arguments(resume), core::InputError);
    ASSERT_EQ(::chmod(dir.path.c_str(), 0700), 0);

    // A symlink to it: refused.
    const std::string link = (dir.path / "link.resume").string();
    ASSERT_EQ(::symlink(file.c_str(), link.c_str()), 0);
    EXPECT_THROW(resumed_arguments({"scan", "--resume", link}), core::InputError);

    // Owned by another user (only root can give a file away): refused.
    if (::geteuid() == 0) {
        ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
        EXPECT_THROW(resumed_arguments(resume), core::InputError);
    }

    // No file yet: a new resumable scan.
    EXPECT_EQ(resumed_arguments({"scan", "--resume", (dir.path / "new.resume").string()}), std::nullopt);
}

}  // namespace
}  // namespace ghostport::cli
