// SPDX-License-Identifier: GPL-2.0-or-later
// Host discovery with raw packets: rounds of paced probes to the hosts not heard from yet, answers read from
// libpcap captures between sends, all in one thread (see raw_discovery.hpp).
#include "scanner/raw_discovery.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "probes/discovery_packets.hpp"
#include "probes/syn_cookie.hpp"
#include "scanner/capture.hpp"
#include "scanner/rate_limiter.hpp"
#include "scanner/raw_access.hpp"
#include "scanner/route.hpp"
#include "scanner/socket_address.hpp"

namespace ghostport::scanner {

namespace {

using clock = std::chrono::steady_clock;
using probes::DiscoveryProbe;

constexpr double default_rate = 20000;           // probe packets per second (a /24 in ~50 ms, a /16 in ~13 s)
constexpr std::uint64_t max_hosts = 1ull << 26;  // per-host arrays: 5 bytes a host
constexpr auto poll_slice = std::chrono::milliseconds(20);  // the longest sleep between looks at `stop`
constexpr int capture_buffer = 4 << 20;
// Probes to on-link hosts wait in the kernel's neighbour queue, charged to the socket, until resolution
// fails (3 s for a dead host): a large send buffer, and non-blocking sends, keep that from stalling us.
constexpr int frames_per_read = 512;
constexpr std::uint16_t sport_low = 20000, sport_high = 32767;

constexpr std::array<DiscoveryProbe, 4> v4_probes{DiscoveryProbe::icmp_echo, DiscoveryProbe::tcp_syn,
                                                  DiscoveryProbe::tcp_ack, DiscoveryProbe::icmp_timestamp};
constexpr std::array<DiscoveryProbe, 3> v6_probes{DiscoveryProbe::icmp_echo, DiscoveryProbe::tcp_syn,
                                                  DiscoveryProbe::tcp_ack};

enum HostState : std::uint8_t { unprobed = 0, probed = 1, up = 2 };

// An owned file descriptor.
class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    int get() const { return fd_; }

  private:
    int fd_ = -1;
};

// Milliseconds since midnight UT (RFC 792's timestamp).
std::uint32_t ms_since_midnight() {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    return static_cast<std::uint32_t>(ms % 86'400'000);
}

class DiscoveryRun {
  public:
    DiscoveryRun(const DiscoveryOptions& options, const TargetSet& hosts,
                 const std::function<void(const HostUp&)>& on_up, const std::atomic<bool>* stop)
        : options_(options),
          hosts_(hosts),
          on_up_(on_up),
          stop_(stop),
          limiter_(options.max_rate > 0 ? options.max_rate : default_rate),
          start_(clock::now()) {
        if (hosts.size() > max_hosts)
            throw core::RuntimeError(
                fmt::format("host discovery takes at most {} hosts ({} given)", max_hosts, hosts.size()));
        std::random_device rd;
        id_.key = probes::random_key();
        id_.sport = static_cast<std::uint16_t>(sport_low + rd() % (sport_high - sport_low + 1));
        id_.icmp_id = static_cast<std::uint16_t>(rd());
        state_.assign(hosts.size(), unprobed);
        sent_us_.assign(hosts.size(), 0);
        pending_.reserve(frames_per_read);
    }

    void run() {
        const unsigned rounds = 1 + options_.retries;
        for (unsigned round = 0; round < rounds && !finished(); ++round) {
            const std::uint64_t sent_before = probes_sent_;
            for (std::uint64_t i = 0; i < hosts_.size(); ++i) {
                if (state_[i] == up) continue;
                if (!probe(i)) return;
                read_answers();
                if (finished()) return;
            }
            // Nothing to wait for when no host had a route.
            if (probes_sent_ != sent_before && !wait_until(clock::now() + options_.timeout)) return;
        }
    }

  private:
    RawAccess& raw() const { return options_.raw ? *options_.raw : local_raw_access(); }

    bool finished() const {
        return up_count_ == hosts_.size() || (stop_ && stop_->load(std::memory_order_relaxed));
    }
    std::uint32_t now_us() const {
        return static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - start_).count());
    }

    // Sends the probes to host `index` (none when no route reaches it). False when the run should end.
    bool probe(std::uint64_t index) {
        const core::Address dst = hosts_.at(index);
        const auto route = resolver_.lookup(dst);
        if (!route || route->source.family != dst.family) return true;  // no route: no answer
        ensure_capture(route->ifname);
        const std::size_t count = dst.is_v4() ? v4_probes.size() : v6_probes.size();
        clock::duration wait{};
        for (std::size_t k = 0; k < count; ++k) wait = limiter_.reserve(clock::now());
        if (wait > clock::duration::zero() && !wait_until(clock::now() + wait)) return false;
        if (state_[index] == up) return true;  // answered a previous round meanwhile

        state_[index] = probed;
        sent_us_[index] = now_us();
        probes_sent_ += count;
        const std::uint32_t timestamp = dst.is_v4() ? ms_since_midnight() : 0;
        for (std::size_t k = 0; k < count; ++k) {
            const DiscoveryProbe kind = dst.is_v4() ? v4_probes[k] : v6_probes[k];
            const auto bytes =
                probes::build_discovery_probe(buffer_, kind, id_, route->source, dst, timestamp);
            send(socket_for(route->source, kind), bytes, dst);
        }
        return true;
    }

    // One non-blocking sendto; a refusal (no route, unreachable, a local firewall, a full buffer) only means
    // no answer.
    static void send(int fd, std::span<const std::uint8_t> bytes, const core::Address& dst) {
        const auto to = socket_address(dst);
        while (::sendto(fd, bytes.data(), bytes.size(), MSG_DONTWAIT, to.get(), to.length) < 0 &&
               errno == EINTR) {
        }
    }

    int socket_for(const core::Address& source, DiscoveryProbe kind) {
        if (source.is_v4()) {
            if (v4_.get() < 0) v4_ = Fd(raw().raw_socket(source, IPPROTO_RAW));
            return v4_.get();
        }
        auto it = v6_.find(source);
        if (it == v6_.end())
            it = v6_.emplace(source, std::pair{Fd(raw().raw_socket(source, IPPROTO_ICMPV6)),
                                               Fd(raw().raw_socket(source, IPPROTO_TCP))})
                     .first;
        return kind == DiscoveryProbe::icmp_echo ? it->second.first.get() : it->second.second.get();
    }

    void ensure_capture(const std::string& ifname) {
        for (const auto& c : captures_)
            if (c->interface() == ifname) return;
        captures_.push_back(
            raw().capture({ifname, CaptureKind::discovery, id_.sport, id_.icmp_id, capture_buffer}));
        fds_.push_back({captures_.back()->fd(), POLLIN, 0});
    }

    // Reads answers until `deadline`; false when the run should end first (stopped, or every host is up).
    bool wait_until(clock::time_point deadline) {
        while (true) {
            read_answers();
            if (finished()) return false;
            const auto now = clock::now();
            if (now >= deadline) return true;
            const auto slice = std::min<clock::duration>(deadline - now, poll_slice);
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(slice).count();
            timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
            ::ppoll(fds_.data(), fds_.size(), &ts, nullptr);
        }
    }

    // Drains every capture, then reports the hosts found (outside libpcap's callback, so on_up may throw).
    void read_answers() {
        for (const auto& c : captures_) {
            link_ = c->link();
            while (true) {
                const int n = c->dispatch(&DiscoveryRun::on_frame, this, frames_per_read);
                for (const HostUp& h : pending_) on_up_(h);
                pending_.clear();
                if (n < frames_per_read) break;
            }
        }
    }

    static void on_frame(void* self, std::span<const std::uint8_t> frame, std::uint64_t /*at_ns*/) {
        static_cast<DiscoveryRun*>(self)->handle(frame);
    }

    void handle(std::span<const std::uint8_t> frame) {
        const auto answer = probes::parse_discovery_answer(frame, link_);
        if (!answer) return;
        const auto match = probes::match_discovery_answer(id_, *answer);
        if (match == probes::DiscoveryMatch::unrelated) return;
        const auto index = hosts_.index_of(answer->src);
        if (!index || state_[*index] != probed) return;  // not a host we probed, or reported already
        state_[*index] = up;
        ++up_count_;
        HostUp h;
        h.host = answer->src;
        h.host_index = *index;
        h.rtt_us = now_us() - sent_us_[*index];  // wraps correctly
        switch (match) {
            case probes::DiscoveryMatch::echo_reply:
                h.reason = UpReason::echo_reply;
                break;
            case probes::DiscoveryMatch::timestamp_reply:
                h.reason = UpReason::timestamp_reply;
                break;
            case probes::DiscoveryMatch::syn_ack:
                h.reason = UpReason::syn_ack;
                break;
            default:
                h.reason = UpReason::rst;
                break;
        }
        pending_.push_back(h);
    }

    const DiscoveryOptions& options_;
    const TargetSet& hosts_;
    const std::function<void(const HostUp&)>& on_up_;
    const std::atomic<bool>* stop_;
    RateLimiter limiter_;
    clock::time_point start_;
    probes::DiscoveryIdentity id_;
    std::vector<std::uint8_t> state_;     // HostState per host
    std::vector<std::uint32_t> sent_us_;  // per host: its latest round's send time, us since start_
    std::uint64_t up_count_ = 0;
    std::uint64_t probes_sent_ = 0;
    RouteResolver resolver_;
    Fd v4_;
    std::map<core::Address, std::pair<Fd, Fd>> v6_;  // per source: ICMPv6 and TCP sockets
    std::vector<std::unique_ptr<Capture>> captures_;
    std::vector<pollfd> fds_;
    probes::LinkType link_ = probes::LinkType::raw_ip;
    std::vector<HostUp> pending_;  // found during one read, reported after it
    probes::DiscoveryBuffer buffer_{};
};

}  // namespace

void RawDiscovery::run(const TargetSet& hosts, const std::function<void(const HostUp&)>& on_up,
                       const std::atomic<bool>* stop) {
    if (hosts.size() == 0) return;
    DiscoveryRun(options_, hosts, on_up, stop).run();
}

}  // namespace ghostport::scanner
