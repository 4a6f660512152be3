// Least privilege for the raw engines: once the scan's input is read, a process that may open raw sockets
// gives up everything else before it reads a single packet from the wire.
//
// Design notes
// - Run as root (euid 0): switch to an unprivileged user (--drop-user; default the user who ran sudo, from
//   SUDO_UID/SUDO_GID, else `nobody`) with no supplementary groups, keeping only CAP_NET_RAW in the
//   permitted and effective sets. The SYN engine opens a packet capture for each interface a route reveals
//   during the scan, so CAP_NET_RAW is the one privilege it still needs; nothing else survives (the
//   bounding set is cleared too, so no later execve could regain more).
// - Run with file capabilities (setcap cap_net_raw,cap_net_admin+eip) as an ordinary user: the user stays,
//   and every capability but CAP_NET_RAW is dropped.
// - Both set no_new_privs. Capabilities are per thread: the drop must happen while the process has one
//   thread, and refuses otherwise.
// - After the drop, files are created as the new user: the report's and the checkpoint's folders must be
//   writable by it (the scan checks this right after dropping, with a hint).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace ghostport::cli {

struct DropTarget {
    std::string user;  // a name for messages ("nobody", "uid 1000")
    uid_t uid = 0;
    gid_t gid = 0;
};

// The user to switch to when running as root: `user` (a name or a number) when given, else SUDO_UID and
// SUDO_GID when both are set (and not 0), else `nobody`. Throws core::InputError for an unknown user.
DropTarget drop_target(const std::optional<std::string>& user);

// Drops to `target` when euid is 0, else clears every capability but CAP_NET_RAW; sets no_new_privs.
// Returns whether it switched user (it ran as root). Throws core::RuntimeError when a step fails or when
// more than one thread runs.
bool drop_privileges(const DropTarget& target);

// Whether the current (real) user may create files in the folder of `path` (an empty path: yes).
bool folder_writable(const std::string& path);

}  // namespace ghostport::cli
