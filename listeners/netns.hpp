// SPDX-License-Identifier: GPL-2.0-or-later
// The network namespaces of this machine (named ones under /run/netns, those of running processes) and
// reading one of them from a thread that enters it, so the caller's thread never moves.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ghostport::listeners {

struct NetNamespace {
    std::string name;                // "" for the caller's own, the /run/netns file name, or "pid N (comm)"
    std::string path;                // a file that setns can open: /run/netns/NAME or /proc/PID/ns/net
    std::uint64_t dev = 0, ino = 0;  // the namespace's identity (nsfs device and inode)
    bool own = false;                // the caller's own namespace
};

struct NamespaceList {
    std::vector<NetNamespace> namespaces;  // own first, then named by name, then unnamed by pid; each once
    std::vector<std::string> unseen;       // sentences on what could not be looked at
};

// Lists the namespaces: the calling thread's (<proc_root>/thread-self/ns/net), every file of netns_dir, and
// that of every process under proc_root (named after its lowest pid). Deduplicated by (dev, ino); a namespace
// with a name under netns_dir keeps that name.
NamespaceList list_namespaces(const std::string& proc_root, const std::string& netns_dir);

// Runs fn on a new thread that has entered the namespace at `path` (setns CLONE_NEWNET) and waits for it.
// Returns nullopt on success, else why it failed: the namespace could not be opened or entered, or fn threw
// (its what()).
std::optional<std::string> run_in_namespace(const std::string& path, const std::function<void()>& fn);

}  // namespace ghostport::listeners
