// SPDX-License-Identifier: GPL-2.0-or-later
// gp_service, the lab's hostile services for -sV, on 127.0.0.1 only: each behaviour does what its
// documentation says, and many connections are served at once.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "../loopback.hpp"
#include "lab.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// A socket connected to 127.0.0.1:port (timeouts 300 ms), closed on destruction.
struct Client {
    int fd = -1;
    explicit Client(int port) : fd(gp_test::connect_local(port, std::chrono::milliseconds(300))) {}
    ~Client() {
        if (fd >= 0) close(fd);
    }
    void send_text(const std::string& s) const { ::send(fd, s.data(), s.size(), MSG_NOSIGNAL); }
    // Reads for up to `limit` or until EOF / `max` bytes; `eof` says whether the peer closed.
    std::string read_for(std::chrono::milliseconds limit, bool& eof, std::size_t max = 1 << 24) const {
        std::string out;
        eof = false;
        char buf[65536];
        auto end = Clock::now() + limit;
        while (Clock::now() < end && out.size() < max) {
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n == 0) {
                eof = true;
                break;
            }
            if (n > 0) out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }
};

}  // namespace

TEST(ServiceLab, Behaviours) {
    std::vector<int> ports;
    for (int i = 0; i < 9; ++i) ports.push_back(gp_test::free_port());
    auto spec = [&](int i, const std::string& b) {
        return "127.0.0.1:" + std::to_string(ports[i]) + "=" + b;
    };
    gp_test::Background service(
        {GP_SERVICE_BINARY, "--seconds", "30", spec(0, "silent"), spec(1, "close"), spec(2, "escapes"),
         spec(3, "flood"), spec(4, "drip"), spec(5, "endless"), spec(6, "tlsgarbage"),
         spec(7, "banner:SSH-2.0-Lab_1.0\\r\\nx\\x41\\0"), spec(8, "echo")},
        "ready");
    bool eof = false;
    {
        Client c(ports[0]);
        ASSERT_GE(c.fd, 0);
        EXPECT_EQ(c.read_for(std::chrono::milliseconds(600), eof), "");
        EXPECT_FALSE(eof);
    }
    {
        Client c(ports[1]);
        EXPECT_EQ(c.read_for(std::chrono::milliseconds(2000), eof), "");
        EXPECT_TRUE(eof);
    }
    {
        Client c(ports[2]);
        std::string g = c.read_for(std::chrono::milliseconds(600), eof);
        EXPECT_EQ(g.rfind("\x1b]0;pwned\x07\x1b[2J", 0), 0u);
        EXPECT_NE(g.find('\0'), std::string::npos);
        EXPECT_EQ(g.substr(g.size() - 19), "220 escapes ready\r\n");
        EXPECT_FALSE(eof);
    }
    {
        Client c(ports[3]);
        EXPECT_EQ(c.read_for(std::chrono::milliseconds(5000), eof).size(), 1024u * 1024u);
        EXPECT_TRUE(eof);
    }
    {
        Client c(ports[4]);
        EXPECT_EQ(c.read_for(std::chrono::milliseconds(1000), eof), "a");
        EXPECT_FALSE(eof);
    }
    {
        Client c(ports[5]);
        std::string line = c.read_for(std::chrono::milliseconds(1000), eof, 4u << 20);
        EXPECT_GE(line.size(), 4u << 20);
        EXPECT_EQ(line.find('\n'), std::string::npos);
        EXPECT_FALSE(eof);
    }
    {
        Client c(ports[6]);
        c.send_text("\x16\x03\x01\x00\x05hello");
        std::string r = c.read_for(std::chrono::milliseconds(600), eof);
        ASSERT_EQ(r.size(), 5u + 256u);
        EXPECT_EQ(r.substr(0, 5), std::string("\x16\x03\x03\x01\x00", 5));
    }
    {
        Client c(ports[7]);
        EXPECT_EQ(c.read_for(std::chrono::milliseconds(600), eof),
                  std::string("SSH-2.0-Lab_1.0\r\nxA\0", 20));
        EXPECT_FALSE(eof);
    }
    {
        Client c(ports[8]);
        c.send_text("ping\n");
        EXPECT_EQ(c.read_for(std::chrono::milliseconds(600), eof), "ping\n");
    }
    // Many at once: 400 silent connections stay open and a banner still answers.
    std::vector<std::unique_ptr<Client>> many;
    for (int i = 0; i < 400; ++i) many.push_back(std::make_unique<Client>(ports[0]));
    for (const auto& m : many) ASSERT_GE(m->fd, 0);
    Client c(ports[7]);
    EXPECT_EQ(c.read_for(std::chrono::milliseconds(600), eof).substr(0, 8), "SSH-2.0-");
}

TEST(ServiceLab, RejectsBadSpecs) {
    auto r = gp_test::run({GP_SERVICE_BINARY, "--seconds", "1", "127.0.0.1:1=nonsense"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("ADDR:PORT=BEHAVIOUR"), std::string::npos);
    r = gp_test::run({GP_SERVICE_BINARY, "--seconds", "1", "127.0.0.1:1"});
    EXPECT_EQ(r.exit_code, 2);
}
