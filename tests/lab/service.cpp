// SPDX-License-Identifier: GPL-2.0-or-later
// gp_service: plain and hostile TCP services for the service-identification lab (scan -sV).
//
//   gp_service [--seconds N] ADDR:PORT=BEHAVIOUR ...      ([v6]:PORT for IPv6)
//
// Binds every spec, prints "ready", serves many connections at once from one poll loop (non-blocking
// sockets, no thread per connection, at most 1000 open connections; more are accepted and closed), and exits
// after N seconds (default 60, at most 3600): bounded by design. Behaviours, per listening spec:
//   silent       accept, never send, keep open (what arrives is read and dropped)
//   close        accept and close at once, without a byte (looks tcpwrapped)
//   escapes      a greeting full of terminal escapes (OSC title "\x1b]0;pwned\x07", "\x1b[2J", CSI in
//                colour and C1 form) and NUL bytes, then the line "220 escapes ready\r\n"; keep open
//   flood        1 MB of binary junk without a line end, then close
//   drip         one byte at once, then one every 20 s; keep open
//   endless      one endless line without newline, written as fast as the client reads, for 10 s; then close
//   tlsgarbage   answer each read with a TLS-record-looking header (handshake, TLS 1.2, length 256) and 256
//                bytes of junk that is no handshake message; keep open
//   banner:TEXT  send TEXT with \r \n \t \\ \0 and \xNN decoded, then keep open
//   echo         send back whatever arrives (up to 1 MB buffered per connection)
// A connection whose peer closes is closed. Targets are the caller's business: the lab binds 127.0.0.0/8 or
// namespace addresses only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>
#include <string>
#include <vector>

#include "listen_spec.hpp"

namespace {

using Clock = std::chrono::steady_clock;

enum class Behaviour { silent, close, escapes, flood, drip, endless, tlsgarbage, banner, echo };

constexpr std::size_t max_connections = 1000;
constexpr std::size_t flood_bytes = 1024 * 1024;
constexpr std::size_t echo_limit = 1024 * 1024;
constexpr auto drip_every = std::chrono::seconds(20);
constexpr auto endless_for = std::chrono::seconds(10);

struct Listener {
    int fd = -1;
    Behaviour behaviour = Behaviour::silent;
    std::string text;  // banner:TEXT, decoded
};

struct Conn {
    int fd = -1;
    const Listener* from = nullptr;
    std::string out;       // bytes waiting to be sent
    std::size_t sent = 0;  // of `out` (flood: of the junk)
    bool close_when_sent = false;
    Clock::time_point opened;
    Clock::time_point next_drip;
    std::size_t drip_index = 0;
    bool dead = false;
};

// Decodes \r \n \t \\ \0 and \xNN in banner text; other bytes are taken as they are.
std::string decode_escapes(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char c = s[++i];
        if (c == 'r')
            out += '\r';
        else if (c == 'n')
            out += '\n';
        else if (c == 't')
            out += '\t';
        else if (c == '0')
            out += '\0';
        else if (c == '\\')
            out += '\\';
        else if (c == 'x' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
        } else {
            out += '\\';
            out += c;
        }
    }
    return out;
}

// The greeting of `escapes`: terminal escapes and NUL bytes, then one ordinary line.
std::string escapes_greeting() {
    std::string g = "\x1b]0;pwned\x07\x1b[2J";
    g += std::string("\0\0", 2);
    g += "\x1b[31mred\x1b[0m\x9b"
         "31m\x1b"
         "P1$r\x1b\\";
    g += std::string("\0", 1);
    g += "\x1b]8;;http://192.0.2.1/\x07link\x1b]8;;\x07\r\n";
    g += "220 escapes ready\r\n";
    return g;
}

// Deterministic binary junk (an LCG), never valid as any protocol by design.
std::string junk(std::size_t n, std::uint32_t seed) {
    std::string s(n, '\0');
    for (auto& c : s) {
        seed = seed * 1664525u + 1013904223u;
        c = static_cast<char>(seed >> 24);
    }
    return s;
}

bool parse_behaviour(const std::string& name, Listener& l) {
    static const std::pair<const char*, Behaviour> names[] = {
        {"silent", Behaviour::silent},         {"close", Behaviour::close}, {"escapes", Behaviour::escapes},
        {"flood", Behaviour::flood},           {"drip", Behaviour::drip},   {"endless", Behaviour::endless},
        {"tlsgarbage", Behaviour::tlsgarbage}, {"echo", Behaviour::echo}};
    if (name.rfind("banner:", 0) == 0) {
        l.behaviour = Behaviour::banner;
        l.text = decode_escapes(name.substr(7));
        return true;
    }
    for (const auto& [n, b] : names)
        if (name == n) {
            l.behaviour = b;
            return true;
        }
    return false;
}

// Sets up a freshly accepted connection: what it sends first, and whether it closes once that is sent.
void on_accept(Conn& c, const std::string& flood, const std::string& escapes) {
    c.opened = Clock::now();
    switch (c.from->behaviour) {
        case Behaviour::escapes:
            c.out = escapes;
            break;
        case Behaviour::flood:
            c.out = flood;
            c.close_when_sent = true;
            break;
        case Behaviour::drip:
            c.next_drip = c.opened;
            break;
        case Behaviour::banner:
            c.out = c.from->text;
            break;
        default:
            break;
    }
}

// Reads what the peer sent and reacts (echo, tlsgarbage); marks the connection dead on EOF or error.
void on_readable(Conn& c) {
    char buf[16384];
    for (int rounds = 0; rounds < 16; ++rounds) {
        ssize_t n = recv(c.fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            c.dead = true;
            return;
        }
        if (n < 0) return;
        if (c.from->behaviour == Behaviour::echo && c.out.size() - c.sent < echo_limit) {
            c.out.append(buf, static_cast<std::size_t>(n));
        } else if (c.from->behaviour == Behaviour::tlsgarbage && c.out.size() - c.sent < echo_limit) {
            c.out += std::string("\x16\x03\x03\x01\x00", 5);  // handshake record, TLS 1.2, 256 bytes
            std::string j = junk(256, static_cast<std::uint32_t>(c.out.size()));
            j[0] = '\xff';  // no handshake message type 255
            c.out += j;
        }
    }
}

// Sends what is pending (and the endless line); marks the connection dead when done or on error.
void on_writable(Conn& c) {
    if (c.from->behaviour == Behaviour::endless && c.out.size() - c.sent < 65536) {
        c.out.erase(0, c.sent);
        c.sent = 0;
        c.out.append(65536, 'A');
    }
    while (c.sent < c.out.size()) {
        ssize_t n = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) c.dead = true;
            return;
        }
        c.sent += static_cast<std::size_t>(n);
    }
    c.out.clear();
    c.sent = 0;
    if (c.close_when_sent) c.dead = true;
}

}  // namespace

int main(int argc, char** argv) {
    int seconds = 60;
    std::list<Listener> listeners;  // stable addresses: connections point at their listener
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) {
            seconds = std::clamp(std::atoi(argv[++i]), 1, 3600);
            continue;
        }
        auto eq = a.find('=');
        Listener l;
        if (eq == std::string::npos || !parse_behaviour(a.substr(eq + 1), l)) {
            std::fprintf(stderr, "gp_service: '%s' is not ADDR:PORT=BEHAVIOUR\n", a.c_str());
            return 2;
        }
        l.fd = gp_lab::listen_on(a.substr(0, eq), "gp_service", 1024);
        if (l.fd < 0) {
            std::fprintf(stderr, "gp_service: cannot listen on '%s'\n", a.c_str());
            return 2;
        }
        listeners.push_back(std::move(l));
    }
    const std::string flood = junk(flood_bytes, 12345);
    const std::string escapes = escapes_greeting();
    std::printf("ready\n");
    std::fflush(stdout);

    std::list<Conn> conns;
    std::vector<pollfd> fds;
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < end) {
        auto now = Clock::now();
        // Timed work first: drips due, endless lines over, dead connections closed.
        for (auto& c : conns) {
            if (c.from->behaviour == Behaviour::drip && now >= c.next_drip) {
                c.out += static_cast<char>('a' + c.drip_index++ % 26);
                c.next_drip = now + drip_every;
            }
            if (c.from->behaviour == Behaviour::endless && now - c.opened >= endless_for) c.dead = true;
        }
        for (auto it = conns.begin(); it != conns.end();) {
            if (it->dead) {
                close(it->fd);
                it = conns.erase(it);
            } else {
                ++it;
            }
        }
        fds.clear();
        for (auto& l : listeners) fds.push_back({l.fd, POLLIN, 0});
        for (auto& c : conns) {
            short ev = POLLIN;
            if (c.sent < c.out.size() || c.from->behaviour == Behaviour::endless) ev |= POLLOUT;
            fds.push_back({c.fd, ev, 0});
        }
        if (poll(fds.data(), fds.size(), 200) <= 0) continue;
        std::size_t i = 0;
        for (auto& l : listeners) {
            if (fds[i++].revents & POLLIN) {
                for (int accepted = 0; accepted < 256; ++accepted) {
                    int fd = accept4(l.fd, nullptr, nullptr, SOCK_NONBLOCK);
                    if (fd < 0) break;
                    if (conns.size() >= max_connections || l.behaviour == Behaviour::close) {
                        close(fd);
                        continue;
                    }
                    Conn& c = conns.emplace_back();
                    c.fd = fd;
                    c.from = &l;
                    on_accept(c, flood, escapes);
                }
            }
        }
        // Connections accepted in this round have no pollfd yet: walk only the ones polled.
        std::size_t polled = fds.size() - i;
        auto it = conns.begin();
        for (std::size_t k = 0; k < polled; ++k, ++it, ++i) {
            Conn& c = *it;
            short re = fds[i].revents;
            if (c.dead) continue;
            if (re & (POLLIN | POLLHUP | POLLERR)) on_readable(c);
            if (!c.dead && (re & POLLOUT)) on_writable(c);
        }
    }
    for (auto& c : conns) close(c.fd);
    for (auto& l : listeners) close(l.fd);
    return 0;
}
