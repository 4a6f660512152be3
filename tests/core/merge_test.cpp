// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/merge.hpp"

#include <gtest/gtest.h>

#include "audit_rows.hpp"
#include "core/errors.hpp"

using namespace ghostport::core;
using test::row;

namespace {

using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;

// A shard report of a scan of 2 hosts x 3 ports (6 probes), seed 7; `k` of `n`.
MergeInput shard(std::string path, std::uint64_t k, std::uint64_t n, std::vector<ReportRow> rows = {}) {
    MergeInput in;
    in.path = std::move(path);
    ReportMeta& m = in.report.meta;
    m.command_line = "/usr/bin/ghostport scan 198.18.0.1-2 -p 22,80,443 --seed 7 --shard " +
                     std::to_string(k) + "/" + std::to_string(n) + " -o shard-" + std::to_string(k) + ".json";
    m.engine = "connect";
    m.seed = 7;
    m.shard = n == 1 ? "" : std::to_string(k) + "/" + std::to_string(n);
    m.hosts_targeted = 2;
    m.ports_per_host = 3;
    m.probes_planned = (6 - (k - 1) + n - 1) / n;
    m.probes_done = m.probes_planned;
    m.started_at = Time{seconds(1000 + k)};
    m.finished_at = Time{seconds(2000 - k)};
    for (const auto& r : rows) {
        m.open += r.result.state == PortState::open;
        m.closed += r.result.state == PortState::closed;
        m.filtered += r.result.state == PortState::filtered;
    }
    in.report.rows = std::move(rows);
    return in;
}

std::string error_of(std::vector<MergeInput> inputs, MergeOptions options = {}) {
    try {
        merge_reports(std::move(inputs), options);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

bool names(const std::string& message, std::initializer_list<std::string_view> words) {
    for (auto w : words)
        if (message.find(w) == std::string::npos) return false;
    return message.find('\n') == std::string::npos;
}

}  // namespace

TEST(Merge, AllShardsMakeTheWholeScan) {
    auto a = shard("a.json", 1, 3, {row("198.18.0.1", 22), row("198.18.0.2", 80, PortState::closed)});
    auto b = shard("b.json", 2, 3, {row("198.18.0.2", 22), row("198.18.0.1", 80, PortState::closed)});
    auto c = shard("c.json", 3, 3, {row("198.18.0.1", 443, PortState::filtered)});
    a.report.meta.hosts_up = 2;
    b.report.meta.hosts_up = 2;
    const auto r = merge_reports({a, b, c}, {});
    const ReportMeta& m = r.report.meta;
    EXPECT_EQ(r.shard_count, 3u);
    EXPECT_TRUE(r.missing_shards.empty());
    EXPECT_EQ(m.shard, "");
    EXPECT_FALSE(m.partial);
    EXPECT_EQ(m.seed, 7u);
    EXPECT_EQ(m.engine, "connect");
    EXPECT_EQ(m.probes_planned, 6u);
    EXPECT_EQ(m.probes_done, 6u);
    EXPECT_EQ(m.open, 2u);
    EXPECT_EQ(m.closed, 2u);
    EXPECT_EQ(m.filtered, 1u);
    EXPECT_EQ(m.hosts_up, 2u);
    EXPECT_EQ(m.started_at, Time{seconds(1001)});
    EXPECT_EQ(m.finished_at, Time{seconds(1999)});
    EXPECT_EQ(m.command_line, "/usr/bin/ghostport scan 198.18.0.1-2 -p 22,80,443 --seed 7 -o shard-1.json");
    EXPECT_EQ(r.report.rows.size(), 5u);
}

TEST(Merge, MissingShardsMakeItPartial) {
    const auto r = merge_reports({shard("a.json", 1, 4), shard("c.json", 3, 4)}, {});
    EXPECT_TRUE(r.report.meta.partial);
    EXPECT_EQ(r.report.meta.shard, "1,3/4");
    EXPECT_EQ(r.missing_shards, (std::vector<std::uint64_t>{2, 4}));
    EXPECT_EQ(r.report.meta.probes_planned, 6u);
}

TEST(Merge, APartialInputMakesItPartial) {
    auto b = shard("b.json", 2, 2);
    b.report.meta.partial = true;
    const auto r = merge_reports({shard("a.json", 1, 2), b}, {});
    EXPECT_TRUE(r.report.meta.partial);
    EXPECT_EQ(r.report.meta.shard, "");
}

TEST(Merge, RefusesReportsOfDifferentScans) {
    auto other_seed = shard("b.json", 2, 3);
    other_seed.report.meta.seed = 8;
    EXPECT_TRUE(names(error_of({shard("a.json", 1, 3), other_seed}), {"a.json", "b.json", "seed"}));

    EXPECT_TRUE(
        names(error_of({shard("a.json", 1, 3), shard("b.json", 2, 4)}), {"a.json", "b.json", "shard"}));

    auto other_ports = shard("b.json", 2, 3);
    other_ports.report.meta.ports_per_host = 4;
    other_ports.report.meta.probes_planned = 3;
    EXPECT_TRUE(
        names(error_of({shard("a.json", 1, 3), other_ports}), {"a.json", "b.json", "ports_per_host"}));

    auto other_hosts = shard("b.json", 2, 3);
    other_hosts.report.meta.hosts_targeted = 3;
    EXPECT_TRUE(
        names(error_of({shard("a.json", 1, 3), other_hosts}), {"a.json", "b.json", "hosts_targeted"}));

    auto other_ports_list = shard("b.json", 2, 3);
    other_ports_list.report.meta.command_line =
        "/usr/bin/ghostport scan 198.18.0.1-2 -p 22,80,8080 --seed 7 --shard 2/3 -o shard-2.json";
    const auto e = error_of({shard("a.json", 1, 3), other_ports_list});
    EXPECT_TRUE(names(e, {"a.json", "b.json", "command_line", "22,80,443", "22,80,8080"})) << e;
}

TEST(Merge, RefusesTheSameShardTwice) {
    const auto e = error_of({shard("a.json", 2, 3), shard("b.json", 1, 3), shard("c.json", 2, 3)});
    EXPECT_TRUE(names(e, {"a.json", "c.json", "2/3"})) << e;
    // Two whole scans are both shard 1/1.
    EXPECT_TRUE(names(error_of({shard("a.json", 1, 1), shard("b.json", 1, 1)}), {"a.json", "b.json"}));
}

TEST(Merge, ProgramPathShardAndOutputDoNotMatter) {
    auto b = shard("b.json", 2, 2);
    b.report.meta.command_line =
        "ghostport scan 198.18.0.1-2 -p 22,80,443 --seed 7 --shard=auto --output 'night shard.json'";
    auto c = shard("a.json", 1, 2);
    c.report.meta.command_line =
        "./ghostport scan 198.18.0.1-2 -p 22,80,443 --seed 7 -oa.json --shard auto/2";
    EXPECT_EQ(error_of({c, b}), "");
}

TEST(Merge, CsvInputsNeedUnchecked) {
    MergeInput csv{"rows.csv", {}};
    csv.report.rows = {row("198.18.0.1", 22), row("198.18.0.1", 23, PortState::closed)};
    const auto e = error_of({shard("a.json", 1, 2), csv});
    EXPECT_TRUE(names(e, {"rows.csv", "--format json", "--unchecked"})) << e;

    const auto r = merge_reports({shard("a.json", 1, 2), csv}, {.unchecked = true});
    EXPECT_EQ(r.report.rows.size(), 2u);
    EXPECT_EQ(r.report.meta.open, 1u);
    EXPECT_EQ(r.report.meta.closed, 1u);
    EXPECT_EQ(r.report.meta.hosts_up, 1u);
    EXPECT_EQ(r.shard_count, 0u);  // unknown: a CSV input says nothing of shards
    EXPECT_FALSE(r.report.meta.partial);
}

TEST(Merge, UncheckedMergesDifferentScans) {
    auto b = shard("b.json", 2, 3, {row("198.18.0.9", 22)});
    b.report.meta.seed = 8;
    b.report.meta.engine = "syn";
    const auto r = merge_reports({shard("a.json", 1, 3, {row("198.18.0.1", 22)}), b}, {.unchecked = true});
    EXPECT_EQ(r.report.rows.size(), 2u);
    EXPECT_EQ(r.report.meta.engine, "connect,syn");
    EXPECT_EQ(r.missing_shards, (std::vector<std::uint64_t>{3}));
    EXPECT_TRUE(r.report.meta.partial);
}

TEST(Merge, RowsAreDeduplicatedAnAnswerWinning) {
    auto a = row("198.18.0.1", 22, PortState::filtered);
    auto b = row("198.18.0.1", 22, PortState::open, "ssh");
    b.hostname = "one.example";
    auto c = row("198.18.0.1", 22, PortState::closed);
    auto d = row("198.18.0.2", 0, PortState::all_open);
    d.label.description = "answered SYN-ACK on 900 of 1000 ports";
    const auto r =
        merge_reports({shard("a.csv", 1, 1, {a, d}), shard("b.csv", 1, 1, {b, c, d})}, {.unchecked = true});
    ASSERT_EQ(r.report.rows.size(), 2u);
    EXPECT_EQ(r.report.rows[0].result.state, PortState::open);
    EXPECT_EQ(r.report.rows[0].hostname, "one.example");
    EXPECT_EQ(r.report.rows[1].result.state, PortState::all_open);
    EXPECT_EQ(r.report.rows[1].label.description, d.label.description);
}

TEST(Merge, HostsUpFromRowsOnlyWhenTheyListEveryAnswer) {
    // Every open and closed result listed: the rows say which hosts answered.
    auto a = shard("a.json", 1, 2, {row("198.18.0.1", 22), row("198.18.0.2", 80, PortState::closed)});
    auto b = shard("b.json", 2, 2, {row("198.18.0.1", 80, PortState::closed)});
    a.report.meta.hosts_up = 2;
    b.report.meta.hosts_up = 1;
    EXPECT_EQ(merge_reports({a, b}, {}).report.meta.hosts_up, 2u);
    // --show open: the closed ones are counted but not listed, so the largest count is the best we know.
    auto c = shard("a.json", 1, 2, {row("198.18.0.1", 22)});
    c.report.meta.closed = 4;
    c.report.meta.hosts_up = 2;
    auto d = shard("b.json", 2, 2, {});
    d.report.meta.closed = 3;
    d.report.meta.hosts_up = 1;
    EXPECT_EQ(merge_reports({c, d}, {}).report.meta.hosts_up, 2u);
}

TEST(Merge, ShardSpecs) {
    EXPECT_EQ(parse_shard_spec("2/3")->k, 2u);
    EXPECT_EQ(parse_shard_spec("2/3")->n, 3u);
    for (auto bad : {"", "3", "0/3", "4/3", "a/3", "1/", "/3", "1/3x"})
        EXPECT_FALSE(parse_shard_spec(bad)) << bad;
}

TEST(Merge, CommandLineWordsRoundTrip) {
    const std::vector<std::string> words{"ghostport", "scan", "--exclude-file", "my hosts", "it's",
                                         "",          "a\\b"};
    const std::string line = join_command_line(words);
    EXPECT_EQ(line, "ghostport scan --exclude-file 'my hosts' 'it'\\''s' '' 'a\\b'");
    EXPECT_EQ(split_command_line(line), words);
}

TEST(Merge, NormalizedCommandLineDropsShardAndOutput) {
    using W = std::vector<std::string>;
    EXPECT_EQ(normalized_command_line("/opt/gp/ghostport scan 127.0.0.1 --shard 1/3 -o a.json --seed 7"),
              (W{"scan", "127.0.0.1", "--seed", "7"}));
    EXPECT_EQ(
        normalized_command_line("ghostport scan --shard=auto --output=x.csv -ox.json -o=y -q 192.0.2.1"),
        (W{"scan", "-q", "192.0.2.1"}));
    EXPECT_EQ(normalized_command_line("ghostport scan --shards 2 --outputs x -- -o"),
              (W{"scan", "--shards", "2", "--outputs", "x", "--", "-o"}));
}

TEST(Merge, ServiceTravelsWithItsRow) {
    auto a =
        test::identified(row("198.18.0.1", 22, PortState::open, "ssh"), "ssh", "", "ssh-ed25519 SHA256:x");
    a.service.product = "OpenSSH";
    auto b = test::identified(row("198.18.0.2", 443, PortState::open, "https"), "http", "TLSv1.3");
    auto sa = shard("a.json", 1, 2, {a});
    auto sb = shard("b.json", 2, 2, {b});
    sa.report.meta.service_scan = sb.report.meta.service_scan = true;
    const auto r = merge_reports({sa, sb}, {});
    ASSERT_EQ(r.report.rows.size(), 2u);
    EXPECT_EQ(r.report.rows[0].service.product, "OpenSSH");
    EXPECT_EQ(r.report.rows[0].service.fingerprint, "ssh-ed25519 SHA256:x");
    EXPECT_EQ(r.report.rows[1].service.tls, "TLSv1.3");
    EXPECT_TRUE(r.report.meta.service_scan);
    EXPECT_FALSE(
        merge_reports({shard("a.json", 1, 1, {row("198.18.0.1", 22)})}, {}).report.meta.service_scan);
}

TEST(Merge, ADuplicateListenerWithoutAServiceTakesTheOthers) {
    using std::chrono::seconds;
    auto early = test::identified(row("198.18.0.1", 22), "ssh");
    early.result.scanned_at = std::chrono::system_clock::time_point{seconds(10)};
    auto late = row("198.18.0.1", 22);  // a later scan without -sV
    late.result.scanned_at = std::chrono::system_clock::time_point{seconds(20)};
    late.hostname = "late.example";
    auto closed = test::identified(row("198.18.0.1", 23, PortState::closed), "");
    auto open23 = test::identified(row("198.18.0.1", 23), "telnet");
    auto later_unknown = test::identified(row("198.18.0.1", 24), "unknown");
    later_unknown.result.scanned_at = late.result.scanned_at;
    auto earlier_http = test::identified(row("198.18.0.1", 24), "http");
    const auto r = merge_reports({shard("a.csv", 1, 1, {early, closed, earlier_http}),
                                  shard("b.csv", 1, 1, {late, open23, later_unknown})},
                                 {.unchecked = true});
    ASSERT_EQ(r.report.rows.size(), 3u);
    EXPECT_EQ(r.report.rows[0].hostname, "late.example");  // the later row wins
    EXPECT_EQ(r.report.rows[0].service.name, "ssh");       // and keeps what -sV found earlier
    EXPECT_EQ(r.report.rows[1].service.name, "telnet");
    EXPECT_EQ(r.report.rows[2].service.name, "unknown");  // identified (unknown) is kept as it is
}

// Each shard saw port 1642 open on one or two hosts; over the whole scan it is open on 3 of 4 hosts up.
TEST(Merge, HostsOpenAndFleetWideAreCountedOverTheWholeScan) {
    auto a =
        shard("a.json", 1, 2,
              {row("198.18.0.1", 1642), row("198.18.0.2", 1642), row("198.18.0.4", 22, PortState::closed)});
    auto b = shard("b.json", 2, 2, {row("198.18.0.3", 1642), row("198.18.0.4", 1642, PortState::closed)});
    for (auto* in : {&a, &b})
        for (auto& r : in->report.rows) r.label.hosts_open = 1;  // what one shard counted
    a.report.meta.closed = 1;
    b.report.meta.closed = 1;
    const auto r = merge_reports({a, b}, {});
    ASSERT_EQ(r.report.meta.hosts_up, 4u);
    for (const auto& row : r.report.rows) {
        if (row.result.port != 1642) continue;
        EXPECT_EQ(row.label.hosts_open, 3u) << row.result.host.to_string();
        EXPECT_EQ((row.label.labels & label_fleet_wide) != 0, row.result.state == PortState::open);
    }
}

// 53/tcp and 53/udp of one host are two rows, never merged into one; open|filtered is counted apart and
// loses to an answer like filtered does.
TEST(Merge, TcpAndUdpOfOnePortStayApart) {
    auto tcp = row("198.18.0.1", 53, PortState::open, "domain");
    auto udp_quiet = test::udp(row("198.18.0.1", 53, PortState::open_filtered, "domain"));
    auto udp_open = test::udp(row("198.18.0.1", 53, PortState::open, "domain"));
    auto a = shard("a.json", 1, 2, {tcp, udp_quiet});
    auto b = shard("b.json", 2, 2, {udp_open});
    a.report.meta.open_filtered = 1;
    const auto r = merge_reports({a, b}, {});
    ASSERT_EQ(r.report.rows.size(), 2u);
    EXPECT_EQ(r.report.rows[0].result.proto, Proto::tcp);
    EXPECT_EQ(r.report.rows[0].result.state, PortState::open);
    EXPECT_EQ(r.report.rows[1].result.proto, Proto::udp);
    EXPECT_EQ(r.report.rows[1].result.state, PortState::open);
    EXPECT_EQ(r.report.meta.open_filtered, 1u);
    EXPECT_EQ(r.report.meta.open, 2u);
    // Each is open on its one host: counted per (port, proto), not twice for port 53.
    EXPECT_EQ(r.report.rows[0].label.hosts_open, 1u);
    EXPECT_EQ(r.report.rows[1].label.hosts_open, 1u);
}

// A CSV input counts its open|filtered rows, and its ports per host are (port, proto) pairs.
TEST(Merge, CsvCountsOpenFilteredAndPortsPerProtocol) {
    MergeInput in;
    in.path = "udp.csv";
    in.report.rows = {row("198.18.0.1", 53), test::udp(row("198.18.0.1", 53, PortState::open_filtered)),
                      test::udp(row("198.18.0.1", 161, PortState::closed))};
    const auto r = merge_reports({in}, {.unchecked = true});
    EXPECT_EQ(r.report.meta.open_filtered, 1u);
    EXPECT_EQ(r.report.meta.closed, 1u);
    EXPECT_EQ(r.report.meta.ports_per_host, 3u);
    EXPECT_EQ(r.report.rows.size(), 3u);
}
