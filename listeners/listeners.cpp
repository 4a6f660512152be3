// SPDX-License-Identifier: GPL-2.0-or-later
// Reads the listeners of one or every network namespace: socket table, then owners, then sorted.
#include "listeners/listeners.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "listeners/attach_owners.hpp"
#include "listeners/netns.hpp"
#include "listeners/owners.hpp"
#include "listeners/socket_table.hpp"
#include "listeners/socket_units.hpp"

namespace ghostport::listeners {

bool listener_less(const core::Listener& a, const core::Listener& b) {
    return std::tie(a.netns, a.proto, a.port, a.address, a.inode) <
           std::tie(b.netns, b.proto, b.port, b.address, b.inode);
}

ReadResult read_listeners(const ReadOptions& options) {
    ReadResult out;
    out.listeners = read_socket_table(&out.unseen);  // the caller's own namespace: its errors are thrown

    if (options.all_namespaces) {
        auto list = list_namespaces(options.proc_root, options.netns_dir);
        out.unseen.insert(out.unseen.end(), list.unseen.begin(), list.unseen.end());
        for (const auto& ns : list.namespaces) {
            if (ns.own) continue;
            std::vector<core::Listener> rows;
            std::vector<std::string> missed;
            if (auto why = run_in_namespace(ns.path, [&] { rows = read_socket_table(&missed); })) {
                out.unseen.push_back(fmt::format("network namespace {}: {}", ns.name, *why));
                continue;
            }
            for (const auto& m : missed)
                out.unseen.push_back(fmt::format("network namespace {}: {}", ns.name, m));
            for (auto& row : rows) row.netns = ns.name;
            out.listeners.insert(out.listeners.end(), std::make_move_iterator(rows.begin()),
                                 std::make_move_iterator(rows.end()));
        }
    }

    auto holders = read_socket_holders(options.proc_root);
    attach_owners(out.listeners, holders, options.proc_root,
                  [&] { return read_socket_units(options.proc_root); });
    if (holders.unreadable > 0)
        out.unseen.push_back(fmt::format(
            "the open files of {} could not be looked at (permission denied: that needs root), so "
            "the listeners they hold show no owner",
            holders.unreadable == 1 ? std::string("1 process")
                                    : fmt::format("{} processes", holders.unreadable)));
    std::sort(out.listeners.begin(), out.listeners.end(), listener_less);
    return out;
}

}  // namespace ghostport::listeners
