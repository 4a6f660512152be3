// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/listener_report.hpp"

#include <gtest/gtest.h>

#include "listener_rows.hpp"

namespace ghostport::core {
namespace {

using test::listener_row;

TEST(EscapeName, ControlsSeparatorsAndBadUtf8BecomeHexAndRoundTrip) {
    const std::string raw = std::string("a\x1b[31m;b\\c\xff") + "\xc3\xa9" + "\xc2\x9b";
    const std::string escaped = escape_name(raw);
    EXPECT_EQ(escaped, "a\\x1b[31m\\x3bb\\\\c\\xff\xc3\xa9\\xc2\\x9b");
    EXPECT_EQ(unescape_name(escaped), raw);
}

TEST(EscapeName, PlainNamesPassUnchanged) {
    EXPECT_EQ(escape_name("/usr/sbin/sshd"), "/usr/sbin/sshd");
    EXPECT_EQ(unescape_name("/usr/sbin/sshd"), "/usr/sbin/sshd");
    EXPECT_EQ(unescape_name("bad\\x4"), "bad\\x4");  // malformed escape kept
}

TEST(ListenerReport, ExecutablesAreDistinctSortedAndDeletedIsSeen) {
    auto row = listener_row(Proto::tcp, "0.0.0.0", 80, 20, "nginx", "/usr/sbin/nginx");
    auto second = row.listener.owners.front();
    second.pid = 10;
    second.exe = "/tmp/x";
    second.exe_deleted = true;
    row.listener.owners.push_back(second);
    row.listener.owners.push_back(row.listener.owners.front());
    EXPECT_EQ(executables(row.listener), (std::vector<std::string>{"/tmp/x", "/usr/sbin/nginx"}));
    EXPECT_TRUE(has_deleted_exe(row.listener));
    row.listener.owners.erase(row.listener.owners.begin() + 1);
    EXPECT_FALSE(has_deleted_exe(row.listener));
}

TEST(ListenerReport, RowsSortByNamespaceProtoPortAddress) {
    const auto a = listener_row(Proto::tcp, "0.0.0.0", 22);
    const auto b = listener_row(Proto::tcp, "127.0.0.1", 22);
    const auto c = listener_row(Proto::udp, "0.0.0.0", 1);
    const auto d = listener_row(Proto::tcp, "0.0.0.0", 1, 0, "", "", "gpt-ns");
    EXPECT_TRUE(listener_row_less(a, b));
    EXPECT_TRUE(listener_row_less(b, c));
    EXPECT_TRUE(listener_row_less(c, d));
    EXPECT_FALSE(listener_row_less(b, a));
    EXPECT_EQ(namespace_text(""), "host");
    EXPECT_EQ(namespace_text("gpt-ns"), "gpt-ns");
}

}  // namespace
}  // namespace ghostport::core
