// SPDX-License-Identifier: GPL-2.0-or-later
// Route lookups only: nothing here sends a packet. The namespace test builds its own routes as root.
#include "scanner/route.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include "tests/skip.hpp"

using namespace ghostport::scanner;
using ghostport::core::Address;

namespace {

Address addr(const char* text) {
    return *Address::parse(text);
}

bool ipv6_loopback_available() {
    int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = in6addr_loopback;
    bool ok = bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    close(fd);
    return ok;
}

int sh(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str());
}

// A network namespace of our own, deleted on destruction, whatever happened in between.
struct Netns {
    std::string name;
    bool created = false;
    explicit Netns(std::string n) : name(std::move(n)) { created = sh("ip netns add " + name) == 0; }
    ~Netns() {
        if (created) sh("ip netns del " + name);
    }
    int run(const std::string& args) const { return sh("ip -n " + name + " " + args); }
};

// Runs `body` on a thread that has entered `ns`, so the resolver's socket lives in that namespace.
template <typename Body>
bool run_in(const Netns& ns, Body body) {
    bool entered = false;
    std::thread t([&] {
        int fd = open(("/var/run/netns/" + ns.name).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        entered = setns(fd, CLONE_NEWNET) == 0;
        close(fd);
        if (entered) body();
    });
    t.join();
    return entered;
}

}  // namespace

TEST(Route, LoopbackV4) {
    RouteResolver r;
    auto route = r.lookup(addr("127.0.0.1"));
    ASSERT_TRUE(route);
    EXPECT_EQ(route->ifname, "lo");
    EXPECT_EQ(route->ifindex, static_cast<int>(if_nametoindex("lo")));
    EXPECT_EQ(route->source, addr("127.0.0.1"));
}

TEST(Route, LoopbackBlockServedFromCache) {
    RouteResolver r;
    auto first = r.lookup(addr("127.1.2.3"));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->ifname, "lo");
    EXPECT_EQ(first->source, addr("127.0.0.1"));  // `local 127.0.0.0/8 ... src 127.0.0.1`
    ASSERT_EQ(r.cache_size(), 1u);
    auto second = r.lookup(addr("127.1.2.200"));
    EXPECT_EQ(r.cache_size(), 1u);
    EXPECT_EQ(second, first);
}

TEST(Route, LoopbackV6) {
    if (!ipv6_loopback_available())
        GP_SKIP("IPv6 is disabled on this host (no ::1): enable it (sysctl net.ipv6.conf.lo.disable_ipv6=0)");
    RouteResolver r;
    auto route = r.lookup(addr("::1"));
    ASSERT_TRUE(route);
    EXPECT_EQ(route->ifname, "lo");
    EXPECT_EQ(route->source, addr("::1"));
}

TEST(Route, ScopedAndOddDestinationsDoNotThrow) {
    RouteResolver r;
    for (const char* a : {"fe80::1", "ff02::1", "::", "0.0.0.0", "255.255.255.255", "224.0.0.1"})
        EXPECT_NO_THROW(r.lookup(addr(a))) << a;
}

TEST(Route, MovedResolverKeepsWorking) {
    RouteResolver a;
    RouteResolver b(std::move(a));
    EXPECT_TRUE(b.lookup(addr("127.0.0.1")));
    RouteResolver c;
    c = std::move(b);
    EXPECT_TRUE(c.lookup(addr("127.0.0.1")));
}

// A namespace with one veth, a connected /24 (and /64), a gateway route, blackholes and a destination
// rule: lookups must match what `ip route get` says, and the cache must never answer across a boundary.
TEST(Route, NamespaceRoutes) {
    std::string why;
    if (getuid() != 0)
        why = "needs root to create a network namespace";
    else if (sh("ip netns list") != 0)
        why = "`ip netns` does not work here";
    if (!why.empty()) GP_SKIP(why);

    std::string pid = std::to_string(getpid());
    Netns ns("gpt-" + pid + "-rt");
    ASSERT_TRUE(ns.created) << "ip netns add " << ns.name;
    std::string x = "gpt" + pid + "x", y = "gpt" + pid + "y";
    const std::string commands[] = {
        "link add " + x + " type veth peer name " + y, "link set " + x + " up", "link set " + y + " up",
        "link set lo up", "addr add 198.18.0.1/24 dev " + x, "-6 addr add 2001:2::1/64 dev " + x + " nodad",
        "route add 198.18.5.0/24 via 198.18.0.2", "route add blackhole 198.18.9.0/24",
        // more specific than the gateway route, and looked up only after it
        "route add blackhole 198.18.5.128/25", "route add table 100 unreachable default",
        "rule add to 198.18.5.64/26 table 100"};
    for (const auto& cmd : commands) ASSERT_EQ(ns.run(cmd), 0) << "ip -n " << ns.name << " " << cmd;

    std::optional<Route> r0_7, r5_9, r9_1, r203, r6_7, r0_1, r5_200, r5_70, r5_10, r6_1, r6_6;
    std::size_t cache_after_5_9 = 0, cache_after_5_10 = 0;
    std::string error;
    int veth = 0;
    bool entered = run_in(ns, [&] {
        try {
            veth = static_cast<int>(if_nametoindex(x.c_str()));
            RouteResolver r;
            r0_7 = r.lookup(addr("198.18.0.7"));
            r0_1 = r.lookup(addr("198.18.0.1"));  // our own address, inside the cached /24: local, on lo
            r5_9 = r.lookup(addr("198.18.5.9"));
            cache_after_5_9 = r.cache_size();
            r5_200 = r.lookup(addr("198.18.5.200"));  // the blackhole /25 inside the gateway /24
            r5_70 = r.lookup(addr("198.18.5.70"));    // the rule sends it to table 100: unreachable
            r5_10 = r.lookup(addr("198.18.5.10"));    // same block as .9
            cache_after_5_10 = r.cache_size();
            r9_1 = r.lookup(addr("198.18.9.1"));
            r203 = r.lookup(addr("203.0.113.1"));  // no default route in there
            r6_7 = r.lookup(addr("2001:2::7"));
            r6_1 = r.lookup(addr("2001:2::1"));
            r6_6 = r.lookup(addr("2001:2::6"));
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    ASSERT_TRUE(entered) << "could not enter " << ns.name;
    ASSERT_EQ(error, "");
    ASSERT_GT(veth, 0);

    Route via_veth{veth, x, addr("198.18.0.1")};
    EXPECT_EQ(r0_7, via_veth);
    EXPECT_EQ(r5_9, via_veth);
    EXPECT_EQ(r5_10, via_veth);
    EXPECT_EQ(cache_after_5_10, cache_after_5_9) << "198.18.5.10 should come from the cache";
    EXPECT_FALSE(r5_200) << "served from the cached gateway route?";
    EXPECT_FALSE(r5_70) << "the rule's table was not consulted";
    EXPECT_FALSE(r9_1);
    EXPECT_FALSE(r203);
    ASSERT_TRUE(r0_1);
    EXPECT_EQ(r0_1->ifname, "lo");
    EXPECT_EQ(r0_1->source, addr("198.18.0.1"));

    Route via_veth6{veth, x, addr("2001:2::1")};
    EXPECT_EQ(r6_7, via_veth6);
    EXPECT_EQ(r6_6, via_veth6);
    ASSERT_TRUE(r6_1);
    EXPECT_EQ(r6_1->ifname, "lo");
    EXPECT_EQ(r6_1->source, addr("2001:2::1"));
}
