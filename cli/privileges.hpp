// SPDX-License-Identifier: GPL-2.0-or-later
// Who the unprivileged worker of a separated scan becomes (privsep.hpp has the design).
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
// SUDO_GID when both are set (and not 0), else `nobody`. Throws core::InputError for an unknown user or
// for root itself.
DropTarget drop_target(const std::optional<std::string>& user);

}  // namespace ghostport::cli
