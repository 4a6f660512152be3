// Reads the listeners of one or every network namespace: socket table, then owners, then sorted.
#include "listeners/listeners.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "listeners/netns.hpp"
#include "listeners/owners.hpp"
#include "listeners/socket_table.hpp"
#include "listeners/socket_units.hpp"

namespace ghostport::listeners {

namespace {

// Fills the owners of every listener from the holders' map, reading each process once; pid 1 when it is
// systemd is named by the socket unit that listens there (socket activation).
void attach_owners(std::vector<core::Listener>& rows, const SocketHolders& holders,
                   const std::string& proc_root) {
    std::map<int, core::ListenerOwner> owners;
    std::optional<std::vector<SocketUnit>> units;  // read on first need
    for (auto& row : rows) {
        auto it = holders.pids_by_inode.find(row.inode);
        if (row.inode == 0 || it == holders.pids_by_inode.end()) continue;
        for (int pid : it->second) {
            auto found = owners.find(pid);
            if (found == owners.end()) found = owners.emplace(pid, read_owner(proc_root, pid)).first;
            core::ListenerOwner owner = found->second;
            if (pid == 1 && owner.process == "systemd") {
                if (!units) units = read_socket_units(proc_root);
                if (auto unit = socket_unit_for(*units, row.address, row.port)) owner.unit = *unit;
            }
            row.owners.push_back(std::move(owner));
        }
    }
}

}  // namespace

bool listener_less(const core::Listener& a, const core::Listener& b) {
    return std::tie(a.netns, a.proto, a.port, a.address, a.inode) <
           std::tie(b.netns, b.proto, b.port, b.address, b.inode);
}

ReadResult read_listeners(const ReadOptions& options) {
    ReadResult out;
    out.listeners = read_socket_table();  // the caller's own namespace: errors here are the caller's

    if (options.all_namespaces) {
        auto list = list_namespaces(options.proc_root, options.netns_dir);
        out.unseen.insert(out.unseen.end(), list.unseen.begin(), list.unseen.end());
        for (const auto& ns : list.namespaces) {
            if (ns.own) continue;
            std::vector<core::Listener> rows;
            if (auto why = run_in_namespace(ns.path, [&] { rows = read_socket_table(); })) {
                out.unseen.push_back(fmt::format("network namespace {}: {}", ns.name, *why));
                continue;
            }
            for (auto& row : rows) row.netns = ns.name;
            out.listeners.insert(out.listeners.end(), std::make_move_iterator(rows.begin()),
                                 std::make_move_iterator(rows.end()));
        }
    }

    auto holders = read_socket_holders(options.proc_root);
    attach_owners(out.listeners, holders, options.proc_root);
    if (holders.unreadable > 0)
        out.unseen.push_back(fmt::format(
            "the open files of {} processes could not be looked at (permission denied: that needs root), so "
            "the listeners they hold show no owner",
            holders.unreadable));
    std::sort(out.listeners.begin(), out.listeners.end(), listener_less);
    return out;
}

}  // namespace ghostport::listeners
