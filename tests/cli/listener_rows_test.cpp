// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/listener_rows.hpp"

#include <gtest/gtest.h>

namespace ghostport::cli {
namespace {

const registry::Registry& iana() {
    static const registry::Registry r = registry::Registry::from_iana_csv(
        "Service Name,Port Number,Transport Protocol,Description,Unauthorized Use Reported\n"
        "ssh,22,tcp,The Secure Shell (SSH) Protocol,\n"
        "isis-am,1642,tcp,isis-am,\n",
        "iana.csv");
    return r;
}

core::Listener listener(std::uint16_t port, bool deleted, const std::string& netns = "") {
    core::Listener l;
    l.address = *core::Address::parse("0.0.0.0");
    l.port = port;
    l.netns = netns;
    core::ListenerOwner o;
    o.pid = 7;
    o.exe = "/x";
    o.exe_deleted = deleted;
    l.owners.push_back(o);
    return l;
}

TEST(LabelListeners, RegistryLabelAsAnOpenPortPlusDeletedExe) {
    const registry::Labeler labeler(iana(), nullptr);
    const auto rows = label_listeners({listener(22, false), listener(1642, true, "gpt-1-a")}, labeler);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].label.service, "ssh");
    EXPECT_FALSE(rows[0].label.labels & core::label_deleted_exe);
    EXPECT_EQ(rows[1].label.service, "isis-am");
    EXPECT_TRUE(rows[1].label.labels & core::label_deleted_exe);
    EXPECT_EQ(rows[1].listener.netns, "gpt-1-a");
    EXPECT_EQ(rows[1].label.labels & ~core::Labels{core::label_deleted_exe},
              labeler.label_port(1642, core::Proto::tcp, true, 1, 1).labels);
    EXPECT_EQ(namespaces_of(rows), (std::vector<std::string>{"", "gpt-1-a"}));
}

}  // namespace
}  // namespace ghostport::cli
