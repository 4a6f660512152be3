// gp_responder: many remote hosts in 198.19.0.0/16 behind a TUN device, for the namespace lab. It answers
// TCP SYNs (and ICMP echo requests) after a per-host RTT, per a seeded truth table, with optional random
// loss, because this kernel has no netem. It prints "ready" once attached and exits after --seconds.
//
//   gp_responder --dev DEV [options]       attach to the persistent TUN device DEV (IFF_TUN|IFF_NO_PI;
//                                          `lab.sh latency NAME DEV` makes one) and answer until --seconds
//   gp_responder --truth PORTS [options]   print every open HOST:PORT among PORTS, one a line, and exit
//   gp_responder --truth-all PORTS [...]   print "HOST:PORT STATE RTT_MS" for every pair (STATE is open,
//                                          closed, filtered or down) and exit
//
// Options (the truth options must be the same for --dev and --truth to agree):
//   --seed N            seed of the truth table, the RTTs and the loss draws (default 1)
//   --hosts CIDR        the simulated hosts, inside 198.19.0.0/16 (default 198.19.0.0/24); every address of
//                       the block is a host, network and broadcast addresses included
//   --down-pct P        percent of hosts that never answer anything (default 10)
//   --open-pct P        percent of the ports of a live host that answer SYN-ACK (default 0.1)
//   --filtered-pct P    percent that never answer (default 0.1)
//   --closed-pct P      percent that answer RST+ACK (default: 100 - open - filtered; when given, the three
//                       must add up to 100)
//   --always-open PORTS ports open on every live host whatever the draw, so a scan always has opens
//                       (default 22,80; "none" for none)
//   --rtt-min MS, --rtt-max MS   each host's RTT is drawn uniformly from [min, max] ms (default 20..200)
//   --loss PCT          each incoming SYN / echo request and each outgoing reply is dropped independently
//                       with this probability (default 0), from an RNG seeded with --seed
//   --seconds N         exit after N seconds (default 60): bounded by design; SIGINT/SIGTERM end it early
//   --queue N           at most N replies waiting for their RTT (default 1000000); more are dropped
// PORTS is a list like "1-1000" or "22,80,8000-8100".
//
// Design notes
// - The truth is a pure function: a host is down when SipHash(seed; "host", host) mapped to [0,1) is below
//   down-pct, and its RTT is min + SipHash(seed; "rtt", host) mod (max - min + 1); a port of a live host is
//   open below open-pct, filtered below open-pct + filtered-pct, and closed above, on SipHash(seed; "port",
//   host, port). --truth and the device mode call the same functions.
// - On the device only an IPv4 TCP segment with SYN set and ACK clear, or an ICMP echo request, addressed to
//   a host of the block gets an answer: SYN-ACK (ISN a keyed hash of the 4-tuple, ack = their seq + 1, MSS
//   option) for open, RST+ACK (seq 0, ack = their seq + 1) for closed. Everything else is ignored: the
//   scanner's ACKs and RSTs, fragments, IPv6, other protocols.
// - Replies wait in a min-heap by due time drained by a ppoll() loop whose timeout is the next due time (no
//   busy-waiting). The fd is non-blocking and read in batches until EAGAIN; nothing is allocated per packet
//   beyond the heap's amortised growth, which --queue bounds.
// - At exit the counters go to standard error.
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "probes/byte_order.hpp"
#include "probes/checksum.hpp"
#include "probes/siphash.hpp"
#include "probes/tcp_flags.hpp"

namespace {

using ghostport::core::Address;
using ghostport::probes::detail::load_be16;
using ghostport::probes::detail::load_be32;
using ghostport::probes::detail::store_be16;
using ghostport::probes::detail::store_be32;
namespace tcp_flag = ghostport::probes::tcp_flag;

constexpr std::uint8_t protocol_icmp = 1, protocol_tcp = 6;
constexpr std::uint8_t icmp_echo_reply = 0, icmp_echo_request = 8;
constexpr std::size_t max_icmp_message = 64;      // 8-byte header + ping's default 56-byte payload
constexpr std::uint32_t lab_block = 0xC6130000u;  // 198.19.0.0/16

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Config {
    std::string dev;
    std::uint64_t seed = 1;
    std::uint32_t network = lab_block;  // host byte order
    unsigned prefix = 24;
    double down_pct = 10, open_pct = 0.1, filtered_pct = 0.1, closed_pct = -1;  // -1: the remainder
    std::bitset<65536> always_open;
    std::uint32_t rtt_min_ms = 20, rtt_max_ms = 200;
    double loss_pct = 0;
    unsigned seconds = 60;
    std::size_t queue_cap = 1000000;
    std::string truth_ports;
    bool truth_all = false;
};

std::uint64_t parse_uint(std::string_view text, std::uint64_t max, const char* what) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v > max)
        throw UsageError(std::string("bad ") + what + " '" + std::string(text) + "'");
    return v;
}

double parse_pct(std::string_view text, const char* what) {
    std::string s(text);
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !(v >= 0 && v <= 100))
        throw UsageError(std::string("bad ") + what + " '" + s + "': a percentage 0-100");
    return v;
}

// "1-1000", "22,80,8000-8100" -> the listed ports in order (duplicates kept out).
std::vector<std::uint16_t> parse_ports(std::string_view spec) {
    std::bitset<65536> seen;
    std::vector<std::uint16_t> out;
    while (!spec.empty()) {
        auto comma = spec.find(',');
        auto item = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
        auto dash = item.find('-');
        auto lo = parse_uint(item.substr(0, dash), 65535, "port");
        auto hi = dash == std::string_view::npos ? lo : parse_uint(item.substr(dash + 1), 65535, "port");
        if (hi < lo) throw UsageError("bad port range '" + std::string(item) + "'");
        for (auto p = lo; p <= hi; ++p)
            if (!seen.test(p)) {
                seen.set(p);
                out.push_back(static_cast<std::uint16_t>(p));
            }
    }
    if (out.empty()) throw UsageError("empty port list");
    return out;
}

void parse_hosts(std::string_view spec, Config& c) {
    auto slash = spec.find('/');
    auto base = Address::parse(spec.substr(0, slash));
    if (!base || !base->is_v4()) throw UsageError("bad --hosts '" + std::string(spec) + "'");
    c.prefix = slash == std::string_view::npos
                   ? 32
                   : static_cast<unsigned>(parse_uint(spec.substr(slash + 1), 32, "--hosts prefix"));
    const std::uint32_t mask = c.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - c.prefix);
    c.network = base->v4() & mask;
    if (c.prefix < 16 || (c.network & 0xFFFF0000u) != lab_block)
        throw UsageError("--hosts must lie inside 198.19.0.0/16");
}

Config parse_args(int argc, char** argv) {
    Config c;
    c.always_open.set(22);
    c.always_open.set(80);
    bool closed_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (i + 1 >= argc) throw UsageError("option " + std::string(a) + " needs a value");
        std::string_view v = argv[++i];
        if (a == "--dev")
            c.dev = v;
        else if (a == "--seed")
            c.seed = parse_uint(v, UINT64_MAX, "--seed");
        else if (a == "--hosts")
            parse_hosts(v, c);
        else if (a == "--down-pct")
            c.down_pct = parse_pct(v, "--down-pct");
        else if (a == "--open-pct")
            c.open_pct = parse_pct(v, "--open-pct");
        else if (a == "--filtered-pct")
            c.filtered_pct = parse_pct(v, "--filtered-pct");
        else if (a == "--closed-pct")
            c.closed_pct = parse_pct(v, "--closed-pct"), closed_given = true;
        else if (a == "--always-open") {
            c.always_open.reset();
            if (v != "none")
                for (auto p : parse_ports(v)) c.always_open.set(p);
        } else if (a == "--rtt-min")
            c.rtt_min_ms = static_cast<std::uint32_t>(parse_uint(v, 60000, "--rtt-min"));
        else if (a == "--rtt-max")
            c.rtt_max_ms = static_cast<std::uint32_t>(parse_uint(v, 60000, "--rtt-max"));
        else if (a == "--loss")
            c.loss_pct = parse_pct(v, "--loss");
        else if (a == "--seconds")
            c.seconds = static_cast<unsigned>(parse_uint(v, 86400, "--seconds"));
        else if (a == "--queue")
            c.queue_cap = parse_uint(v, 100000000, "--queue");
        else if (a == "--truth" || a == "--truth-all")
            c.truth_ports = v, c.truth_all = a == "--truth-all";
        else
            throw UsageError("unknown option " + std::string(a));
    }
    if (c.rtt_min_ms > c.rtt_max_ms) throw UsageError("--rtt-min is above --rtt-max");
    if (!closed_given) c.closed_pct = 100 - c.open_pct - c.filtered_pct;
    if (c.closed_pct < -1e-9 || std::abs(c.open_pct + c.filtered_pct + c.closed_pct - 100) > 1e-6)
        throw UsageError("--open-pct, --filtered-pct and --closed-pct must add up to 100");
    if (c.truth_ports.empty() && c.dev.empty()) throw UsageError("give --dev DEV or --truth PORTS");
    return c;
}

enum class PortState { open, closed, filtered };

struct HostInfo {
    bool up = false;
    std::uint32_t rtt_ms = 0;
};

// The truth table: pure functions of (seed, host) and (seed, host, port).
class Truth {
  public:
    explicit Truth(const Config& c)
        : key_{c.seed, c.seed ^ 0x6768'6f73'7470'6f72ull},
          network_(c.network),
          mask_(c.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - c.prefix)),
          down_(c.down_pct / 100),
          open_(c.open_pct / 100),
          open_or_filtered_((c.open_pct + c.filtered_pct) / 100),
          rtt_min_(c.rtt_min_ms),
          rtt_span_(c.rtt_max_ms - c.rtt_min_ms + 1),
          always_open_(c.always_open) {}

    bool contains(std::uint32_t ip) const { return (ip & mask_) == network_; }
    std::uint32_t first() const { return network_; }
    std::uint32_t last() const { return network_ | ~mask_; }

    HostInfo host(std::uint32_t ip) const {
        HostInfo h;
        h.up = unit(hash('h', ip, 0)) >= down_;
        h.rtt_ms = rtt_min_ + static_cast<std::uint32_t>(hash('r', ip, 0) % rtt_span_);
        return h;
    }

    // The state of `port` on a live host.
    PortState port(std::uint32_t ip, std::uint16_t port) const {
        if (always_open_.test(port)) return PortState::open;
        const double u = unit(hash('p', ip, port));
        return u < open_ ? PortState::open : u < open_or_filtered_ ? PortState::filtered : PortState::closed;
    }

    // The SYN-ACK's initial sequence number for the connection from peer:peer_port to ip:port.
    std::uint32_t isn(std::uint32_t ip, std::uint16_t port, std::uint32_t peer,
                      std::uint16_t peer_port) const {
        return static_cast<std::uint32_t>(hash('i', ip ^ peer, (std::uint32_t{port} << 16) | peer_port));
    }

  private:
    std::uint64_t hash(char tag, std::uint32_t a, std::uint32_t b) const {
        std::array<std::uint8_t, 9> m{};
        m[0] = static_cast<std::uint8_t>(tag);
        store_be32(m.data() + 1, a);
        store_be32(m.data() + 5, b);
        return ghostport::probes::siphash24(key_, m);
    }
    static double unit(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

    ghostport::probes::SipKey key_;
    std::uint32_t network_, mask_;
    double down_, open_, open_or_filtered_;
    std::uint32_t rtt_min_, rtt_span_;
    std::bitset<65536> always_open_;
};

std::string ip_text(std::uint32_t ip) {
    return Address::from_v4(ip).to_string();
}

int print_truth(const Config& c) {
    const Truth truth(c);
    const auto ports = parse_ports(c.truth_ports);
    static const char* const names[] = {"open", "closed", "filtered"};
    for (std::uint64_t ip = truth.first(); ip <= truth.last(); ++ip) {
        const auto h = truth.host(static_cast<std::uint32_t>(ip));
        const auto text = ip_text(static_cast<std::uint32_t>(ip));
        for (auto p : ports) {
            if (c.truth_all) {
                const char* state =
                    h.up ? names[static_cast<int>(truth.port(static_cast<std::uint32_t>(ip), p))] : "down";
                std::printf("%s:%u %s %u\n", text.c_str(), p, state, h.rtt_ms);
            } else if (h.up && truth.port(static_cast<std::uint32_t>(ip), p) == PortState::open) {
                std::printf("%s:%u\n", text.c_str(), p);
            }
        }
    }
    return std::fflush(stdout) == 0 ? 0 : 1;
}

// The loss draws: splitmix64 (Steele, Lea & Flood 2014) seeded from --seed.
class Loss {
  public:
    Loss(std::uint64_t seed, double pct) : state_(seed ^ 0x9E37'79B9'7F4A'7C15ull), p_(pct / 100) {}
    bool drop() {
        if (p_ <= 0) return false;
        std::uint64_t z = (state_ += 0x9E37'79B9'7F4A'7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBull;
        z ^= z >> 31;
        return static_cast<double>(z >> 11) * 0x1.0p-53 < p_;
    }

  private:
    std::uint64_t state_;
    double p_;
};

enum class Kind : std::uint8_t { syn_ack, rst_ack, echo_reply };

// One reply waiting for its host's RTT. Addresses in host byte order; `host` is the simulated host.
struct Pending {
    std::uint64_t due_ns;
    std::uint32_t host, peer;
    std::uint16_t host_port, peer_port;
    std::uint32_t peer_seq;
    Kind kind;
    std::uint8_t icmp_len;  // echo_reply: the request's ICMP message, type and checksum still the request's
    std::array<std::uint8_t, max_icmp_message> icmp;
};

struct Later {
    bool operator()(const Pending& a, const Pending& b) const { return a.due_ns > b.due_ns; }
};

struct Stats {
    std::uint64_t packets_in = 0, syns = 0, echo_requests = 0, to_down_hosts = 0, filtered = 0, ignored = 0;
    std::uint64_t dropped_in = 0, dropped_out = 0, queue_full = 0, replies_sent = 0, write_errors = 0;
    std::uint64_t syn_acks = 0, rsts = 0, echo_replies = 0;
};

volatile sig_atomic_t g_stop = 0;
void on_signal(int) {
    g_stop = 1;
}

std::uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

class Responder {
  public:
    Responder(const Config& c, int fd) : cfg_(c), truth_(c), loss_(c.seed, c.loss_pct), fd_(fd) {
        heap_.reserve(std::min<std::size_t>(c.queue_cap, 65536));
    }

    void run() {
        const std::uint64_t end = now_ns() + std::uint64_t{cfg_.seconds} * 1000000000ull;
        sigset_t blocked, during_poll;
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGINT);
        sigaddset(&blocked, SIGTERM);
        sigprocmask(SIG_BLOCK, &blocked, &during_poll);  // delivered only inside ppoll: no lost wake-up
        sigdelset(&during_poll, SIGINT);
        sigdelset(&during_poll, SIGTERM);
        while (!g_stop) {
            std::uint64_t now = now_ns();
            if (now >= end) break;
            while (!heap_.empty() && heap_.front().due_ns <= now) {
                std::pop_heap(heap_.begin(), heap_.end(), Later{});
                send(heap_.back());
                heap_.pop_back();
            }
            const std::uint64_t wake = heap_.empty() ? end : std::min(end, heap_.front().due_ns);
            const std::uint64_t wait = wake > now ? wake - now : 0;
            timespec ts{static_cast<time_t>(wait / 1000000000ull), static_cast<long>(wait % 1000000000ull)};
            pollfd pfd{fd_, POLLIN, 0};
            int r = ppoll(&pfd, 1, &ts, &during_poll);
            if (r < 0 && errno != EINTR)
                throw std::runtime_error(std::string("ppoll: ") + std::strerror(errno));
            if (r > 0 && (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)))
                throw std::runtime_error("the TUN device went away");
            if (r > 0) read_batch();
        }
    }

    const Stats& stats() const { return stats_; }

  private:
    // Reads until EAGAIN, or 512 packets so that due replies are not starved under a flood.
    void read_batch() {
        for (int i = 0; i < 512; ++i) {
            ssize_t n = read(fd_, buf_.data(), buf_.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) return;
                throw std::runtime_error(std::string("read: ") + std::strerror(errno));
            }
            ++stats_.packets_in;
            handle(std::span<const std::uint8_t>(buf_.data(), static_cast<std::size_t>(n)));
        }
    }

    void handle(std::span<const std::uint8_t> p) {
        if (p.size() < 20 || (p[0] >> 4) != 4) return ignore();
        const std::size_t ihl = (p[0] & 0x0F) * 4u, total = load_be16(&p[2]);
        if (ihl < 20 || total < ihl || total > p.size()) return ignore();
        if ((load_be16(&p[6]) & 0x3FFF) != 0) return ignore();  // a fragment (MF set or offset non-zero)
        const std::uint32_t src = load_be32(&p[12]), dst = load_be32(&p[16]);
        if (!truth_.contains(dst)) return ignore();
        const auto l4 = p.subspan(ihl, total - ihl);

        Pending e{};
        e.host = dst;
        e.peer = src;
        if (p[9] == protocol_tcp) {
            if (l4.size() < 20 || (l4[13] & (tcp_flag::syn | tcp_flag::ack | tcp_flag::rst)) != tcp_flag::syn)
                return ignore();
            ++stats_.syns;
            e.host_port = load_be16(&l4[2]);
            e.peer_port = load_be16(&l4[0]);
            e.peer_seq = load_be32(&l4[4]);
        } else if (p[9] == protocol_icmp) {
            if (l4.size() < 8 || l4[0] != icmp_echo_request || l4[1] != 0) return ignore();
            ++stats_.echo_requests;
            if (l4.size() > max_icmp_message) return ignore();
            e.kind = Kind::echo_reply;
            e.icmp_len = static_cast<std::uint8_t>(l4.size());
            std::copy(l4.begin(), l4.end(), e.icmp.begin());
        } else {
            return ignore();
        }

        const HostInfo h = truth_.host(dst);
        if (!h.up) {
            ++stats_.to_down_hosts;
            return;
        }
        if (e.kind != Kind::echo_reply) {
            const PortState s = truth_.port(dst, e.host_port);
            if (s == PortState::filtered) {
                ++stats_.filtered;
                return;
            }
            e.kind = s == PortState::open ? Kind::syn_ack : Kind::rst_ack;
        }
        if (loss_.drop()) {
            ++stats_.dropped_in;
            return;
        }
        if (heap_.size() >= cfg_.queue_cap) {
            ++stats_.queue_full;
            return;
        }
        e.due_ns = now_ns() + std::uint64_t{h.rtt_ms} * 1000000ull;
        heap_.push_back(e);
        std::push_heap(heap_.begin(), heap_.end(), Later{});
    }

    void ignore() { ++stats_.ignored; }

    void send(const Pending& e) {
        if (loss_.drop()) {
            ++stats_.dropped_out;
            return;
        }
        std::uint8_t* out = out_.data();
        std::size_t l4_len = 0;
        std::uint8_t protocol = protocol_tcp;
        std::uint8_t* l4 = out + 20;
        if (e.kind == Kind::echo_reply) {
            protocol = protocol_icmp;
            l4_len = e.icmp_len;
            std::memcpy(l4, e.icmp.data(), l4_len);
            l4[0] = icmp_echo_reply;
            store_be16(l4 + 2, 0);
            store_be16(l4 + 2,
                       ghostport::probes::internet_checksum(std::span<const std::uint8_t>(l4, l4_len)));
            ++stats_.echo_replies;
        } else {
            const bool open = e.kind == Kind::syn_ack;
            l4_len = open ? 24 : 20;
            store_be16(l4 + 0, e.host_port);
            store_be16(l4 + 2, e.peer_port);
            store_be32(l4 + 4, open ? truth_.isn(e.host, e.host_port, e.peer, e.peer_port) : 0);
            store_be32(l4 + 8, e.peer_seq + 1);
            l4[12] = static_cast<std::uint8_t>((l4_len / 4) << 4);
            l4[13] = open ? (tcp_flag::syn | tcp_flag::ack) : (tcp_flag::rst | tcp_flag::ack);
            store_be16(l4 + 14, open ? 64240 : 0);  // window
            store_be16(l4 + 16, 0);                 // checksum, below
            store_be16(l4 + 18, 0);                 // urgent pointer
            if (open) {
                l4[20] = 2;  // maximum segment size
                l4[21] = 4;
                store_be16(l4 + 22, 1460);
            }
            const std::uint16_t pseudo =
                ghostport::probes::pseudo_header_sum(Address::from_v4(e.host), Address::from_v4(e.peer),
                                                     protocol_tcp, static_cast<std::uint32_t>(l4_len));
            store_be16(l4 + 16, ghostport::probes::internet_checksum(
                                    std::span<const std::uint8_t>(l4, l4_len), pseudo));
            ++(open ? stats_.syn_acks : stats_.rsts);
        }
        const std::size_t total = 20 + l4_len;
        out[0] = 0x45;  // version 4, IHL 5
        out[1] = 0;
        store_be16(out + 2, static_cast<std::uint16_t>(total));
        store_be16(out + 4, 0);       // IP ID: 0 with DF, as Linux does
        store_be16(out + 6, 0x4000);  // DF, offset 0
        out[8] = 64;                  // TTL
        out[9] = protocol;
        store_be16(out + 10, 0);
        store_be32(out + 12, e.host);
        store_be32(out + 16, e.peer);
        store_be16(out + 10, ghostport::probes::internet_checksum(std::span<const std::uint8_t>(out, 20)));
        if (write(fd_, out, total) == static_cast<ssize_t>(total))
            ++stats_.replies_sent;
        else
            ++stats_.write_errors;
    }

    const Config& cfg_;
    Truth truth_;
    Loss loss_;
    int fd_;
    std::vector<Pending> heap_;
    Stats stats_;
    std::array<std::uint8_t, 65536> buf_{};
    std::array<std::uint8_t, 20 + max_icmp_message> out_{};
};

int attach(const std::string& dev) {
    if (dev.size() >= IFNAMSIZ) throw UsageError("device name '" + dev + "' is too long");
    // TUNSETIFF would create a missing device: attach only to one that exists (lab.sh latency made it).
    if (if_nametoindex(dev.c_str()) == 0)
        throw std::runtime_error("no device " + dev +
                                 " in this namespace (lab.sh latency NAME DEV makes it)");
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(std::string("/dev/net/tun: ") + std::strerror(errno));
    ifreq ifr{};
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    std::memcpy(ifr.ifr_name, dev.data(), dev.size());
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        int err = errno;
        close(fd);
        throw std::runtime_error("cannot attach to TUN device " + dev + ": " + std::strerror(err));
    }
    return fd;
}

void print_stats(const Stats& s) {
    std::fprintf(
        stderr,
        "gp_responder: packets in %llu, SYNs %llu, echo requests %llu, to down hosts %llu, "
        "filtered %llu, ignored %llu; replies sent %llu (SYN-ACK %llu, RST %llu, echo %llu); "
        "dropped by loss %llu in + %llu out; queue full %llu; write errors %llu\n",
        static_cast<unsigned long long>(s.packets_in), static_cast<unsigned long long>(s.syns),
        static_cast<unsigned long long>(s.echo_requests), static_cast<unsigned long long>(s.to_down_hosts),
        static_cast<unsigned long long>(s.filtered), static_cast<unsigned long long>(s.ignored),
        static_cast<unsigned long long>(s.replies_sent), static_cast<unsigned long long>(s.syn_acks),
        static_cast<unsigned long long>(s.rsts), static_cast<unsigned long long>(s.echo_replies),
        static_cast<unsigned long long>(s.dropped_in), static_cast<unsigned long long>(s.dropped_out),
        static_cast<unsigned long long>(s.queue_full), static_cast<unsigned long long>(s.write_errors));
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Config cfg = parse_args(argc, argv);
        if (!cfg.truth_ports.empty()) return print_truth(cfg);
        const int fd = attach(cfg.dev);
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, nullptr);
        sigaction(SIGTERM, &sa, nullptr);
        auto responder = std::make_unique<Responder>(cfg, fd);  // 64 KiB read buffer: not on the stack
        std::printf("ready\n");
        std::fflush(stdout);
        responder->run();
        print_stats(responder->stats());
        close(fd);
        return 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "gp_responder: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gp_responder: %s\n", e.what());
        return 1;
    }
}
