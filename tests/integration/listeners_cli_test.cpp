// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport listeners`, the real binary, against `ss -ltnupH` as the oracle: in a fresh network namespace
// user nobody holds a TCP listener on 1642, a UDP socket on 642 and a loopback-only TCP listener on 1643
// (each shared with a forked child). Read from inside (`ip netns exec`) and from outside with
// --all-namespaces, which must find the same sockets and name the namespace. Then the audits: a baseline
// taken before a new listener appears fails --fail-on new and names its process; diff tells listener
// reports apart. Root only; skips without it, fails under CI=true.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include "core/csv.hpp"
#include "tests/integration/lab.hpp"
#include "tests/skip.hpp"

namespace {

using namespace std::chrono_literals;

// The CSV report's rows as maps of column name to value.
std::vector<std::map<std::string, std::string>> csv_rows(const std::string& text) {
    ghostport::core::CsvReader reader(text);
    std::vector<std::string> header, f;
    std::vector<std::map<std::string, std::string>> out;
    if (!reader.next(header)) return out;
    while (reader.next(f)) {
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
        out.push_back(std::move(row));
    }
    return out;
}

std::string semis_to_commas(std::string s) {
    std::replace(s.begin(), s.end(), ';', ',');
    return s;
}

std::string key_of(const std::map<std::string, std::string>& row) {
    return row.at("proto") + " " + row.at("address") + ":" + row.at("port") +
           " pids=" + semis_to_commas(row.at("pid")) + " procs=" + semis_to_commas(row.at("process"));
}

// Checks the rows of one namespace against the oracle: keys, user, exposure and labels.
void expect_rows(const std::vector<std::map<std::string, std::string>>& rows,
                 const std::set<std::string>& oracle, const std::string& how) {
    std::set<std::string> keys;
    for (const auto& r : rows) keys.insert(key_of(r));
    EXPECT_EQ(keys, oracle) << how;
    ASSERT_EQ(rows.size(), 3u) << how;
    for (const auto& r : rows) {
        SCOPED_TRACE(how + ": " + key_of(r));
        EXPECT_EQ(r.at("user"), "nobody;nobody");
        EXPECT_EQ(r.at("exposure"), r.at("port") == "1643" ? "loopback" : "all");
        EXPECT_EQ(r.at("proto"), r.at("port") == "642" ? "udp" : "tcp");
        EXPECT_EQ(r.at("labels").find("deleted-exe"), std::string::npos);
        EXPECT_NE(r.at("exe").find("gp_sockets"), std::string::npos);
    }
}

TEST(ListenersCli, MatchesSsInsideAndFromOutsideWithAllNamespaces) {
    if (::geteuid() != 0) GP_SKIP("needs root: creates a network namespace and runs processes as nobody");
    gp_test::LoopbackNamespace ns("lc");
    ASSERT_TRUE(ns.ok()) << "cannot create the namespace: " << ns.why();
    gp_test::Background sockets({"ip", "netns", "exec", ns.name(), "setpriv", "--reuid=nobody",
                                 "--regid=nogroup", "--clear-groups", GP_SOCKETS_BINARY, "tcp:0.0.0.0:1642",
                                 "udp:0.0.0.0:642", "tcp:127.0.0.1:1643", "--fork", "--seconds", "60"},
                                "ready");
    const auto ss = gp_test::run({"ip", "netns", "exec", ns.name(), "ss", "-ltnupH"}, 20s);
    ASSERT_EQ(ss.exit_code, 0) << ss.err;
    const auto oracle = gp_test::ss_listener_keys(ss.out);
    ASSERT_EQ(oracle.size(), 3u) << ss.out;

    const auto inside =
        gp_test::run(gp_test::with_registry({"ip", "netns", "exec", ns.name(), gp_test::ghostport_binary(),
                                             "listeners", "--format", "csv"}),
                     60s);
    ASSERT_EQ(inside.exit_code, 0) << inside.err;
    auto rows = csv_rows(inside.out);
    for (const auto& r : rows) EXPECT_EQ(r.at("namespace"), "host");
    expect_rows(rows, oracle, "inside");

    const auto outside = gp_test::run(gp_test::with_registry({gp_test::ghostport_binary(), "listeners",
                                                              "--all-namespaces", "--format", "csv"}),
                                      60s);
    ASSERT_EQ(outside.exit_code, 0) << outside.err;
    auto all = csv_rows(outside.out);
    std::erase_if(all, [&](const auto& r) { return r.at("namespace") != ns.name(); });
    expect_rows(all, oracle, "outside, --all-namespaces");

    // The table for people names the namespace too.
    const auto table = gp_test::run(
        gp_test::with_registry({gp_test::ghostport_binary(), "listeners", "--all-namespaces"}), 60s);
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("namespaces: host"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find(ns.name()), std::string::npos) << table.out;
}

TEST(ListenersCli, BaselineFailsOnANewListenerAndNamesItsProcess) {
    if (::geteuid() != 0) GP_SKIP("needs root: creates a network namespace and runs processes as nobody");
    gp_test::LoopbackNamespace ns("lb");
    ASSERT_TRUE(ns.ok()) << "cannot create the namespace: " << ns.why();
    gp_test::ScratchDir dir("listeners");
    const std::string before = dir / "before.json";
    const std::vector<std::string> in_ns{"ip",       "netns", "exec", ns.name(), gp_test::ghostport_binary(),
                                         "listeners"};
    auto args = [&](std::vector<std::string> extra) {
        std::vector<std::string> argv = in_ns;
        argv.insert(argv.end(), extra.begin(), extra.end());
        return gp_test::with_registry(argv);
    };
    gp_test::Background first(
        {"ip", "netns", "exec", ns.name(), GP_SOCKETS_BINARY, "tcp:0.0.0.0:22", "--seconds", "60"}, "ready");
    const auto base = gp_test::run(args({"-q", "-o", before}), 60s);
    ASSERT_EQ(base.exit_code, 0) << base.err;
    // Nothing new yet: no finding.
    const auto same =
        gp_test::run(args({"--baseline", before, "--fail-on", "new", "-q", "--format", "csv"}), 60s);
    EXPECT_EQ(same.exit_code, 0) << same.err;

    gp_test::Background ghost(
        {"ip", "netns", "exec", ns.name(), "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
         GP_SOCKETS_BINARY, "tcp:0.0.0.0:1642", "--seconds", "60"},
        "ready");
    const std::string after = dir / "after.csv";
    const auto run = gp_test::run(args({"--baseline", before, "--fail-on", "new", "-q", "-o", after}), 60s);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find("finding: tcp 0.0.0.0:1642 (host) pid " + std::to_string(ghost.pid()) +
                           " gp_sockets user nobody exe "),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find(": new\n"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find(":22 "), std::string::npos) << run.err;

    // diff recognises two listener reports (JSON and CSV) and compares them the same way.
    const auto diff =
        gp_test::run({gp_test::ghostport_binary(), "diff", before, after, "--format", "csv"}, 60s);
    EXPECT_EQ(diff.exit_code, 0) << diff.err;
    const auto changes = csv_rows(diff.out);
    ASSERT_EQ(changes.size(), 1u) << diff.out;
    EXPECT_EQ(changes[0].at("port"), "1642");
    EXPECT_EQ(changes[0].at("change"), "new");
}

// Without root it lists what it may (its own namespace) and says what it could not see: the other namespace.
TEST(ListenersCli, WithoutRootSaysWhatItCouldNotSee) {
    if (::geteuid() != 0) GP_SKIP("needs root: creates a network namespace and runs processes as nobody");
    gp_test::LoopbackNamespace ns("ln");
    ASSERT_TRUE(ns.ok()) << "cannot create the namespace: " << ns.why();
    gp_test::Background sockets(
        {"ip", "netns", "exec", ns.name(), GP_SOCKETS_BINARY, "tcp:0.0.0.0:1642", "--seconds", "60"},
        "ready");
    const auto table =
        gp_test::run(gp_test::with_registry({"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                             gp_test::ghostport_binary(), "listeners", "--all-namespaces"}),
                     60s);
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("not seen: network namespace " + ns.name() + ": entering it needs root"),
              std::string::npos)
        << table.out;
    EXPECT_EQ(table.out.find(" " + ns.name() + " "), std::string::npos) << table.out;  // no row of it
    EXPECT_EQ(table.err, "");  // the table said it; no second notice
    const auto csv =
        gp_test::run(gp_test::with_registry({"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                             gp_test::ghostport_binary(), "listeners", "--all-namespaces",
                                             "--format", "csv"}),
                     60s);
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_NE(csv.err.find("ghostport: not seen: network namespace " + ns.name()), std::string::npos)
        << csv.err;
}

// --against a scan of the same namespace from 127.0.0.1 (JSON and XML): 22 seen, 1642 (dropped by nftables)
// filtered, the loopback-only 1643 not judged, and 8080 (open to the scan through a DNAT rule to 22, with no
// socket of its own) forwarded.
TEST(ListenersCli, AgainstAScanTellsSeenFilteredAndForwarded) {
    if (::geteuid() != 0) GP_SKIP("needs root: creates a network namespace and runs processes as nobody");
    gp_test::LoopbackNamespace ns("la");
    ASSERT_TRUE(ns.ok()) << "cannot create the namespace: " << ns.why();
    gp_test::ScratchDir dir("against");
    gp_test::Background sockets({"ip", "netns", "exec", ns.name(), GP_SOCKETS_BINARY, "tcp:0.0.0.0:22",
                                 "tcp:127.0.0.1:1643", "tcp:0.0.0.0:1642", "--seconds", "60"},
                                "ready");
    const std::string rules =
        "table inet gpt {\n"
        "  chain in { type filter hook input priority 0; tcp dport 1642 drop; }\n"
        "  chain out { type nat hook output priority -100; tcp dport 8080 redirect to :22; }\n"
        "}\n";
    const auto nft = gp_test::run({"ip", "netns", "exec", ns.name(), "nft", "-f", "-"}, 20s, rules);
    ASSERT_EQ(nft.exit_code, 0) << nft.err;
    for (const std::string format : {"json", "xml"}) {
        SCOPED_TRACE(format);
        const std::string scan = dir / ("scan." + format);
        const auto s = gp_test::run(
            gp_test::with_registry({"ip", "netns", "exec", ns.name(), gp_test::ghostport_binary(), "scan",
                                    "127.0.0.1", "-p", "22,1642,1643,8080", "--timeout", "300ms", "-q", "-o",
                                    scan}),
            60s);
        ASSERT_EQ(s.exit_code, 0) << s.err;
        const auto l = gp_test::run(
            gp_test::with_registry({"ip", "netns", "exec", ns.name(), gp_test::ghostport_binary(),
                                    "listeners", "--against", scan}),
            60s);
        ASSERT_EQ(l.exit_code, 0) << l.err;
        EXPECT_NE(l.out.find("tcp 22 (gp_sockets pid " + std::to_string(sockets.pid()) +
                             ") listens on all addresses and the scan saw it open from outside"),
                  std::string::npos)
            << l.out;
        EXPECT_NE(l.out.find("tcp 1642 (gp_sockets pid " + std::to_string(sockets.pid()) +
                             ") listens on all addresses but the scan did not see it: filtered on the way"),
                  std::string::npos)
            << l.out;
        EXPECT_EQ(l.out.find("tcp 1643 ("), std::string::npos) << l.out;
        EXPECT_NE(
            l.out.find("127.0.0.1 8080/tcp is open from outside but no socket of this host listens on it"),
            std::string::npos)
            << l.out;
    }
}

}  // namespace
