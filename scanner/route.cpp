// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/route.hpp"

#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <iterator>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "netlink/socket.hpp"
#include "scanner/socket_address.hpp"

namespace ghostport::scanner {

namespace {

using core::Address;
using core::Family;

constexpr int reply_timeout_s = 1;
constexpr std::size_t max_cached_blocks = 4096;  // bounds the cost of an insertion into the sorted cache
constexpr int dump_attempts = 5;

int af_of(Family f) {
    return f == Family::v4 ? AF_INET : AF_INET6;
}
int bits_of(Family f) {
    return f == Family::v4 ? 32 : 128;
}
std::size_t bytes_of(Family f) {
    return f == Family::v4 ? 4 : 16;
}
int index_of(Family f) {
    return f == Family::v4 ? 0 : 1;
}

Address masked(const Address& a, int len) {
    Address out;
    out.family = a.family;
    for (std::size_t i = 0; i < out.bytes.size() && len > 0; ++i, len -= 8)
        out.bytes[i] = len >= 8 ? a.bytes[i] : static_cast<std::uint8_t>(a.bytes[i] & (0xff00u >> len));
    return out;
}

// Errors with which the kernel says "no route" (route types unreachable, blackhole, prohibit, throw; rule
// actions; no route at all; the family is not there). Anything else is a failure.
bool means_no_route(int err) {
    switch (err) {
        case ENETUNREACH:
        case EHOSTUNREACH:
        case EACCES:
        case EINVAL:
        case EAGAIN:
        case ENETDOWN:
        case ENODEV:
        case EADDRNOTAVAIL:
        case EAFNOSUPPORT:
        case EOPNOTSUPP:
            return true;
        default:
            return false;
    }
}

// Destination types that carry no route.
bool is_error_type(unsigned char type) {
    return type == RTN_BLACKHOLE || type == RTN_UNREACHABLE || type == RTN_PROHIBIT || type == RTN_THROW;
}

// Blocks the kernel treats specially whatever the FIB says (loopback, multicast, limited broadcast, IPv6
// scopes and the default address-selection labels of RFC 6724). No cached block straddles one of them.
constexpr std::array<std::string_view, 15> special_blocks{
    "0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4",   "240.0.0.0/4", "255.255.255.255/32",
    "::1/128",   "::/96",       "::ffff:0:0/96", "2001::/32",   "2002::/16",
    "3ffe::/16", "fc00::/7",    "fe80::/10",     "fec0::/10",   "ff00::/8",
};

struct RouteReply {
    int error = 0;  // a positive errno when the kernel answered with one
    unsigned char type = RTN_UNSPEC;
    int dst_len = 0;
    std::optional<Address> dst;
    int oif = 0;
    std::optional<Address> prefsrc;
    bool multipath = false;
};

std::optional<Address> read_address(const rtattr* a, Family family) {
    if (RTA_PAYLOAD(a) != bytes_of(family)) return std::nullopt;
    Address out;
    out.family = family;
    std::memcpy(out.bytes.data(), RTA_DATA(a), bytes_of(family));
    return out;
}

// Fills `out` from an RTM_NEWROUTE message; false when it is malformed or of another family.
bool parse_route(const nlmsghdr* nh, Family family, RouteReply& out) {
    if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(rtmsg))) return false;
    const auto* rt = static_cast<const rtmsg*>(NLMSG_DATA(nh));
    if (rt->rtm_family != af_of(family) || rt->rtm_dst_len > bits_of(family)) return false;
    out.type = rt->rtm_type;
    out.dst_len = rt->rtm_dst_len;
    int len = static_cast<int>(RTM_PAYLOAD(nh));
    for (const rtattr* a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        switch (a->rta_type) {
            case RTA_OIF:
                if (RTA_PAYLOAD(a) == sizeof(int)) std::memcpy(&out.oif, RTA_DATA(a), sizeof(int));
                break;
            case RTA_DST:
                out.dst = read_address(a, family);
                break;
            case RTA_PREFSRC:
                out.prefsrc = read_address(a, family);
                break;
            case RTA_MULTIPATH:
                out.multipath = true;
                break;
            default:
                break;
        }
    }
    return true;
}

// The answer to RTM_GETROUTE for one destination, as `ip route get [fibmatch] dst` asks it.
RouteReply get_route(netlink::Socket& nl, const Address& dst, unsigned flags) {
    alignas(nlmsghdr) std::array<char, NLMSG_SPACE(sizeof(rtmsg)) + RTA_SPACE(16)> req{};
    auto* nh = reinterpret_cast<nlmsghdr*>(req.data());
    nh->nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
    nh->nlmsg_type = RTM_GETROUTE;
    nh->nlmsg_flags = NLM_F_REQUEST;
    auto* rt = static_cast<rtmsg*>(NLMSG_DATA(nh));
    rt->rtm_family = static_cast<unsigned char>(af_of(dst.family));
    rt->rtm_dst_len = static_cast<unsigned char>(bits_of(dst.family));
    rt->rtm_flags = flags;
    auto* rta = reinterpret_cast<rtattr*>(req.data() + NLMSG_ALIGN(nh->nlmsg_len));
    rta->rta_type = RTA_DST;
    rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(bytes_of(dst.family)));
    std::memcpy(RTA_DATA(rta), dst.bytes.data(), bytes_of(dst.family));
    nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);

    RouteReply reply;
    nl.receive(nl.send(nh), [&](const nlmsghdr* m) {
        if (m->nlmsg_type == NLMSG_ERROR) {
            reply.error = nl.error_of(m);
            if (reply.error == 0)
                throw core::RuntimeError("route lookup: the kernel sent no route (netlink)");
            return true;
        }
        if (m->nlmsg_type != RTM_NEWROUTE) return false;
        if (!parse_route(m, dst.family, reply))
            throw core::RuntimeError("route lookup: malformed netlink route message");
        return true;
    });
    return reply;
}

// Dumps `type` (RTM_GETROUTE or RTM_GETRULE) for one family, passing each message to on_message.
netlink::DumpStatus dump(netlink::Socket& nl, std::uint16_t type, Family family,
                         const std::function<void(const nlmsghdr*)>& on_message) {
    // rtmsg and fib_rule_hdr both start with the family byte; the rest stays zero (every table).
    static_assert(sizeof(rtmsg) == sizeof(fib_rule_hdr));
    alignas(nlmsghdr) std::array<char, NLMSG_SPACE(sizeof(rtmsg))> req{};
    auto* nh = reinterpret_cast<nlmsghdr*>(req.data());
    nh->nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
    nh->nlmsg_type = type;
    static_cast<rtmsg*>(NLMSG_DATA(nh))->rtm_family = static_cast<unsigned char>(af_of(family));
    return nl.dump(nh, on_message);
}

// The source address the kernel binds a UDP socket connected to dst; no packet leaves.
std::optional<Address> connected_source(const Address& dst) {
    int fd = ::socket(af_of(dst.family), SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::nullopt;
    const auto to = socket_address(dst, 9);
    std::optional<Address> out;
    sockaddr_storage local{};
    socklen_t got = sizeof local;
    if (::connect(fd, to.get(), to.length) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &got) == 0)
        if (auto bound = from_socket_address(reinterpret_cast<sockaddr*>(&local))) out = bound->first;
    ::close(fd);
    return out;
}

}  // namespace

RouteResolver::RouteResolver()
    : socket_(NETLINK_ROUTE, "route lookup", std::chrono::seconds(reply_timeout_s)) {}

std::optional<Route> RouteResolver::lookup(const Address& dst) {
    if (!socket_.is_open()) throw core::RuntimeError("route lookup: the resolver was moved from");
    if (auto hit = cached(dst)) return hit;

    RouteReply plain = get_route(socket_, dst, 0);
    if (plain.error) {
        if (means_no_route(plain.error)) return std::nullopt;
        throw core::RuntimeError(
            fmt::format("route lookup for {}: {}", dst.to_string(), std::strerror(plain.error)));
    }
    if (is_error_type(plain.type) || plain.oif <= 0) return std::nullopt;
    char name[IF_NAMESIZE] = {};
    if (!::if_indextoname(static_cast<unsigned>(plain.oif), name)) return std::nullopt;  // it just vanished
    auto source = plain.prefsrc ? plain.prefsrc : connected_source(dst);
    if (!source) return std::nullopt;
    Route route{plain.oif, std::string(name), *source};

    // Which FIB entry matched, and how far its answer holds (Linux >= 4.13; older kernels ignore the flag
    // and answer for the single address, which is then not cached).
    RouteReply fib = get_route(socket_, dst, RTM_F_FIB_MATCH);
    if (fib.error || fib.type != plain.type || fib.multipath) return route;  // ECMP: the path is per flow
    if (fib.dst_len > 0 && (!fib.dst || masked(*fib.dst, fib.dst_len) != masked(dst, fib.dst_len)))
        return route;
    int shortest = fib.dst_len;
    if (!fib.prefsrc) {
        // The entry pins no source, so the kernel chose one. A local route without one answers from the
        // destination itself. IPv6 selection (RFC 6724) can differ between /64s but not inside one that
        // holds none of our addresses (they are all /128 prefixes in the local table).
        if (plain.type == RTN_LOCAL) return route;
        if (!dst.is_v4()) shortest = std::max(shortest, 64);
    }
    if (!read_prefixes(dst.family)) return route;
    int len = uniform_length(dst, shortest);
    if (len < bits_of(dst.family)) remember(Block{masked(dst, len), len}, route);
    return route;
}

std::optional<Route> RouteResolver::cached(const Address& dst) const {
    for (int len : cached_lens_[index_of(dst.family)]) {
        Block key{masked(dst, len), len};
        auto it = std::lower_bound(cache_.begin(), cache_.end(), key,
                                   [](const CacheEntry& e, const Block& k) { return e.block < k; });
        if (it != cache_.end() && it->block == key) return it->route;
    }
    return std::nullopt;
}

bool RouteResolver::read_prefixes(Family family) {
    int& state = prefix_state_[index_of(family)];
    if (state != 0) return state > 0;
    std::vector<Block> found;
    for (auto text : special_blocks) {
        auto slash = text.find('/');
        auto net = Address::parse(text.substr(0, slash));
        if (net && net->family == family) {
            int len = std::stoi(std::string(text.substr(slash + 1)));
            found.push_back(Block{masked(*net, len), len});
        }
    }
    auto add = [&](const std::optional<Address>& dst, int len) {
        if (len > 0 && len <= bits_of(family) && dst) found.push_back(Block{masked(*dst, len), len});
    };
    auto on_route = [&](const nlmsghdr* m) {
        RouteReply r;
        if (m->nlmsg_type != RTM_NEWROUTE || !parse_route(m, family, r)) return;
        if (static_cast<const rtmsg*>(NLMSG_DATA(m))->rtm_flags & RTM_F_CLONED) return;
        add(r.dst, r.dst_len);
    };
    auto on_rule = [&](const nlmsghdr* m) {
        if (m->nlmsg_type != RTM_NEWRULE || m->nlmsg_len < NLMSG_LENGTH(sizeof(fib_rule_hdr))) return;
        const auto* rule = static_cast<const fib_rule_hdr*>(NLMSG_DATA(m));
        if (rule->family != af_of(family)) return;
        int len = static_cast<int>(m->nlmsg_len - NLMSG_LENGTH(sizeof(fib_rule_hdr)));
        auto* a = reinterpret_cast<const rtattr*>(static_cast<const char*>(NLMSG_DATA(m)) +
                                                  NLMSG_ALIGN(sizeof(fib_rule_hdr)));
        for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
            if (a->rta_type == FRA_DST) add(read_address(a, family), rule->dst_len);
    };

    std::size_t specials = found.size();
    for (int attempt = 0; attempt < dump_attempts; ++attempt) {
        found.resize(specials);
        auto routes = dump(socket_, RTM_GETROUTE, family, on_route);
        int err = routes.error;
        if (err == EAFNOSUPPORT || err == EOPNOTSUPP) break;  // the family is not there: nothing to cache
        if (err)
            throw core::RuntimeError(fmt::format("cannot read the routing tables: {}", std::strerror(err)));
        auto rules = dump(socket_, RTM_GETRULE, family, on_rule);
        err = rules.error;
        if (err && err != EAFNOSUPPORT && err != EOPNOTSUPP)
            throw core::RuntimeError(fmt::format("cannot read the routing rules: {}", std::strerror(err)));
        if (routes.interrupted || rules.interrupted)
            continue;  // the tables changed while read: read them again
        std::sort(found.begin(), found.end());
        found.erase(std::unique(found.begin(), found.end()), found.end());
        std::vector<Block> merged;
        merged.reserve(prefixes_.size() + found.size());
        std::merge(prefixes_.begin(), prefixes_.end(), found.begin(), found.end(),
                   std::back_inserter(merged));
        prefixes_ = std::move(merged);
        state = 1;
        return true;
    }
    state = -1;
    return false;
}

// The shortest length >= `shortest` at which dst's block holds no route or rule prefix strictly inside it:
// each such prefix then covers all of the block or none of it, so every address in it routes alike.
int RouteResolver::uniform_length(const Address& dst, int shortest) const {
    int bits = bits_of(dst.family);
    for (int len = shortest; len < bits; ++len) {
        Block block{masked(dst, len), len};
        bool cut = false;
        // Sorted by (prefix, len): the prefixes inside the block follow the ones equal to it.
        for (auto it = std::lower_bound(prefixes_.begin(), prefixes_.end(), block);
             it != prefixes_.end() && masked(it->prefix, len) == block.prefix; ++it)
            if (it->len > len) {
                cut = true;
                break;
            }
        if (!cut) return len;
    }
    return bits;
}

void RouteResolver::remember(const Block& block, const Route& route) {
    if (cache_.size() >= max_cached_blocks) return;  // lookups still work, uncached
    auto it = std::lower_bound(cache_.begin(), cache_.end(), block,
                               [](const CacheEntry& e, const Block& k) { return e.block < k; });
    if (it != cache_.end() && it->block == block) return;
    cache_.insert(it, CacheEntry{block, route});
    auto& lens = cached_lens_[index_of(block.prefix.family)];
    auto at = std::lower_bound(lens.begin(), lens.end(), block.len, std::greater<>());
    if (at == lens.end() || *at != block.len) lens.insert(at, block.len);
}

}  // namespace ghostport::scanner
