// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/listener_sinks.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/errors.hpp"
#include "listener_sample.hpp"

namespace ghostport::output {
namespace {

std::string written(const core::ListenerReport& r, Format f) {
    std::ostringstream out;
    write_listener_report(out, r, f, false);
    return out.str();
}

TEST(ListenerCsv, HeaderAndRowsWithListsAndEscapedNames) {
    const std::string csv = written(test::sample_listener_report(), Format::csv);
    std::istringstream in(csv);
    std::string header, first, second, third;
    std::getline(in, header);
    std::getline(in, first);
    std::getline(in, second);
    std::getline(in, third);
    EXPECT_EQ(
        header,
        "proto,address,port,pid,process,user,exe,unit,container,namespace,exposure,service,range,rarity,"
        "labels");
    EXPECT_EQ(first, "tcp,0.0.0.0,22,100,sshd,root,/usr/sbin/sshd,ssh.service,,host,all,ssh,well-known,0.5,");
    EXPECT_EQ(second,
              "tcp,::,1642,812;813,nc\\x1b[2J\\x3bx;nc,nobody;nobody,/tmp/nc (deleted);/usr/bin/nc,;,"
              "abc123;abc123,host,all,isis-am,registered,9.5,ghost;deleted-exe");
    EXPECT_EQ(third, "udp,127.0.0.53,53,,,,,,,gpt-1-ns,loopback,domain,well-known,1.0,");
    EXPECT_EQ(csv.find('\x1b'), std::string::npos);
}

TEST(ListenerCsv, BaselineAndAgainstAddColumns) {
    auto r = test::sample_listener_report();
    r.meta.baseline_source = "old.csv";
    r.meta.against_source = "scan.json";
    r.rows[2].change = core::Change::changed;
    r.rows[2].change_detail = "exe /a -> /b, /c";
    r.rows[2].outside = core::Outside::seen;
    const std::string csv = written(r, Format::csv);
    EXPECT_NE(csv.find("labels,change,change_detail,outside\n"), std::string::npos);
    EXPECT_NE(csv.find(",changed,\"exe /a -> /b, /c\",seen\n"), std::string::npos);
}

TEST(ListenerTable, ColumnsSummaryAndNoControlCharacters) {
    const std::string table = written(test::sample_listener_report(), Format::table);
    EXPECT_NE(table.find("PROTO"), std::string::npos);
    EXPECT_NE(table.find("NAMESPACE"), std::string::npos);
    EXPECT_NE(table.find("CONTAINER"), std::string::npos);
    EXPECT_NE(table.find("nc\\x1b[2J\\x3bx;nc"), std::string::npos);
    EXPECT_NE(table.find("3 listeners: 2 tcp, 1 udp; 1 loopback only, 2 on all addresses, 1 ghost\n"),
              std::string::npos);
    EXPECT_NE(table.find("namespaces: host, gpt-1-ns\n"), std::string::npos);
    EXPECT_NE(table.find("not seen: processes of other users: run as root\n"), std::string::npos);
    EXPECT_EQ(table.find('\x1b'), std::string::npos);
    const auto ghost_line = table.find("\n! tcp");
    EXPECT_NE(ghost_line, std::string::npos);
}

TEST(ListenerTable, EmptyAndAgainstSentences) {
    core::ListenerReport r;
    r.meta.against_source = "scan.xml";
    r.forwarded.push_back({*core::Address::parse("198.18.0.5"), 8080, core::Proto::tcp, ""});
    const std::string table = written(r, Format::table);
    EXPECT_NE(table.find("nothing is listening\n"), std::string::npos);
    EXPECT_NE(table.find("from outside (--against scan.xml):\n  198.18.0.5 8080/tcp is open from outside"),
              std::string::npos);
}

TEST(ListenerJson, RowsOwnersAndSummary) {
    const std::string json = written(test::sample_listener_report(), Format::json);
    EXPECT_NE(json.find("{\"record\":\"listener\",\"proto\":\"tcp\",\"address\":\"0.0.0.0\",\"port\":22,"),
              std::string::npos);
    EXPECT_NE(json.find("\"owners\":[{\"pid\":812,\"process\":\"nc\\\\x1b[2J\\\\x3bx\",\"user\":\"nobody\","
                        "\"exe\":\"/tmp/nc\",\"exe_deleted\":true"),
              std::string::npos);
    EXPECT_NE(json.find("\"labels\":[\"ghost\",\"deleted-exe\"]"), std::string::npos);
    EXPECT_NE(json.find("{\"record\":\"listener_summary\""), std::string::npos);
    EXPECT_NE(json.find("\"namespaces\":[\"\",\"gpt-1-ns\"]"), std::string::npos);
}

TEST(ListenerHtml, EscapedAndSelfContained) {
    auto r = test::sample_listener_report();
    r.rows[0].listener.owners[1].process = "<script>";
    const std::string html = written(r, Format::html);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(html.find("<tr class=\"ghost\">"), std::string::npos);
}

TEST(ListenerFormats, XmlHasNoListenerForm) {
    std::ostringstream out;
    EXPECT_THROW(write_listener_report(out, test::sample_listener_report(), Format::xml, false),
                 core::InputError);
}

TEST(ListenerFormats, RarityUnknownWhenThereIsNone) {
    EXPECT_EQ(detail::listener_rarity_text(std::nullopt), "");
    EXPECT_EQ(detail::listener_rarity_text(9.54), "9.5");
}

}  // namespace
}  // namespace ghostport::output
