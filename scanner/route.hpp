// SPDX-License-Identifier: GPL-2.0-or-later
// Asks the kernel (rtnetlink, as `ip route get` does) which interface and source address reach a target.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "netlink/socket.hpp"

namespace ghostport::scanner {

// Where the kernel sends a packet for one destination.
struct Route {
    int ifindex = 0;
    std::string ifname;    // e.g. "lo", "eth0", "gpt-123-a"; "lo" for the host's own addresses
    core::Address source;  // the preferred source address the kernel picks for this destination
    bool operator==(const Route&) const = default;
};

// Resolves routes over one NETLINK_ROUTE socket, with a cache so that a whole subnet costs one miss. The
// cache is a snapshot of the routing tables: make one resolver per scan. Not thread-safe.
//
// A miss costs two round trips: a plain RTM_GETROUTE for the destination (its interface and source; the
// host's own addresses answer "local ... dev lo") and one flagged RTM_F_FIB_MATCH (the FIB entry that
// matched, with its prefix length; Linux >= 4.13, older kernels answer for the one address). The answer is
// then cached for the largest block of that prefix that no route of any table, no rule destination and no
// special range (loopback, multicast, IPv6 scopes and address labels) cuts into: each of those covers the
// whole block or none of it, so every address in it routes alike. That is what keeps the host's own
// addresses and broadcast addresses (local table, /32 and /128) and more specific routes out of a cached
// subnet. Further limits, because the kernel's answer can differ inside such a block:
// - an entry that pins no source: a local one answers from the destination itself, so it is not cached;
//   IPv6 picks a source per destination (RFC 6724), alike only within a /64, so blocks are at least /64;
// - a multipath entry picks a path per flow: not cached.
// Blocks of a single address are not cached (nobody asks twice), nor are negative answers (the kernel's
// fibmatch fails for blackhole, unreachable and prohibit entries too). Only the destination is asked
// about: rules that select on source, mark, uid or ports are not modelled.
class RouteResolver {
  public:
    // Opens the netlink socket; throws core::RuntimeError on failure.
    RouteResolver();
    RouteResolver(RouteResolver&& other) noexcept = default;
    RouteResolver& operator=(RouteResolver&& other) noexcept = default;

    // The route the kernel uses to reach dst (IPv4 or IPv6), or nullopt when there is none (no route,
    // unreachable, prohibit, blackhole, family disabled). Throws core::RuntimeError when the kernel does
    // not answer within a second or answers with an unexpected error.
    std::optional<Route> lookup(const core::Address& dst);

    // Number of cached address blocks (at most 4096; beyond that lookups still work, uncached).
    std::size_t cache_size() const { return cache_.size(); }

  private:
    struct Block {
        core::Address prefix;  // masked to len bits
        int len = 0;
        auto operator<=>(const Block&) const = default;
    };
    struct CacheEntry {
        Block block;
        Route route;
    };

    std::optional<Route> cached(const core::Address& dst) const;
    bool read_prefixes(core::Family family);  // false when they cannot be read: nothing is cached then
    int uniform_length(const core::Address& dst, int shortest) const;
    void remember(const Block& block, const Route& route);

    netlink::Socket socket_;           // NETLINK_ROUTE, one-second answers
    std::vector<CacheEntry> cache_;    // sorted by block
    std::vector<int> cached_lens_[2];  // per family: the block lengths present in cache_, longest first
    std::vector<Block> prefixes_;      // destination prefixes of every route (all tables) and rule, sorted
    int prefix_state_[2] = {0, 0};     // per family: 0 not read yet, 1 read, -1 unreadable
};

}  // namespace ghostport::scanner
