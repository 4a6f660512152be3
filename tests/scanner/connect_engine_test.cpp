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
