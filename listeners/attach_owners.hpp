// SPDX-License-Identifier: GPL-2.0-or-later
// Joins the socket table with the processes that hold each socket.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/listener.hpp"
#include "listeners/owners.hpp"
#include "listeners/socket_units.hpp"

namespace ghostport::listeners {

// Fills the owners of every row from `holders` (sorted by pid; each process read once from proc_root). When
// pid 1 is systemd and holds a row's socket (socket activation), its unit is the socket unit listening
// there; socket_units is called at most once, and only then.
void attach_owners(std::vector<core::Listener>& rows, const SocketHolders& holders,
                   const std::string& proc_root,
                   const std::function<std::vector<SocketUnit>()>& socket_units);

}  // namespace ghostport::listeners
