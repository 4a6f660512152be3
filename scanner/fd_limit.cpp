// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/fd_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace ghostport::scanner {

std::uint64_t raise_fd_limit() {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
    if (lim.rlim_cur < lim.rlim_max) {
        rlimit want = lim;
        want.rlim_cur = lim.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) lim = want;
    }
    return lim.rlim_cur == RLIM_INFINITY ? (1u << 20) : lim.rlim_cur;
}

unsigned concurrency_for(std::uint64_t fd_limit, unsigned requested) {
    constexpr std::uint64_t reserve = 64;  // stdio, report files, registry, resolver sockets
    constexpr unsigned automatic = 1024;   // measured: more in flight costs the kernel more than it gains
    std::uint64_t room = fd_limit > reserve + 1 ? fd_limit - reserve : 1;
    std::uint64_t want = requested ? requested : automatic;
    return static_cast<unsigned>(std::max<std::uint64_t>(1, std::min(room, want)));
}

}  // namespace ghostport::scanner
