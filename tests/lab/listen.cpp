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

namespace {

int listen_on(const std::string& spec) {
    auto colon = spec.rfind(':');
    if (colon == std::string::npos) return -1;
    std::string host = spec.substr(0, colon);
    int port = std::atoi(spec.c_str() + colon + 1);
    if (port <= 0 || port > 65535) return -1;
    sockaddr_storage ss{};
    socklen_t len = 0;
    int family = AF_INET;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        family = AF_INET6;
        auto* sa = reinterpret_cast<sockaddr_in6*>(&ss);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(static_cast<uint16_t>(port));
        if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &sa->sin6_addr) != 1) return -1;
        len = sizeof *sa;
    } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&ss);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(static_cast<uint16_t>(port));
        if (inet_pton(AF_INET, host.c_str(), &sa->sin_addr) != 1) return -1;
        len = sizeof *sa;
    }
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || listen(fd, 4096) != 0) {
        std::fprintf(stderr, "gp_listen: %s: %s\n", spec.c_str(), std::strerror(errno));
        return -1;
    }
    return fd;
}

}  // namespace

int main(int argc, char** argv) {
    int seconds = 60;
    std::vector<pollfd> fds;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) {
            seconds = std::atoi(argv[++i]);
            continue;
        }
        int fd = listen_on(a);
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
