// SPDX-License-Identifier: GPL-2.0-or-later
// read_listeners against `ss -ltnup` as the oracle, in a fresh network namespace where user nobody holds a
// TCP listener on 1642, a UDP socket on 642, a loopback-only listener and a dual-stack one, each shared by
// two processes; read from outside (--all-namespaces finds and names the namespace), from inside (a thread
// that entered it), and as nobody (what it could not see is said).
#include "listeners/listeners.hpp"

#include <grp.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include "listeners/netns.hpp"
#include "tests/integration/lab.hpp"
#include "tests/skip.hpp"

namespace {

using namespace std::chrono_literals;
using ghostport::core::Exposure;
using ghostport::core::Listener;
using ghostport::core::Proto;
namespace gl = ghostport::listeners;

// One row as both sides can say it: "tcp 0.0.0.0:1642 pids=1,2 procs=gp_sockets,gp_sockets".
std::string key_of(const Listener& l) {
    std::string address = l.dual_stack ? "*" : l.address.to_string();
    std::ostringstream out;
    out << (l.proto == Proto::tcp ? "tcp" : "udp") << " " << address << ":" << l.port << " pids=";
    for (std::size_t i = 0; i < l.owners.size(); ++i) out << (i ? "," : "") << l.owners[i].pid;
    out << " procs=";
    for (std::size_t i = 0; i < l.owners.size(); ++i) out << (i ? "," : "") << l.owners[i].process;
    return out.str();
}

std::vector<Listener> in_netns(const std::vector<Listener>& rows, const std::string& netns) {
    std::vector<Listener> out;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(out),
                 [&](const Listener& l) { return l.netns == netns; });
    return out;
}

// Checks the rows of the namespace: the oracle's keys, and user, uid and exposure of each.
void expect_matches(const std::vector<Listener>& rows, const std::set<std::string>& oracle, const char* how) {
    std::set<std::string> keys;
    for (const auto& l : rows) keys.insert(key_of(l));
    EXPECT_EQ(keys, oracle) << how;
    EXPECT_EQ(rows.size(), 4u) << how;
    for (const auto& l : rows) {
        SCOPED_TRACE(std::string(how) + ": " + key_of(l));
        EXPECT_EQ(l.uid, 65534u);
        ASSERT_EQ(l.owners.size(), 2u);  // the helper and its forked child
        for (const auto& o : l.owners) {
            EXPECT_EQ(o.user, "nobody");
            EXPECT_EQ(o.process, "gp_sockets");
            EXPECT_FALSE(o.exe_deleted);
            EXPECT_NE(o.exe.find("gp_sockets"), std::string::npos);
        }
        if (l.port == 1643)
            EXPECT_EQ(ghostport::core::exposure_of(l), Exposure::loopback);
        else
            EXPECT_EQ(ghostport::core::exposure_of(l), Exposure::all);
        EXPECT_EQ(l.dual_stack, l.port == 1644);
        EXPECT_EQ(l.proto, l.port == 642 ? Proto::udp : Proto::tcp);
    }
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), gl::listener_less)) << how;
}

TEST(Listeners, MatchesSsInsideAndOutsideTheNamespace) {
    if (::geteuid() != 0) GP_SKIP("needs root: creates a network namespace and runs processes as nobody");
    gp_test::LoopbackNamespace ns("l");
    ASSERT_TRUE(ns.ok()) << "cannot create the namespace: " << ns.why();
    gp_test::Background sockets(
        {"ip", "netns", "exec", ns.name(), "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
         GP_SOCKETS_BINARY, "tcp:0.0.0.0:1642", "udp:0.0.0.0:642", "tcp:127.0.0.1:1643", "tcp6any:1644",
         "--fork", "--seconds", "60"},
        "ready");
    auto ss = gp_test::run({"ip", "netns", "exec", ns.name(), "ss", "-ltnupH"}, 20s);
    ASSERT_EQ(ss.exit_code, 0) << ss.err;
    auto oracle = gp_test::ss_listener_keys(ss.out);
    ASSERT_EQ(oracle.size(), 4u) << ss.out;  // the oracle itself saw what was opened
    for (const auto& k : oracle)
        EXPECT_NE(k.find("pids=" + std::to_string(sockets.pid()) + ","), std::string::npos) << k;

    gl::ReadOptions all;
    all.all_namespaces = true;
    auto outside = gl::read_listeners(all);
    expect_matches(in_netns(outside.listeners, ns.name()), oracle, "outside, --all-namespaces");
    for (const auto& u : outside.unseen) EXPECT_EQ(u.find(ns.name()), std::string::npos) << u;

    gl::ReadResult inside;
    auto failed = gl::run_in_namespace("/run/netns/" + ns.name(), [&] { inside = gl::read_listeners({}); });
    ASSERT_EQ(failed, std::nullopt);
    for (const auto& l : inside.listeners) EXPECT_EQ(l.netns, "");
    expect_matches(inside.listeners, oracle, "inside");

    // From inside with --all-namespaces the namespace is the own one (""), not listed again by its name.
    gl::ReadResult inside_all;
    failed = gl::run_in_namespace("/run/netns/" + ns.name(), [&] { inside_all = gl::read_listeners(all); });
    ASSERT_EQ(failed, std::nullopt);
    expect_matches(in_netns(inside_all.listeners, ""), oracle, "inside, --all-namespaces");
    EXPECT_TRUE(in_netns(inside_all.listeners, ns.name()).empty());
}

// A process whose executable was deleted after it started is flagged (the label deleted-exe), its exe
// path without the " (deleted)" suffix.
TEST(Listeners, DeletedExecutableIsFlagged) {
    if (::geteuid() != 0) GP_SKIP("needs root: creates a network namespace and runs processes as nobody");
    gp_test::LoopbackNamespace ns("l");
    ASSERT_TRUE(ns.ok()) << "cannot create the namespace: " << ns.why();
    gp_test::ScratchDir dir("deleted-exe");
    const std::string copy = dir / "gp_sockets";
    ASSERT_EQ(gp_test::run({"cp", GP_SOCKETS_BINARY, copy}, 10s).exit_code, 0);
    gp_test::Background sockets(
        {"ip", "netns", "exec", ns.name(), copy, "tcp:0.0.0.0:1642", "--seconds", "60"}, "ready");
    ASSERT_EQ(::unlink(copy.c_str()), 0);
    gl::ReadOptions all;
    all.all_namespaces = true;
    auto rows = in_netns(gl::read_listeners(all).listeners, ns.name());
    ASSERT_EQ(rows.size(), 1u);
    ASSERT_EQ(rows[0].owners.size(), 1u);
    EXPECT_EQ(rows[0].owners[0].pid, sockets.pid());
    EXPECT_EQ(rows[0].owners[0].user, "root");
    EXPECT_TRUE(rows[0].owners[0].exe_deleted);
    EXPECT_EQ(rows[0].owners[0].exe, copy);
}

// As nobody: the own namespace is still read, the other one is named as unseen, and so are other users'
// processes.
TEST(Listeners, WithoutRootSaysWhatItCouldNotSee) {
    if (::geteuid() != 0) GP_SKIP("needs root: creates a network namespace and runs processes as nobody");
    gp_test::LoopbackNamespace ns("l");
    ASSERT_TRUE(ns.ok()) << "cannot create the namespace: " << ns.why();
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        std::string report;
        if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
            ::setresuid(65534, 65534, 65534) != 0) {
            report = "setuid failed";
        } else {
            ::prctl(PR_SET_DUMPABLE, 1);
            try {
                gl::ReadOptions all;
                all.all_namespaces = true;
                auto r = gl::read_listeners(all);
                for (const auto& u : r.unseen) report += "unseen: " + u + "\n";
                for (const auto& l : r.listeners)
                    if (l.netns == ns.name()) report += "row of " + l.netns + "\n";
            } catch (const std::exception& e) {
                report = std::string("threw: ") + e.what();
            }
        }
        auto n = ::write(pipe_fds[1], report.data(), report.size());
        ::_exit(n == static_cast<ssize_t>(report.size()) ? 0 : 1);
    }
    ::close(pipe_fds[1]);
    std::string report;
    char buf[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;)
        report.append(buf, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << report;
    EXPECT_EQ(report.find("threw"), std::string::npos) << report;
    EXPECT_EQ(report.find("row of"), std::string::npos) << report;
    EXPECT_NE(report.find("unseen: network namespace " + ns.name() + ": entering it needs root"),
              std::string::npos)
        << report;
    // pid 1 and the test's own root processes are another user's to nobody.
    EXPECT_NE(report.find("unseen: the open files of "), std::string::npos) << report;
}

}  // namespace
