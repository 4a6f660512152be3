// SPDX-License-Identifier: GPL-2.0-or-later
// UdpScheduler against simulated hosts on a virtual clock: each host rations its ICMP errors with a token
// bucket as Linux does (rate per second, burst), so the pacing, the oracle rounds and the states can be
// checked exactly and in milliseconds of real time.
#include "scanner/udp_scheduler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <queue>
#include <random>
#include <set>

namespace ghostport::scanner {
namespace {

constexpr std::uint64_t ms = 1'000'000;
constexpr std::uint64_t s = 1'000 * ms;

core::Address addr(const char* text) {
    return *core::Address::parse(text);
}

struct SimHost {
    explicit SimHost(const core::Address& a) : address(a) {}
    core::Address address;
    std::set<std::uint16_t> closed;             // answer with port unreachable (budget permitting)
    std::map<std::uint16_t, std::string> open;  // answer a datagram that starts with this ("" = anything)
    bool icmp = true;                           // sends ICMP at all
    double rate = 1.0;                          // tokens per second
    double burst = 6;
    double tokens = 6;
    std::uint64_t last = 0;
    int budget_of = -1;  // >= 0: shares the ICMP budget of that host (another address of the same kernel)

    bool take_token(std::uint64_t now) {
        tokens = std::min(burst, tokens + static_cast<double>(now - last) * rate / 1e9);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
};

struct Delivery {
    std::uint64_t at;
    UdpEvent event;
    std::string bytes;
    bool operator>(const Delivery& o) const { return at > o.at; }
};

// A network of simulated hosts, a one-way latency, and optional random loss each way.
class Sim {
  public:
    std::vector<SimHost> hosts;
    std::uint64_t latency = 200'000;  // 0.2 ms each way
    double loss = 0;
    std::mt19937 rng{7};
    std::uint64_t now = 1 * s;
    std::map<std::pair<core::Address, std::uint16_t>, UdpDecision> decided;
    std::uint64_t sends = 0;

    int send(const core::Address& dst, std::uint16_t port, std::string_view bytes) {
        ++sends;
        if (lost()) return 0;
        SimHost* h = find(dst);
        if (!h) return 0;
        const std::uint64_t arrive = now + latency;
        if (auto it = h->open.find(port); it != h->open.end()) {
            if (bytes.substr(0, it->second.size()) == it->second)
                reply(arrive, dst, port, "answer to " + std::string(bytes));
            return 0;
        }
        if (h->closed.contains(port) || (port >= 49152 && !h->open.contains(port))) {
            SimHost& budget = h->budget_of >= 0 ? hosts[static_cast<std::size_t>(h->budget_of)] : *h;
            if (h->icmp && budget.take_token(arrive)) icmp(arrive, dst, port, dst);
        }
        return 0;  // anything else: dropped silently
    }

    void reply(std::uint64_t at, const core::Address& from, std::uint16_t port, std::string text) {
        if (lost()) return;
        Delivery d{at + latency, {}, std::move(text)};
        d.event.kind = UdpEvent::Kind::answer;
        d.event.host = from;
        d.event.port = port;
        queue_.push(std::move(d));
    }
    void icmp(std::uint64_t at, const core::Address& about, std::uint16_t port, const core::Address& offender,
              std::uint8_t code = 3) {
        if (lost()) return;
        Delivery d{at + latency, {}, {}};
        d.event.kind = UdpEvent::Kind::icmp;
        d.event.host = about;
        d.event.port = port;
        d.event.icmp_type = 3;
        d.event.icmp_code = code;
        d.event.offender = offender;
        queue_.push(std::move(d));
    }

    // Runs the scheduler until it is done or `limit` of virtual time passed. Returns the virtual time taken.
    std::uint64_t run(UdpScheduler& sched, std::uint64_t limit = 600 * s) {
        const std::uint64_t start = now;
        for (int steps = 0; steps < 10'000'000; ++steps) {
            while (!queue_.empty() && queue_.top().at <= now) {
                Delivery d = queue_.top();
                queue_.pop();
                d.event.at_ns = d.at;
                d.event.bytes = d.bytes;
                sched.on_event(d.event);
            }
            const std::uint64_t due = sched.tick(now);
            if (due == 0) return now - start;
            std::uint64_t next = due;
            if (!queue_.empty()) next = std::min(next, queue_.top().at);
            now = std::max(now + 1000, next);
            if (now - start > limit) break;
        }
        ADD_FAILURE() << "the scheduler did not finish";
        return now - start;
    }

    UdpScheduler make(UdpSchedulerOptions o = {}, UdpPayloadsFor payloads = {}) {
        return UdpScheduler(
            o, std::move(payloads),
            [this](const core::Address& a, std::uint16_t p, std::string_view b) { return send(a, p, b); },
            [this](const UdpDecision& d) {
                EXPECT_FALSE(decided.contains({d.result.host, d.result.port})) << "decided twice";
                decided[{d.result.host, d.result.port}] = d;
            });
    }

    core::PortState state(const core::Address& a, std::uint16_t port) const {
        auto it = decided.find({a, port});
        EXPECT_NE(it, decided.end()) << a.to_string() << ":" << port << " never decided";
        return it == decided.end() ? core::PortState::all_open : it->second.result.state;
    }

  private:
    bool lost() { return loss > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < loss; }
    SimHost* find(const core::Address& a) {
        for (auto& h : hosts)
            if (h.address == a) return &h;
        return nullptr;
    }
    std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> queue_;
};

std::vector<std::uint16_t> range(std::uint16_t from, std::uint16_t count) {
    std::vector<std::uint16_t> out;
    for (std::uint16_t i = 0; i < count; ++i) out.push_back(static_cast<std::uint16_t>(from + i));
    return out;
}

TEST(UdpScheduler, LinuxHostEveryStateRightAtTheIcmpFloor) {
    Sim sim;
    SimHost h(addr("198.18.0.2"));
    auto ports = range(1000, 40);
    for (auto p : ports) h.closed.insert(p);
    h.closed.erase(1005);
    h.open[1005] = "";
    h.closed.erase(1010);
    h.open[1010] = "";
    for (std::uint16_t p : {1020, 1021, 1022, 1023}) h.closed.erase(p);  // dropped: silent
    sim.hosts.push_back(h);
    auto sched = sim.make();
    sched.add_host(0, h.address, ports);
    const std::uint64_t took = sim.run(sched);
    for (auto p : ports) {
        const auto want = h.open.contains(p)     ? core::PortState::open
                          : h.closed.contains(p) ? core::PortState::closed
                                                 : core::PortState::open_filtered;
        EXPECT_EQ(sim.state(h.address, p), want) << "port " << p;
    }
    // 34 closed ports, 6 of them told by the burst: 28 more cost a second each. No faster is possible, and
    // the scheduler must not waste much more.
    EXPECT_GE(took, 27 * s);
    EXPECT_LE(took, 34 * s) << "took " << took / ms << " ms";
    EXPECT_EQ(sched.undecided(), 0u);
}

TEST(UdpScheduler, ManyHostsRunAtTheSumOfTheirBudgets) {
    Sim sim;
    std::vector<SimHost> hosts;
    auto ports = range(2000, 20);
    UdpSchedulerOptions o;
    auto sched = sim.make(o);
    for (int i = 0; i < 16; ++i) {
        SimHost h(addr(("198.18.1." + std::to_string(i + 1)).c_str()));
        for (auto p : ports) h.closed.insert(p);
        h.closed.erase(2003);
        h.open[2003] = "";
        sim.hosts.push_back(h);
        sched.add_host(static_cast<std::uint64_t>(i), h.address, ports);
    }
    const std::uint64_t took = sim.run(sched);
    for (const auto& h : sim.hosts)
        for (auto p : ports)
            EXPECT_EQ(sim.state(h.address, p), p == 2003 ? core::PortState::open : core::PortState::closed);
    // 19 closed per host, 6 by the burst: 13 s in parallel, not 16 x 13.
    EXPECT_LE(took, 17 * s) << "took " << took / ms << " ms";
}

TEST(UdpScheduler, HostWithoutIcmpIsOpenFilteredAfterRetries) {
    Sim sim;
    SimHost h(addr("198.18.0.3"));
    h.icmp = false;
    h.open[53] = "";
    sim.hosts.push_back(h);
    auto sched = sim.make();
    auto ports = range(50, 10);
    sched.add_host(0, h.address, ports);
    const std::uint64_t took = sim.run(sched);
    for (auto p : ports)
        EXPECT_EQ(sim.state(h.address, p), p == 53 ? core::PortState::open : core::PortState::open_filtered);
    EXPECT_LE(took, 4 * s);  // three tries of the initial timeout
}

TEST(UdpScheduler, FastIcmpHostIsLearnedAndScannedFast) {
    Sim sim;
    SimHost h(addr("198.18.0.4"));
    h.rate = 200;
    h.burst = 50;
    h.tokens = 50;
    auto ports = range(3000, 1000);
    for (auto p : ports) h.closed.insert(p);
    sim.hosts.push_back(h);
    auto sched = sim.make();
    sched.add_host(0, h.address, ports);
    const std::uint64_t took = sim.run(sched);
    for (auto p : ports) EXPECT_EQ(sim.state(h.address, p), core::PortState::closed);
    // 950 tokens at 200/s is 4.75 s; at the assumed Linux rate it would take 16 minutes.
    EXPECT_LE(took, 40 * s) << "took " << took / ms << " ms";
}

TEST(UdpScheduler, SilentPortGetsTheOtherPayloadsAndIsNamed) {
    Sim sim;
    SimHost h(addr("198.18.0.5"));
    for (auto p : range(1600, 60)) h.closed.insert(p);
    h.closed.erase(1642);
    h.open[1642] = "DNS";  // a DNS server on a borrowed number: ignores anything but a DNS query
    sim.hosts.push_back(h);
    auto sched = sim.make({}, [](std::uint16_t) {
        return std::vector<UdpPayload>{{7, "EMPTY?"}, {0, "DNS query"}, {1, "NTP"}};
    });
    sched.add_host(0, h.address, range(1600, 60));
    sim.run(sched);
    ASSERT_EQ(sim.state(h.address, 1642), core::PortState::open);
    const UdpDecision& d = sim.decided.at({h.address, 1642});
    EXPECT_EQ(d.answer, "answer to DNS query");
    EXPECT_EQ(d.result.reason, core::Reason::udp_response);
    EXPECT_EQ(d.result.proto, core::Proto::udp);
    EXPECT_EQ(sim.state(h.address, 1641), core::PortState::closed);
}

TEST(UdpScheduler, LossNeverTurnsAClosedPortOpenFiltered) {
    Sim sim;
    sim.loss = 0.02;
    auto ports = range(4000, 30);
    auto sched = sim.make();
    for (int i = 0; i < 8; ++i) {
        SimHost h(addr(("198.18.2." + std::to_string(i + 1)).c_str()));
        for (auto p : ports) h.closed.insert(p);
        h.closed.erase(4007);  // silent
        sim.hosts.push_back(h);
        sched.add_host(static_cast<std::uint64_t>(i), h.address, ports);
    }
    sim.run(sched);
    int wrong = 0;
    for (const auto& h : sim.hosts)
        for (auto p : ports) {
            const auto want = p == 4007 ? core::PortState::open_filtered : core::PortState::closed;
            wrong += sim.state(h.address, p) != want;
        }
    EXPECT_EQ(wrong, 0);
}

TEST(UdpScheduler, ForgedIcmpFromAnotherHostChangesNothing) {
    Sim sim;
    SimHost a(addr("198.18.3.1"));
    SimHost b(addr("198.18.3.2"));
    for (auto p : range(5000, 10)) {
        a.closed.insert(p);
        b.closed.insert(p);
    }
    a.closed.erase(5001);  // silent on a
    sim.hosts = {a, b};
    auto sched = sim.make();
    sched.add_host(0, a.address, range(5000, 10));
    sched.add_host(1, b.address, range(5000, 10));
    // b claims a's 5001 is closed, at once and repeatedly; a router-like admin-prohibited from b too.
    for (int i = 0; i < 50; ++i) {
        sim.icmp(sim.now + static_cast<std::uint64_t>(i) * 100 * ms, a.address, 5001, b.address);
        sim.icmp(sim.now + static_cast<std::uint64_t>(i) * 100 * ms, a.address, 5001, b.address, 13);
    }
    sim.run(sched);
    EXPECT_EQ(sim.state(a.address, 5001), core::PortState::open_filtered);
    EXPECT_EQ(sim.state(a.address, 5002), core::PortState::closed);
    EXPECT_EQ(sim.state(b.address, 5001), core::PortState::closed);
}

TEST(UdpScheduler, HostsSharingOneIcmpBudgetAreNotStarvedIntoOpenFiltered) {
    // Two addresses of one kernel: one bucket. The first host's rounds spend every token as it comes; the
    // second must not conclude that it sends no ICMP.
    Sim sim;
    auto ports = range(7000, 30);
    auto sched = sim.make();
    for (int i = 0; i < 3; ++i) {
        SimHost h(addr(("198.18.5." + std::to_string(i + 1)).c_str()));
        for (auto p : ports) h.closed.insert(p);
        if (i > 0) h.budget_of = 0;
        sim.hosts.push_back(h);
        sched.add_host(static_cast<std::uint64_t>(i), h.address, ports);
    }
    sim.run(sched);
    for (const auto& h : sim.hosts)
        for (auto p : ports)
            EXPECT_EQ(sim.state(h.address, p), core::PortState::closed) << h.address.to_string() << ":" << p;
}

TEST(UdpScheduler, UnsolicitedAnswersAreIgnored) {
    Sim sim;
    SimHost h(addr("198.18.4.1"));
    for (auto p : range(6000, 5)) h.closed.insert(p);
    sim.hosts.push_back(h);
    auto sched = sim.make();
    // An answer from a port never scanned and from a host never scanned, before anything was sent.
    sim.reply(sim.now, h.address, 7000, "hello");
    sim.reply(sim.now, addr("198.18.4.9"), 6000, "hello");
    sched.add_host(0, h.address, range(6000, 5));
    sim.run(sched);
    for (auto p : range(6000, 5)) EXPECT_EQ(sim.state(h.address, p), core::PortState::closed);
    EXPECT_FALSE(sim.decided.contains({h.address, 7000}));
}

}  // namespace
}  // namespace ghostport::scanner
