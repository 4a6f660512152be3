// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/listener_audit.hpp"

#include <gtest/gtest.h>

#include "listener_rows.hpp"

namespace ghostport::core {
namespace {

using test::listener_row;

TEST(CompareListeners, NewGoneChangedAndUnchangedByNamespaceProtoAddressPort) {
    std::vector<ListenerRow> baseline{
        listener_row(Proto::tcp, "0.0.0.0", 22, 100, "sshd", "/usr/sbin/sshd"),
        listener_row(Proto::tcp, "0.0.0.0", 80, 200, "nginx", "/usr/sbin/nginx"),
        listener_row(Proto::udp, "0.0.0.0", 53, 300, "named", "/usr/sbin/named"),
    };
    std::vector<ListenerRow> rows{
        listener_row(Proto::tcp, "0.0.0.0", 22, 101, "sshd", "/tmp/x"),            // exe changed
        listener_row(Proto::tcp, "0.0.0.0", 80, 201, "nginx", "/usr/sbin/nginx"),  // another pid: same
        listener_row(Proto::tcp, "0.0.0.0", 1642, 400, "nc", "/usr/bin/nc"),       // new
        listener_row(Proto::udp, "0.0.0.0", 53, 300, "named", "/usr/sbin/named", "gpt-ns"),  // other ns: new
    };
    const auto counts = compare_listeners(rows, baseline);
    EXPECT_EQ(counts.added, 2u);
    EXPECT_EQ(counts.changed, 1u);
    EXPECT_EQ(counts.unchanged, 1u);
    EXPECT_EQ(counts.gone, 1u);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0].change, Change::changed);
    EXPECT_EQ(rows[0].change_detail, "exe /usr/sbin/sshd -> /tmp/x");
    EXPECT_EQ(rows[1].change, Change::unchanged);
    EXPECT_EQ(rows[2].change, Change::added);
    EXPECT_EQ(rows[3].change, Change::added);
    EXPECT_EQ(rows[4].change, Change::gone);
    EXPECT_EQ(rows[4].listener.port, 53);
    EXPECT_EQ(rows[4].listener.netns, "");
}

TEST(CompareListeners, UnknownExecutablesAreNotAChange) {
    std::vector<ListenerRow> baseline{listener_row(Proto::tcp, "0.0.0.0", 22, 100, "sshd", "/usr/sbin/sshd")};
    std::vector<ListenerRow> rows{listener_row(Proto::tcp, "0.0.0.0", 22)};  // read without root: no owner
    compare_listeners(rows, baseline);
    EXPECT_EQ(rows[0].change, Change::unchanged);
}

TEST(CompareListeners, ReuseportSocketsOfOneKeyCompareAsOneSet) {
    std::vector<ListenerRow> baseline{listener_row(Proto::tcp, "::", 443, 1, "a", "/usr/bin/a")};
    std::vector<ListenerRow> rows{listener_row(Proto::tcp, "::", 443, 2, "a", "/usr/bin/a"),
                                  listener_row(Proto::tcp, "::", 443, 3, "b", "/usr/bin/b")};
    compare_listeners(rows, baseline);
    EXPECT_EQ(rows[0].change, Change::changed);
    EXPECT_EQ(rows[1].change_detail, "exe /usr/bin/a -> /usr/bin/a,/usr/bin/b");
}

TEST(ListenerExpect, AllAddressesMatchAnAddressLineAndBoundAddressesOnlyTheirOwn) {
    const auto list = ExpectList::parse(
        "198.18.0.5 22 ssh for admins\n"
        "127.0.0.1 5432/tcp local postgres\n"
        "myhost 53/udp resolver\n");
    std::vector<ListenerRow> rows{
        listener_row(Proto::tcp, "0.0.0.0", 22),       // all: matches line 1
        listener_row(Proto::tcp, "198.51.100.7", 22),  // another address: no
        listener_row(Proto::tcp, "127.0.0.1", 5432),   // line 2
        listener_row(Proto::tcp, "0.0.0.0", 5432),     // all, but line 2 is a loopback address: it matches
        listener_row(Proto::udp, "0.0.0.0", 53),       // the name line
        listener_row(Proto::tcp, "::", 22),            // v6 socket, v4 line: no (not dual-stack)
    };
    EXPECT_EQ(apply_expect(list, rows, "MyHost"), 4u);
    EXPECT_TRUE(rows[0].label.labels & label_expected);
    EXPECT_EQ(rows[0].expect_note, "ssh for admins");
    EXPECT_FALSE(rows[1].label.labels & label_expected);
    EXPECT_TRUE(rows[2].label.labels & label_expected);
    EXPECT_TRUE(rows[4].label.labels & label_expected);
    EXPECT_FALSE(rows[5].label.labels & label_expected);
    rows[5].listener.dual_stack = true;
    EXPECT_TRUE(expect_matches(list.entries()[0], rows[5].listener, ""));
}

TEST(ListenerFindings, ScanConditionsApplyAndNameTheProcess) {
    std::vector<ListenerRow> rows{
        listener_row(Proto::tcp, "0.0.0.0", 1642, 812, "nc", "/usr/bin/nc"),
        listener_row(Proto::tcp, "0.0.0.0", 22, 100, "sshd", "/usr/sbin/sshd"),
        listener_row(Proto::udp, "0.0.0.0", 642, 813, "x\x1b", "/memfd:x"),
    };
    rows[0].change = Change::added;
    rows[0].label.labels = label_ghost;
    rows[0].label.rarity = 9.5;
    rows[1].change = Change::unchanged;
    rows[2].label.labels = label_deleted_exe;
    rows[2].listener.owners[0].exe_deleted = true;
    const auto found = listener_findings(rows, FailOn::parse("new,ghost,deleted-exe"));
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].why, "new, ghost");
    EXPECT_EQ(finding_text(found[0]),
              "tcp 0.0.0.0:1642 (host) pid 812 nc user nobody exe /usr/bin/nc rarity 9.5: new, ghost");
    EXPECT_EQ(found[1].why, "deleted-exe");
    EXPECT_NE(finding_text(found[1]).find("x\\x1b user nobody exe /memfd:x (deleted)"), std::string::npos);
}

TEST(ListenerFindings, ExpectedRowsAreNeverFindings) {
    std::vector<ListenerRow> rows{listener_row(Proto::tcp, "0.0.0.0", 1642, 812, "nc", "/usr/bin/nc")};
    rows[0].label.labels = label_ghost | label_expected;
    EXPECT_TRUE(listener_findings(rows, FailOn::parse("ghost")).empty());
    rows[0].label.labels = label_ghost;
    EXPECT_EQ(listener_findings(rows, FailOn::parse("label=ghost")).size(), 1u);
}

}  // namespace
}  // namespace ghostport::core
