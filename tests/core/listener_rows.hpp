// SPDX-License-Identifier: GPL-2.0-or-later
// Listener rows for the listener report tests.
#pragma once

#include <string>

#include "core/listener_report.hpp"

namespace ghostport::test {

// A listener row: proto, bound address, port, and one owner (pid, process, exe) when pid != 0.
inline core::ListenerRow listener_row(core::Proto proto, const std::string& address, std::uint16_t port,
                                      int pid = 0, const std::string& process = "",
                                      const std::string& exe = "", const std::string& netns = "") {
    core::ListenerRow row;
    row.listener.proto = proto;
    row.listener.address = *core::Address::parse(address);
    row.listener.port = port;
    row.listener.netns = netns;
    if (pid != 0) {
        core::ListenerOwner o;
        o.pid = pid;
        o.process = process;
        o.user = "nobody";
        o.exe = exe;
        row.listener.owners.push_back(o);
    }
    return row;
}

}  // namespace ghostport::test
