// SPDX-License-Identifier: GPL-2.0-or-later
// Drives the connect engine against real listeners on loopback (the only target allowed outside a namespace).
#include "scanner/connect_engine.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

using namespace ghostport::scanner;
using ghostport::core::Address;
using ghostport::core::PortResult;
using ghostport::core::PortState;
using ghostport::core::Reason;

namespace {

// A listening socket on 127.0.0.1 with a kernel-chosen port; closed on destruction.
struct Listener {
    int fd = -1;
    std::uint16_t port = 0;
    explicit Listener(bool listen_now = true) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        socklen_t len = sizeof sa;
        getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
        port = ntohs(sa.sin_port);
        if (listen_now) listen(fd, 64);
    }
    ~Listener() { close(fd); }
};

TargetSet loopback() {
    TargetSet s;
    s.add(AddressRange::single(*Address::parse("127.0.0.1")));
    s.finalize();
    return s;
}

std::map<std::uint16_t, PortResult> scan(const TargetSource& src, EngineOptions opt,
                                         const std::atomic<bool>* stop = nullptr) {
    std::mutex m;
    std::map<std::uint16_t, PortResult> out;
    EngineHooks hooks;
    hooks.on_result = [&](const PortResult& r) {
        std::lock_guard g(m);
        EXPECT_TRUE(out.emplace(r.port, r).second) << "reported twice: " << r.port;
    };
    hooks.stop = stop;
    ConnectEngine(opt).run(src, hooks);
    return out;
}

}  // namespace

TEST(ConnectEngine, OpenAndClosedOnLoopback) {
    Listener a, b;
    Listener unused(false);  // bound but not listening: connecting is refused
    auto set = loopback();
    TargetSource src(set, {a.port, b.port, unused.port}, 1);
    auto results = scan(src, {});
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[a.port].state, PortState::open);
    EXPECT_EQ(results[a.port].reason, Reason::syn_ack);
    EXPECT_EQ(results[b.port].state, PortState::open);
    EXPECT_EQ(results[unused.port].state, PortState::closed);
    EXPECT_EQ(results[unused.port].reason, Reason::rst);
    EXPECT_EQ(results[a.port].host.to_string(), "127.0.0.1");
}

TEST(ConnectEngine, SweepsAThousandPortsWithSmallConcurrencyAndRateLimit) {
    Listener a;
    auto set = loopback();
    std::vector<std::uint16_t> ports{a.port};
    for (std::uint16_t p = 20000; p < 21000; ++p)
        if (p != a.port) ports.push_back(p);
    TargetSource src(set, ports, 2);
    EngineOptions opt;
    opt.concurrency = 8;
    opt.max_rate = 4000;
    const auto start = std::chrono::steady_clock::now();
    auto results = scan(src, opt);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(results.size(), ports.size());
    // The cap holds: 1,001 connects at 4,000/s take at least (1001 - 16 burst) / 4000 = 0.246 s.
    EXPECT_GE(seconds, (static_cast<double>(ports.size()) - 16) / opt.max_rate)
        << "connects per second above the cap";
    EXPECT_EQ(results[a.port].state, PortState::open);
    int open = 0;
    for (auto& [p, r] : results) open += r.state == PortState::open;
    EXPECT_GE(open, 1);
}

TEST(ConnectEngine, StopFlagEndsTheScanWithoutReportingUndecidedProbes) {
    auto set = loopback();
    std::vector<std::uint16_t> ports;
    for (std::uint32_t p = 1; p <= 65535; ++p) ports.push_back(static_cast<std::uint16_t>(p));
    TargetSource src(set, ports, 3);
    std::atomic<bool> stop{true};
    EngineOptions opt;
    opt.concurrency = 4;
    auto start = std::chrono::steady_clock::now();
    auto results = scan(src, opt, &stop);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_LT(results.size(), 65535u);
}

// One worker on one thread: every attempt after a refused one reuses the socket the kernel reset, and the
// open ports among them must still be found open, the rest closed.
TEST(ConnectEngine, OneWorkerReusingItsSocketTellsOpenFromClosed) {
    Listener a, b, c;
    std::vector<std::unique_ptr<Listener>> unused;  // bound, not listening: refused
    for (int i = 0; i < 200; ++i) unused.push_back(std::make_unique<Listener>(false));
    std::vector<std::uint16_t> ports{a.port, b.port, c.port};
    for (auto& u : unused) ports.push_back(u->port);
    auto set = loopback();
    TargetSource src(set, ports, 4);
    EngineOptions opt;
    opt.concurrency = 1;
    opt.threads = 1;
    auto results = scan(src, opt);
    ASSERT_EQ(results.size(), ports.size());
    for (std::uint16_t p : {a.port, b.port, c.port}) EXPECT_EQ(results[p].state, PortState::open) << p;
    for (auto& u : unused) {
        EXPECT_EQ(results[u->port].state, PortState::closed) << u->port;
        EXPECT_EQ(results[u->port].reason, Reason::rst) << u->port;
    }
}

// Attempts refused before connect() returns never make a worker wait; it must still yield, so the monitor
// sees a stop raised in the middle of the scan and the scan ends long before its 65535 ports.
TEST(ConnectEngine, StopRaisedMidScanIsSeenWhileEveryAttemptIsAnsweredAtOnce) {
    auto set = loopback();
    std::vector<std::uint16_t> ports;
    for (std::uint32_t p = 1; p <= 65535; ++p) ports.push_back(static_cast<std::uint16_t>(p));
    TargetSource src(set, ports, 5);
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> reported{0};
    EngineHooks hooks;
    hooks.stop = &stop;
    hooks.on_result = [&](const PortResult&) {
        if (++reported == 100) stop = true;
    };
    EngineOptions opt;
    opt.concurrency = 1;
    opt.threads = 1;
    ConnectEngine(opt).run(src, hooks);
    EXPECT_GE(reported.load(), 100u);
    EXPECT_LT(reported.load(), 65535u);
}
