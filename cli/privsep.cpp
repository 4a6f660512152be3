// SPDX-License-Identifier: GPL-2.0-or-later
// Privilege separation: the privileged part's service loop, the worker's client, and the split itself.
#include "cli/privsep.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "core/errors.hpp"
#include "scanner/capture.hpp"

namespace ghostport::cli {

namespace {

enum Op : std::uint8_t { op_raw_socket = 1, op_capture, op_create_temp, op_publish, op_discard, op_remove };

constexpr std::size_t max_message = 8192;
constexpr std::size_t max_captures = 64;

// [u8 op][u8 strings][u8 numbers] then each string (u16 length, bytes), then each number (u32).
std::vector<std::uint8_t> encode(std::uint8_t op, const std::vector<std::string>& strings,
                                 const std::vector<std::uint32_t>& numbers) {
    std::vector<std::uint8_t> out{op, static_cast<std::uint8_t>(strings.size()),
                                  static_cast<std::uint8_t>(numbers.size())};
    for (const auto& s : strings) {
        const auto n = static_cast<std::uint16_t>(std::min<std::size_t>(s.size(), 4096));
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n));
        out.insert(out.end(), s.begin(), s.begin() + n);
    }
    for (std::uint32_t v : numbers)
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
    return out;
}

// Sends `bytes` with `fd` attached when fd >= 0. Returns false when the peer is gone.
bool send_message(int channel, const std::vector<std::uint8_t>& bytes, int fd = -1) {
    iovec iov{const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (fd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    while (true) {
        if (::sendmsg(channel, &msg, MSG_NOSIGNAL) >= 0) return true;
        if (errno != EINTR) return false;
    }
}

// Receives one message and the descriptor attached to it (-1 when none). Returns the size, 0 when the
// peer is gone, -1 on error.
ssize_t receive_message(int channel, std::array<std::uint8_t, max_message>& buffer, int& fd) {
    fd = -1;
    iovec iov{buffer.data(), buffer.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do n = ::recvmsg(channel, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
            int received = -1;
            std::memcpy(&received, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (fd < 0)
                fd = received;
            else
                ::close(received);  // only one is ever expected
        }
    }
    if (n >= 0 && (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
        if (fd >= 0) ::close(fd);
        fd = -1;
        return -1;
    }
    return n;
}

// ---- The privileged part -------------------------------------------------------------------------------

class Broker {
  public:
    Broker(int channel, pid_t worker, const PrivsepPlan& plan) : channel_(channel), worker_(worker) {
        for (const auto& f : plan.files) files_.insert(f.lexically_normal());
    }

    // Serves until the worker is gone; returns its exit status.
    int serve() {
        sigset_t signals;
        sigemptyset(&signals);
        for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&signals, s);
        sigprocmask(SIG_BLOCK, &signals, nullptr);
        const int sfd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
        bool channel_open = true;
        while (true) {
            std::vector<pollfd> fds{{channel_open ? channel_ : -1, POLLIN, 0}, {sfd, POLLIN, 0}};
            for (const auto& r : relays_) fds.push_back({r.capture->fd(), POLLIN, 0});
            if (::poll(fds.data(), fds.size(), channel_open ? 1000 : 100) < 0 && errno != EINTR) break;
            if (fds[1].revents & POLLIN) on_signals(sfd);
            for (std::size_t i = 0; i < relays_.size(); ++i)
                if (fds[2 + i].revents & POLLIN) relays_[i].capture->forward(relays_[i].channel);
            if (channel_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) channel_open = serve_one();
            int status = 0;
            const pid_t done = ::waitpid(worker_, &status, WNOHANG);
            if (done == worker_) return exit_code(status);
        }
        int status = 0;
        ::waitpid(worker_, &status, 0);
        return exit_code(status);
    }

    // Temporary files a worker that died left behind.
    ~Broker() {
        for (const auto& [temp, dest] : temps_) output::local_file_access().discard(temp);
        for (const auto& r : relays_) ::close(r.channel);
    }

  private:
    struct Relay {
        std::unique_ptr<scanner::Capture> capture;
        int channel;
    };

    // The worker's status as this process's: its exit code, or death by the same signal when it was
    // stopped by one (a second Ctrl-C, SIGTERM, SIGKILL), so the caller sees what it would have seen.
    static int exit_code(int status) {
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM ||
                                    WTERMSIG(status) == SIGHUP || WTERMSIG(status) == SIGKILL)) {
            const int sig = WTERMSIG(status);
            std::fflush(stderr);
            std::signal(sig, SIG_DFL);
            sigset_t only;
            sigemptyset(&only);
            sigaddset(&only, sig);
            sigprocmask(SIG_UNBLOCK, &only, nullptr);
            ::raise(sig);
            return 128 + sig;
        }
        if (WIFSIGNALED(status)) {
            std::fprintf(stderr, "ghostport: the scan's worker process died of signal %d (%s)\n",
                         WTERMSIG(status), strsignal(WTERMSIG(status)));
            std::fflush(stderr);
        }
        return core::exit_runtime;
    }

    // SIGTERM and SIGHUP go on to the worker; so does a SIGINT that a process sent to this one. A SIGINT
    // from the terminal reached the worker already (same process group): passing it on would be a second.
    void on_signals(int sfd) {
        signalfd_siginfo info{};
        while (::read(sfd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
            const int sig = static_cast<int>(info.ssi_signo);
            if (sig == SIGCHLD) continue;
            if (sig == SIGINT && info.ssi_pid == 0) continue;
            ::kill(worker_, sig);
        }
    }

    // Handles one request; false when the worker closed the channel.
    bool serve_one() {
        std::array<std::uint8_t, max_message> buffer;
        int passed = -1;
        const ssize_t n = receive_message(channel_, buffer, passed);
        if (passed >= 0) ::close(passed);  // the worker never sends descriptors
        if (n == 0) return false;
        if (n < 0) return errno == EAGAIN || errno == EINTR || errno == EMSGSIZE;
        const detail::Request r = detail::decode_request(buffer.data(), static_cast<std::size_t>(n));
        try {
            handle(r);
        } catch (const std::exception& e) {
            reply_error(e.what());
        }
        return true;
    }

    void reply_error(const std::string& message) { send_message(channel_, encode(1, {message}, {})); }
    void reply_ok(const std::vector<std::string>& strings, const std::vector<std::uint32_t>& numbers,
                  int fd = -1) {
        send_message(channel_, encode(0, strings, numbers), fd);
    }

    std::filesystem::path allowed(const std::string& path) const {
        const auto p = std::filesystem::path(path).lexically_normal();
        if (!files_.count(p))
            throw core::RuntimeError(
                fmt::format("refused: {} is not a file of this scan's command line", path));
        return p;
    }

    void handle(const detail::Request& r) {
        auto need = [&](std::size_t strings, std::size_t numbers) {
            if (r.strings.size() != strings || r.numbers.size() != numbers)
                throw core::RuntimeError("refused: a malformed request");
        };
        switch (r.op) {
            case op_raw_socket: {
                need(1, 1);
                const auto source = core::Address::parse(r.strings[0]);
                if (!source) throw core::RuntimeError("refused: a raw socket for no address");
                const int fd = scanner::detail::open_raw_socket(*source, static_cast<int>(r.numbers[0]));
                if (fd < 0) {
                    reply_ok({}, {static_cast<std::uint32_t>(-fd)});
                    return;
                }
                reply_ok({}, {0}, fd);
                ::close(fd);
                return;
            }
            case op_capture: {
                need(1, 4);
                if (relays_.size() >= max_captures) throw core::RuntimeError("refused: too many captures");
                if (r.numbers[0] > 2 || r.numbers[1] > 0xFFFF || r.numbers[2] > 0xFFFF)
                    throw core::RuntimeError("refused: a malformed capture request");
                scanner::CaptureRequest q;
                q.ifname = r.strings[0];
                q.kind = static_cast<scanner::CaptureKind>(r.numbers[0]);
                q.a = static_cast<std::uint16_t>(r.numbers[1]);
                q.b = static_cast<std::uint16_t>(r.numbers[2]);
                q.buffer_bytes =
                    static_cast<int>(std::clamp<std::uint32_t>(r.numbers[3], 1 << 20, 256u << 20));
                auto capture = scanner::local_raw_access().capture(q);  // the filter is built here
                int pair[2];
                if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
                    throw core::RuntimeError(fmt::format("cannot relay a capture: {}", std::strerror(errno)));
                const int big = 4 << 20;
                ::setsockopt(pair[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
                ::shutdown(pair[0], SHUT_RD);
                const auto link = static_cast<std::uint32_t>(capture->link());
                relays_.push_back({std::move(capture), pair[0]});
                reply_ok({}, {link}, pair[1]);
                ::close(pair[1]);
                return;
            }
            case op_create_temp: {
                need(1, 1);
                const auto dest = allowed(r.strings[0]);
                // Never group or other write, whatever the worker asks.
                auto [fd, temp] = output::local_file_access().create_temp(dest, (r.numbers[0] & 0644) | 0600);
                temps_[temp.lexically_normal()] = dest;
                reply_ok({temp.string()}, {}, fd);
                ::close(fd);
                return;
            }
            case op_publish: {
                need(2, 0);
                const auto temp = std::filesystem::path(r.strings[0]).lexically_normal();
                const auto dest = allowed(r.strings[1]);
                auto it = temps_.find(temp);
                if (it == temps_.end() || it->second != dest)
                    throw core::RuntimeError("refused: that temporary file was not made for that report");
                temps_.erase(it);
                output::local_file_access().publish(temp, dest);
                reply_ok({}, {});
                return;
            }
            case op_discard: {
                need(1, 0);
                auto it = temps_.find(std::filesystem::path(r.strings[0]).lexically_normal());
                if (it != temps_.end()) {
                    output::local_file_access().discard(it->first);
                    temps_.erase(it);
                }
                reply_ok({}, {});
                return;
            }
            case op_remove: {
                need(1, 0);
                output::local_file_access().remove(allowed(r.strings[0]));
                reply_ok({}, {});
                return;
            }
            default:
                throw core::RuntimeError("refused: a malformed request");
        }
    }

    int channel_;
    pid_t worker_;
    std::set<std::filesystem::path> files_;
    std::map<std::filesystem::path, std::filesystem::path> temps_;  // temporary file -> its report
    std::vector<Relay> relays_;
};

// ---- The worker's credentials ----------------------------------------------------------------------------

core::RuntimeError failure(const char* step) {
    return core::RuntimeError(fmt::format("cannot separate privileges: {}: {}", step, std::strerror(errno)));
}

// Empties every capability set this process may empty, then sets no_new_privs.
void become_worker(const DropTarget& target) {
    const bool root = ::geteuid() == 0;
    // The bounding set first, while CAP_SETPCAP may still be held (a binary with file capabilities only
    // cannot: no_new_privs below makes the bounding set moot for it).
    for (int cap = 0; cap <= 63; ++cap)
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL && !(errno == EPERM && !root))
            throw failure("PR_CAPBSET_DROP");
    if (root) {
        if (::setgroups(0, nullptr) != 0) throw failure("setgroups");
        if (::setresgid(target.gid, target.gid, target.gid) != 0) throw failure("setresgid");
        if (::setresuid(target.uid, target.uid, target.uid) != 0) throw failure("setresuid");
        if (::setuid(0) == 0 || ::setgid(0) == 0)
            throw core::RuntimeError("cannot separate privileges: root came back");
    }
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3]{};
    if (::syscall(SYS_capset, &header, none) != 0) throw failure("capset");
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);  // EINVAL before Linux 4.3: nothing to clear
#if defined(__SANITIZE_ADDRESS__)
    // Sanitizer builds only: LeakSanitizer ptraces the process at exit, which the kernel refuses once a user
    // switch has made it undumpable. A release build stays undumpable, as the kernel leaves it.
    ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) throw failure("PR_SET_NO_NEW_PRIVS");
}

}  // namespace

// ---- The worker's client ---------------------------------------------------------------------------------

namespace {

struct Reply {
    detail::Request fields;  // fields.op is the status: 0 done, 1 refused (strings: the reason)
    int fd = -1;
};

Reply call(int channel, std::mutex& mutex, const std::vector<std::uint8_t>& request) {
    std::lock_guard lock(mutex);
    if (!send_message(channel, request))
        throw core::RuntimeError("the privileged part of the scan is gone (its channel is closed)");
    std::array<std::uint8_t, max_message> buffer;
    Reply reply;
    const ssize_t n = receive_message(channel, buffer, reply.fd);
    if (n <= 0) throw core::RuntimeError("the privileged part of the scan did not answer");
    reply.fields = detail::decode_request(buffer.data(), static_cast<std::size_t>(n));
    if (n < 3 || buffer[0] > 1) {
        if (reply.fd >= 0) ::close(reply.fd);
        throw core::RuntimeError("a malformed reply from the privileged part of the scan");
    }
    if (buffer[0] == 1) {
        if (reply.fd >= 0) ::close(reply.fd);
        throw core::RuntimeError(reply.fields.strings.empty() ? std::string("refused")
                                                              : reply.fields.strings.front());
    }
    return reply;
}

}  // namespace

PrivsepClient::~PrivsepClient() {
    if (fd_ >= 0) ::close(fd_);
}

int PrivsepClient::raw_socket(const core::Address& source, int protocol) {
    Reply r = call(fd_, mutex_,
                   encode(op_raw_socket, {source.to_string()}, {static_cast<std::uint32_t>(protocol)}));
    const std::uint32_t err = r.fields.numbers.empty() ? EIO : r.fields.numbers.front();
    if (r.fd >= 0 && err == 0) return r.fd;
    if (r.fd >= 0) ::close(r.fd);
    // The same words as a local open would say.
    const std::string what = source.is_v4() ? "IPv4" : protocol == IPPROTO_ICMPV6 ? "ICMPv6" : "IPv6";
    throw core::RuntimeError(fmt::format("cannot open a raw socket ({}) in the privileged part: {}", what,
                                         std::strerror(static_cast<int>(err))));
}

std::unique_ptr<scanner::Capture> PrivsepClient::capture(const scanner::CaptureRequest& q) {
    Reply r = call(
        fd_, mutex_,
        encode(op_capture, {q.ifname},
               {static_cast<std::uint32_t>(q.kind), q.a, q.b, static_cast<std::uint32_t>(q.buffer_bytes)}));
    if (r.fd < 0 || r.fields.numbers.size() != 1) throw core::RuntimeError("a malformed privileged reply");
    const auto link = static_cast<probes::LinkType>(r.fields.numbers.front());
    return std::make_unique<scanner::Capture>(q.ifname, link, r.fd);
}

std::pair<int, std::filesystem::path> PrivsepClient::create_temp(const std::filesystem::path& dest,
                                                                 unsigned mode) {
    Reply r = call(fd_, mutex_, encode(op_create_temp, {dest.string()}, {mode}));
    if (r.fd < 0 || r.fields.strings.size() != 1) throw core::RuntimeError("a malformed privileged reply");
    return {r.fd, std::filesystem::path(r.fields.strings.front())};
}

void PrivsepClient::publish(const std::filesystem::path& temp, const std::filesystem::path& dest) {
    call(fd_, mutex_, encode(op_publish, {temp.string(), dest.string()}, {}));
}

void PrivsepClient::discard(const std::filesystem::path& temp) noexcept {
    try {
        call(fd_, mutex_, encode(op_discard, {temp.string()}, {}));
    } catch (const std::exception&) {
    }
}

void PrivsepClient::remove(const std::filesystem::path& dest) noexcept {
    try {
        call(fd_, mutex_, encode(op_remove, {dest.string()}, {}));
    } catch (const std::exception&) {
    }
}

// ---- The split
// ---------------------------------------------------------------------------------------------

bool privileged_process() {
    if (::geteuid() == 0) return true;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (::syscall(SYS_capget, &header, data) != 0) return false;
    return (data[0].permitted | data[1].permitted) != 0;
}

std::unique_ptr<PrivsepClient> separate_privileges(const PrivsepPlan& plan) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) throw failure("socketpair");
    std::fflush(stdout);  // nothing buffered before the split may be written twice
    std::fflush(stderr);
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0) {
        const int err = errno;
        ::close(pair[0]);
        ::close(pair[1]);
        errno = err;
        throw failure("fork");
    }
    if (child > 0) {  // the privileged part
        ::close(pair[1]);
        int code = core::exit_runtime;
        {
            Broker broker(pair[0], child, plan);
            code = broker.serve();
        }
        std::fflush(stderr);
        ::_exit(code);
    }
    ::close(pair[0]);
    become_worker(plan.worker);
    // Die with the privileged part (set after the credential change, which clears it).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::getppid() != parent) ::_exit(core::exit_runtime);
    return std::make_unique<PrivsepClient>(pair[1]);
}

void end_worker(int code) {
#if !defined(__SANITIZE_ADDRESS__)
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    ::_exit(code);
#else
    (void)code;
#endif
}

namespace detail {

Request decode_request(const std::uint8_t* data, std::size_t size) {
    Request r;
    if (size < 3) return {};
    r.op = data[0];
    const std::size_t strings = data[1], numbers = data[2];
    std::size_t at = 3;
    for (std::size_t i = 0; i < strings; ++i) {
        if (at + 2 > size) return {};
        const std::size_t n = static_cast<std::size_t>(data[at]) << 8 | data[at + 1];
        at += 2;
        if (n > size - at) return {};
        r.strings.emplace_back(reinterpret_cast<const char*>(data + at), n);
        at += n;
    }
    for (std::size_t i = 0; i < numbers; ++i) {
        if (at + 4 > size) return {};
        r.numbers.push_back(static_cast<std::uint32_t>(data[at]) << 24 |
                            static_cast<std::uint32_t>(data[at + 1]) << 16 |
                            static_cast<std::uint32_t>(data[at + 2]) << 8 | data[at + 3]);
        at += 4;
    }
    if (at != size) return {};
    return r;
}

}  // namespace detail

}  // namespace ghostport::cli
