// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/privileges.hpp"

#include <pwd.h>

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "core/errors.hpp"

namespace ghostport::cli {

namespace {

std::optional<unsigned long> number(const char* text) {
    if (text == nullptr || *text == '\0') return std::nullopt;
    unsigned long value = 0;
    const char* end = text + std::strlen(text);
    auto [p, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || p != end) return std::nullopt;
    return value;
}

}  // namespace

DropTarget drop_target(const std::optional<std::string>& user) {
    DropTarget target;
    if (!user) {
        const auto uid = number(std::getenv("SUDO_UID")), gid = number(std::getenv("SUDO_GID"));
        if (uid && gid && *uid != 0) {
            target.uid = static_cast<uid_t>(*uid);
            target.gid = static_cast<gid_t>(*gid);
            const passwd* pw = getpwuid(target.uid);
            target.user = pw ? pw->pw_name : fmt::format("uid {}", target.uid);
            return target;
        }
    }
    const std::string name = user.value_or("nobody");
    const passwd* pw = getpwnam(name.c_str());
    if (pw == nullptr) {
        if (auto uid = number(name.c_str())) pw = getpwuid(static_cast<uid_t>(*uid));
    }
    if (pw == nullptr) throw core::InputError(fmt::format("--drop-user {}: no such user", name));
    if (pw->pw_uid == 0) throw core::InputError(fmt::format("--drop-user {}: that is root", name));
    target.user = pw->pw_name;
    target.uid = pw->pw_uid;
    target.gid = pw->pw_gid;
    return target;
}

}  // namespace ghostport::cli
