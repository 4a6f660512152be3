// SPDX-License-Identifier: GPL-2.0-or-later
// Unit and container from a cgroup path, as systemd, docker, containerd, CRI-O, podman and LXC lay it out.
#include "listeners/cgroup.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace ghostport::listeners {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool is_unit(std::string_view part) {
    constexpr std::array<std::string_view, 5> kinds{".service", ".scope", ".socket", ".mount", ".swap"};
    return std::any_of(kinds.begin(), kinds.end(),
                       [&](std::string_view k) { return part.size() > k.size() && ends_with(part, k); });
}

bool is_container_id(std::string_view s) {
    return s.size() >= 12 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::vector<std::string_view> parts_of(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        auto slash = path.find('/');
        auto part = path.substr(0, slash);
        if (!part.empty()) parts.push_back(part);
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return parts;
}

// The container id one path component names, "" when none: "<runtime>-<id>.scope", a bare id under a
// runtime's folder (v1 "/docker/<id>", "/kubepods/.../<id>"), an LXC payload.
std::string container_of(std::string_view part, std::string_view parent) {
    constexpr std::array<std::string_view, 4> runtimes{"docker-", "cri-containerd-", "crio-", "libpod-"};
    if (ends_with(part, ".scope")) {
        auto stem = part.substr(0, part.size() - 6);
        for (auto r : runtimes)
            if (starts_with(stem, r) && is_container_id(stem.substr(r.size())))
                return std::string(stem.substr(r.size()));
    }
    if (starts_with(part, "lxc.payload.") && part.size() > 12) return std::string(part.substr(12));
    if (parent == "lxc" || parent == "lxc.payload") return std::string(part);
    if (is_container_id(part) && part.size() == 64) return std::string(part);
    return "";
}

}  // namespace

CgroupFacts facts_of_cgroup_path(std::string_view path) {
    CgroupFacts out;
    auto parts = parts_of(path);
    std::string_view parent;
    for (auto part : parts) {
        if (out.container.empty()) out.container = container_of(part, parent);
        if (is_unit(part)) out.unit = std::string(part);
        parent = part;
    }
    return out;
}

CgroupFacts parse_cgroup(std::string_view text) {
    std::optional<std::string_view> v2, systemd, first;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        auto c1 = line.find(':');
        if (c1 == std::string_view::npos) continue;
        auto c2 = line.find(':', c1 + 1);
        if (c2 == std::string_view::npos) continue;
        auto id = line.substr(0, c1), controllers = line.substr(c1 + 1, c2 - c1 - 1),
             path = line.substr(c2 + 1);
        if (path.empty() || path[0] != '/') continue;
        if (id == "0" && controllers.empty())
            v2 = path;
        else if (controllers == "name=systemd")
            systemd = path;
        if (!first) first = path;
    }
    if (v2 && *v2 != "/") return facts_of_cgroup_path(*v2);
    if (systemd) return facts_of_cgroup_path(*systemd);
    if (v2) return facts_of_cgroup_path(*v2);
    if (first) return facts_of_cgroup_path(*first);
    return {};
}

}  // namespace ghostport::listeners
