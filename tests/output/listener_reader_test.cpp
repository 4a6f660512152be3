// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/listener_reader.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/errors.hpp"
#include "listener_sample.hpp"
#include "output/listener_sinks.hpp"

namespace ghostport::output {
namespace {

std::string written(const core::ListenerReport& r, Format f) {
    std::ostringstream out;
    write_listener_report(out, r, f, false);
    return out.str();
}

void expect_same_rows(const core::ListenerReport& back) {
    ASSERT_EQ(back.rows.size(), 3u);
    // Written in listener_row_less order: sshd, nc, the namespace's udp socket.
    const auto& nc = back.rows[1].listener;
    EXPECT_EQ(nc.port, 1642);
    ASSERT_EQ(nc.owners.size(), 2u);
    EXPECT_EQ(nc.owners[0].process, "nc\x1b[2J;x");  // unescaped back to the raw name
    EXPECT_TRUE(nc.owners[0].exe_deleted);
    EXPECT_EQ(nc.owners[0].exe, "/tmp/nc");
    EXPECT_EQ(nc.owners[1].exe, "/usr/bin/nc");
    EXPECT_EQ(nc.owners[0].container, "abc123");
    EXPECT_EQ(back.rows[1].label.labels, core::Labels{core::label_ghost | core::label_deleted_exe});
    EXPECT_EQ(back.rows[2].listener.netns, "gpt-1-ns");
    EXPECT_EQ(back.rows[2].listener.proto, core::Proto::udp);
    EXPECT_TRUE(back.rows[2].listener.owners.empty());
    EXPECT_EQ(back.rows[0].listener.owners.at(0).unit, "ssh.service");
}

TEST(ListenerReader, CsvRoundTrip) {
    const std::string csv = written(test::sample_listener_report(), Format::csv);
    EXPECT_TRUE(is_listener_report(csv));
    expect_same_rows(read_listener_report(csv));
}

TEST(ListenerReader, JsonRoundTripWithMetadata) {
    auto r = test::sample_listener_report();
    r.meta.baseline_source = "old.json";
    r.rows[0].change = core::Change::added;
    r.forwarded.push_back({*core::Address::parse("198.18.0.5"), 8080, core::Proto::tcp, "gpt-c"});
    r.meta.against_source = "scan.xml";
    const std::string json = written(r, Format::json);
    EXPECT_TRUE(is_listener_report(json));
    const auto back = read_listener_report(json);
    expect_same_rows(back);
    EXPECT_TRUE(back.rows[1].listener.dual_stack);
    EXPECT_EQ(back.rows[1].change, core::Change::added);
    EXPECT_EQ(back.meta.hostname, "vm");
    EXPECT_EQ(back.meta.namespaces, (std::vector<std::string>{"", "gpt-1-ns"}));
    EXPECT_EQ(back.meta.baseline_source, "old.json");
    ASSERT_EQ(back.forwarded.size(), 1u);
    EXPECT_EQ(back.forwarded[0].elsewhere, "gpt-c");
}

TEST(ListenerReader, ScanReportsAreNotListenerReports) {
    EXPECT_FALSE(is_listener_report("host,hostname,port,proto,state\n"));
    EXPECT_FALSE(is_listener_report("{\"record\":\"port\",\"host\":\"198.18.0.5\"}\n"));
    EXPECT_FALSE(is_listener_report(""));
    EXPECT_TRUE(is_listener_report("\n{\"record\":\"listener_summary\"}\n"));
}

TEST(ListenerReader, BadInputIsNamedByLine) {
    const std::string header =
        "proto,address,port,pid,process,user,exe,unit,container,namespace,exposure,service,range,rarity,"
        "labels\n";
    try {
        read_listener_report(header + "tcp,0.0.0.0,99999,,,,,,,host,all,,,1.0,\n");
        FAIL() << "no throw";
    } catch (const core::InputError& e) {
        EXPECT_EQ(std::string(e.what()), "line 2: bad port \"99999\"");
    }
    EXPECT_THROW(read_listener_report(header + "sctp,0.0.0.0,1,,,,,,,host,all,,,1.0,\n"), core::InputError);
    EXPECT_THROW(read_listener_report(header + "tcp,0.0.0.0,1,,,,,,,host,all,,,1.0,bogus\n"),
                 core::InputError);
    EXPECT_THROW(read_listener_report(header + "tcp,0.0.0.0,1\n"), core::InputError);
    EXPECT_THROW(read_listener_report("{\"record\":\"listener\",\"proto\":\"tcp\"}\n"), core::InputError);
    EXPECT_THROW(read_listener_report("{\"record\":\"listener_summary\"}\n{\"record\":\"forwarded\"}\n"),
                 core::InputError);
}

}  // namespace
}  // namespace ghostport::output
