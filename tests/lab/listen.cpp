// SPDX-License-Identifier: GPL-2.0-or-later
// gp_listen: real TCP listeners for the namespace lab. Binds every ADDR:PORT given ([v6]:PORT for IPv6),
// prints "ready", accepts and closes connections, and exits after --seconds (bounded by design).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "listen_spec.hpp"

int main(int argc, char** argv) {
    int seconds = 60;
    std::vector<pollfd> fds;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) {
            seconds = std::atoi(argv[++i]);
            continue;
        }
        int fd = gp_lab::listen_on(a, "gp_listen", 4096);
        if (fd < 0) {
            std::fprintf(stderr, "gp_listen: cannot listen on '%s'\n", a.c_str());
            return 2;
        }
        fds.push_back({fd, POLLIN, 0});
    }
    std::printf("ready\n");
    std::fflush(stdout);
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        if (poll(fds.data(), fds.size(), 200) <= 0) continue;
        for (auto& p : fds) {
            if (!(p.revents & POLLIN)) continue;
            while (true) {
                int c = accept(p.fd, nullptr, nullptr);
                if (c < 0) break;
                close(c);
            }
        }
    }
    return 0;
}
