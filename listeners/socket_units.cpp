// SPDX-License-Identifier: GPL-2.0-or-later
// systemctl list-sockets: run it (bounded) and parse its plain output.
#include "listeners/socket_units.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <fstream>

extern char** environ;

namespace ghostport::listeners {

namespace {

std::vector<std::string_view> tokens_of(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

// "[::]:22", "[fe80::1%eth0]:53", "0.0.0.0:631", "127.0.0.1:53" -> address and port.
std::optional<std::pair<core::Address, std::uint16_t>> parse_endpoint(std::string_view text) {
    std::string_view host, port;
    if (!text.empty() && text[0] == '[') {
        auto close = text.find("]:");
        if (close == std::string_view::npos) return std::nullopt;
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        if (auto pct = host.find('%'); pct != std::string_view::npos) host = host.substr(0, pct);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
        return std::nullopt;
    auto address = core::Address::parse(host);
    if (!address) return std::nullopt;
    return std::make_pair(*address, static_cast<std::uint16_t>(value));
}

bool is_wildcard(const core::Address& a) {
    return std::all_of(a.bytes.begin(), a.bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// Runs argv with stdout captured, stderr and stdin on /dev/null; kills it after `limit`.
std::optional<std::string> capture(const std::vector<std::string>& argv, std::chrono::milliseconds limit) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        return std::nullopt;
    }
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    bool done = false;
    while (!done && out.size() < (1u << 20)) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                          std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fds[0], POLLIN, 0};
        int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        char chunk[4096];
        ssize_t got = ::read(fds[0], chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0)
            done = true;
        else
            out.append(chunk, static_cast<std::size_t>(got));
    }
    ::close(fds[0]);
    if (!done) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!done || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
    return out;
}

}  // namespace

std::vector<SocketUnit> parse_list_sockets(std::string_view text) {
    std::vector<SocketUnit> out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        auto tokens = tokens_of(line);
        // UNIT is the last token ending in ".socket"; LISTEN is everything before it, ACTIVATES after.
        auto unit = std::find_if(tokens.rbegin(), tokens.rend(), [](std::string_view t) {
            return t.size() > 7 && t.substr(t.size() - 7) == ".socket";
        });
        if (unit == tokens.rend()) continue;
        auto at = static_cast<std::size_t>(tokens.rend() - unit - 1);
        if (at != 1) continue;  // an inet LISTEN is one token
        auto endpoint = parse_endpoint(tokens[0]);
        if (!endpoint) continue;
        SocketUnit s;
        s.address = endpoint->first;
        s.port = endpoint->second;
        s.unit = std::string(tokens[at]);
        for (std::size_t i = at + 1; i < tokens.size(); ++i) {
            if (!s.activates.empty()) s.activates += ' ';
            s.activates += tokens[i];
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::optional<std::string> socket_unit_for(const std::vector<SocketUnit>& units, const core::Address& address,
                                           std::uint16_t port) {
    for (const auto& u : units)
        if (u.port == port && u.address == address) return u.unit;
    if (!is_wildcard(address)) return std::nullopt;
    for (const auto& u : units)
        if (u.port == port && is_wildcard(u.address) &&
            (u.address.family == address.family || !u.address.is_v4()))
            return u.unit;
    return std::nullopt;
}

std::vector<SocketUnit> read_socket_units(const std::string& proc_root) {
    std::ifstream comm(proc_root + "/1/comm");
    std::string name;
    if (!std::getline(comm, name) || name != "systemd") return {};
    for (const char* path : {"/usr/bin/systemctl", "/bin/systemctl"}) {
        if (::access(path, X_OK) != 0) continue;
        auto text = capture({path, "list-sockets", "--all", "--full", "--no-legend", "--plain"},
                            std::chrono::seconds(2));
        return text ? parse_list_sockets(*text) : std::vector<SocketUnit>{};
    }
    return {};
}

}  // namespace ghostport::listeners
