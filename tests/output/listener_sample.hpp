// SPDX-License-Identifier: GPL-2.0-or-later
// A small listener report for the listener sink and reader tests.
#pragma once

#include "core/listener_report.hpp"

namespace ghostport::test {

// Three rows: sshd on 0.0.0.0:22 (tcp), a ghost nc on :: 1642 (dual stack, two owners, one deleted exe,
// a hostile process name), a loopback UDP socket in namespace gpt-1-ns without visible owners.
inline core::ListenerReport sample_listener_report() {
    core::ListenerReport r;
    r.meta.command_line = "ghostport listeners";
    r.meta.hostname = "vm";
    r.meta.registry_source = "iana.csv";
    r.meta.registry_snapshot = "2026-01-01";
    r.meta.namespaces = {"", "gpt-1-ns"};
    r.meta.unseen = {"processes of other users: run as root"};
    core::ListenerRow ssh;
    ssh.listener.address = *core::Address::parse("0.0.0.0");
    ssh.listener.port = 22;
    ssh.listener.owners.push_back({100, "sshd", "root", "/usr/sbin/sshd", false, "ssh.service", ""});
    ssh.label.service = "ssh";
    ssh.label.rarity = 0.5;
    core::ListenerRow nc;
    nc.listener.address = *core::Address::parse("::");
    nc.listener.port = 1642;
    nc.listener.dual_stack = true;
    nc.listener.owners.push_back({812, "nc\x1b[2J;x", "nobody", "/tmp/nc", true, "", "abc123"});
    nc.listener.owners.push_back({813, "nc", "nobody", "/usr/bin/nc", false, "", "abc123"});
    nc.label.service = "isis-am";
    nc.label.rarity = 9.5;
    nc.label.labels = core::label_ghost | core::label_deleted_exe;
    core::ListenerRow dns;
    dns.listener.proto = core::Proto::udp;
    dns.listener.address = *core::Address::parse("127.0.0.53");
    dns.listener.port = 53;
    dns.listener.netns = "gpt-1-ns";
    dns.label.service = "domain";
    dns.label.rarity = 1.0;
    r.rows = {nc, dns, ssh};
    return r;
}

}  // namespace ghostport::test
