// SPDX-License-Identifier: GPL-2.0-or-later
// What a process's cgroup path says about it: its systemd unit and the container it runs in.
#pragma once

#include <string>
#include <string_view>

namespace ghostport::listeners {

struct CgroupFacts {
    std::string unit;       // the deepest systemd unit in the path ("nginx.service", "session-3.scope"), ""
    std::string container;  // the container id (docker, containerd, CRI-O, podman) or LXC name, ""
    bool operator==(const CgroupFacts&) const = default;
};

// Parses the text of /proc/PID/cgroup (cgroup v2 "0::/path", or v1 "ID:controllers:/path" lines). The path
// read is the v2 one, else the v1 "name=systemd" one, else the first. Malformed lines are ignored.
CgroupFacts parse_cgroup(std::string_view text);

// The facts of one cgroup path ("/system.slice/docker-<id>.scope").
CgroupFacts facts_of_cgroup_path(std::string_view path);

}  // namespace ghostport::listeners
