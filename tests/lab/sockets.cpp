// SPDX-License-Identifier: GPL-2.0-or-later
// gp_sockets: sockets for the listeners tests. Opens each "tcp:ADDR:PORT" (listening), "udp:ADDR:PORT"
// (bound, unconnected) and "tcp6any:PORT" (a dual-stack [::] listener without IPV6_V6ONLY); with --fork a
// child shares them (so each socket has two holders); prints "ready" and exits after --seconds (bounded).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Opens one spec; -1 with a message on stderr when it cannot.
int open_spec(const std::string& spec) {
    auto first = spec.find(':');
    auto last = spec.rfind(':');
    if (first == std::string::npos) return -1;
    std::string kind = spec.substr(0, first);
    int port = std::atoi(spec.c_str() + last + 1);
    if (port <= 0 || port > 65535) return -1;
    int fd = -1;
    int one = 1, zero = 0;
    if (kind == "tcp6any") {
        fd = socket(AF_INET6, SOCK_STREAM, 0);
        sockaddr_in6 sa{};
        sa.sin6_family = AF_INET6;
        sa.sin6_port = htons(static_cast<std::uint16_t>(port));
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || listen(fd, 16) != 0) fd = -1;
    } else if (kind == "tcp" || kind == "udp") {
        std::string host = spec.substr(first + 1, last - first - 1);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(static_cast<std::uint16_t>(port));
        if (inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) return -1;
        fd = socket(AF_INET, kind == "tcp" ? SOCK_STREAM : SOCK_DGRAM, 0);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
            (kind == "tcp" && listen(fd, 16) != 0))
            fd = -1;
    }
    if (fd < 0) std::fprintf(stderr, "gp_sockets: %s: %s\n", spec.c_str(), std::strerror(errno));
    return fd;
}

}  // namespace

int main(int argc, char** argv) {
    int seconds = 60;
    bool fork_child = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) {
            seconds = std::atoi(argv[++i]);
        } else if (a == "--fork") {
            fork_child = true;
        } else if (open_spec(a) < 0) {
            return 2;
        }
    }
    if (seconds <= 0 || seconds > 600) seconds = 60;
    if (fork_child) {
        pid_t child = fork();
        if (child < 0) return 2;
        if (child == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives the parent
            if (getppid() == 1) return 0;
            sleep(static_cast<unsigned>(seconds));
            return 0;
        }
    }
    std::printf("ready\n");
    std::fflush(stdout);
    sleep(static_cast<unsigned>(seconds));
    return 0;
}
