// SPDX-License-Identifier: GPL-2.0-or-later
// Owners per socket inode, with systemd's socket units for the sockets pid 1 holds.
#include "listeners/attach_owners.hpp"

#include <map>
#include <optional>

namespace ghostport::listeners {

void attach_owners(std::vector<core::Listener>& rows, const SocketHolders& holders,
                   const std::string& proc_root,
                   const std::function<std::vector<SocketUnit>()>& socket_units) {
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
                if (!units) units = socket_units();
                if (auto unit = socket_unit_for(*units, row.address, row.port)) owner.unit = *unit;
            }
            row.owners.push_back(std::move(owner));
        }
    }
}

}  // namespace ghostport::listeners
