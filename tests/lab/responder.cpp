// SPDX-License-Identifier: GPL-2.0-or-later
// gp_responder: many remote hosts in 198.18.0.0/15 (and optionally 2001:2:0:ff::/64) behind a TUN device, for
// the namespace lab. It answers TCP SYNs (and ICMP echo requests) after a per-host RTT, per a seeded truth
// table, with optional random loss, because this kernel has no netem. With --hostile it also plays a
// malicious peer (see below). It prints "ready" once attached and exits after --seconds.
//
//   gp_responder --dev DEV [options]       attach to the persistent TUN device DEV (IFF_TUN|IFF_NO_PI;
//                                          `lab.sh latency NAME DEV` makes one) and answer until --seconds
//   gp_responder --truth PORTS [options]   print every open HOST:PORT among PORTS, one a line, and exit
//   gp_responder --truth-all PORTS [...]   print "HOST:PORT STATE RTT_MS" for every pair (STATE is open,
//                                          closed, filtered or down) and exit; IPv4 hosts first, then IPv6
//                                          ones (written as the reports write them: 2001:2:0:ff::5:80)
//
// Options (the truth options must be the same for --dev and --truth to agree):
//   --seed N            seed of the truth table, the RTTs and the loss draws (default 1)
//   --hosts CIDR        the simulated hosts, inside 198.18.0.0/15 (default 198.19.0.0/24; the lab's
//                       veth keeps 198.18.0.0/23, so those never reach the device); every address of
//                       the block is a host, network and broadcast addresses included
//   --hosts6 CIDR       simulated IPv6 hosts too, inside 2001:2:0:ff::/64 with a prefix of /112 or longer
//                       (default none); every address of the block is a host
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
//   --hostile           also send hostile traffic toward the scanner (below); the truth stays the same
//   --hostile-pps N     at most N targeted hostile packets a second, and N/2 flood packets (default 6000)
//   --v6-ext-replies    wrap every IPv6 TCP reply in a hop-by-hop and a destination options header (valid
//                       RFC 8200 chains that a scanner must still understand)
// PORTS is a list like "1-1000" or "22,80,8000-8100".
//
// Hostile mode (--hostile). A scanner must report exactly the truth despite it:
// - Targeted: on every SYN, before the truthful reply (which waits for the RTT), three packets drawn from a
//   list of variants by a hash of the SYN. Ports that are not open (closed, filtered, down hosts) get
//   SYN-ACKs, open ports RST+ACKs, and each variant is either well formed with a wrong ack (their seq + 2,
//   random, 0; or bad TCP option lengths 0, 1 or running past the header), or carries the right ack
//   (their seq + 1) in a frame that must be rejected: truncated IP header, IHL < 5 or past the packet,
//   total / payload length past the frame or cutting the TCP header, jumbogram payload length 0, TCP data
//   offset < 5 or past the segment, IPv4 fragments (MF, or an offset), SYN+RST+ACK, RST or SYN without ACK,
//   IPv6 chains that are too long (9 destination options), hop-by-hop not first, a header length past the
//   payload, a chain with no upper layer ("looping" destination options to the end), AH, ESP or no-next-
//   header in the chain, non-atomic IPv6 fragments; and ICMP / ICMPv6 errors that quote the probe with its
//   right sequence number but must not count: a quote cut before the sequence number, quoted IHL < 5 or past
//   the quote, a quoted fragment, a quoted UDP packet or IPv6 extension header, time-exceeded instead of
//   unreachable, an ICMP message shorter than its header, a non-atomic fragment around the ICMPv6 error;
//   and an unreachable with the wrong sequence number. A scanner that accepts one of these reports a closed,
//   filtered or down port open, an open port closed, or a port filtered by "unreachable".
// - Valid but unusual, which must still be understood: a third of the truthful replies are followed by bytes
//   past the IP packet (as Ethernet padding is), the IPv4 ones among them also carrying IP options (IHL 7),
//   and another third carry long TCP options (data offset 15, or 6 for a RST); IPv6 filtered ports of live
//   hosts answer an ICMPv6 port unreachable behind an atomic fragment header (RFC 6946) instead of nothing;
//   and the IPv6 replies of the "IP options" third travel behind hop-by-hop and destination options headers
//   instead (at their due time: an early truthful copy would teach the scanner a round trip of microseconds
//   for a host that really answers in tens of milliseconds, and its slower ports would read filtered, which
//   only shows that a target decides what it reveals). Early copies behind a valid chain (hop-by-hop,
//   destination options, atomic fragment) carry a wrong ack.
// - Flood: from the first SYN on, unsolicited SYN-ACKs, RST+ACKs and RSTs from random hosts and ports of the
//   blocks with random seq and ack, ICMP unreachables quoting random probes, and random junk frames (version
//   nibble 4 or 6, 1-160 bytes), to the scanner's address on its source ports seen so far or random ports.
// - Bounded: token buckets cap the rate (--hostile-pps), --seconds the count; nothing is kept per packet.
//   The hostile counters (and the variants used out of all) are printed at exit.
//
// Design notes
// - The truth is a pure function: a host is down when SipHash(seed; "host", host) mapped to [0,1) is below
//   down-pct, and its RTT is min + SipHash(seed; "rtt", host) mod (max - min + 1); a port of a live host is
//   open below open-pct, filtered below open-pct + filtered-pct, and closed above, on SipHash(seed; "port",
//   host, port). An IPv6 host is hashed with its 16 bytes instead of 4. --truth and the device mode call the
//   same functions.
// - On the device only a TCP segment with SYN set and ACK clear (IPv4, or IPv6 with TCP as its first next
//   header), or an IPv4 ICMP echo request, addressed to a host of the blocks gets an answer: SYN-ACK (ISN a
//   keyed hash of the 4-tuple, ack = their seq + 1, MSS option) for open, RST+ACK (seq 0, ack = their
//   seq + 1) for closed. Everything else is ignored: the scanner's ACKs and RSTs, fragments, IPv6 extension
//   headers, ICMPv6, other protocols.
// - Replies wait in a min-heap by due time drained by a ppoll() loop whose timeout is the next due time (no
//   busy-waiting; in hostile mode also the next 2 ms flood tick). The fd is non-blocking and read in batches
//   until EAGAIN; nothing is allocated per packet beyond the heap's amortised growth, which --queue bounds.
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
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
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
using ghostport::core::Family;
using ghostport::probes::detail::load_be16;
using ghostport::probes::detail::load_be32;
using ghostport::probes::detail::store_be16;
using ghostport::probes::detail::store_be32;
namespace tcp_flag = ghostport::probes::tcp_flag;
using Bytes = std::span<const std::uint8_t>;

constexpr std::uint8_t protocol_icmp = 1, protocol_tcp = 6, protocol_udp = 17, protocol_icmpv6 = 58;
constexpr std::uint8_t next_hop_by_hop = 0, next_routing = 43, next_fragment = 44, next_esp = 50,
                       next_ah = 51, next_none = 59, next_destination_options = 60;
constexpr std::uint8_t icmp_echo_reply = 0, icmp_unreachable = 3, icmp_echo_request = 8,
                       icmp_time_exceeded = 11;
constexpr std::uint8_t icmpv6_unreachable = 1, icmpv6_time_exceeded = 3;
constexpr std::uint8_t icmp_port_unreachable = 3, icmpv6_port_unreachable = 4;
constexpr std::size_t max_icmp_message = 64;          // 8-byte header + ping's default 56-byte payload
constexpr std::uint32_t lab_block = 0xC6120000u;      // 198.18.0.0/15, the benchmarking range
constexpr std::uint32_t default_block = 0xC6130000u;  // 198.19.0.0/24 unless --hosts says
constexpr std::array<std::uint8_t, 8> lab_block6 = {0x20, 0x01, 0x00, 0x02,
                                                    0x00, 0x00, 0x00, 0xff};  // 2001:2:0:ff::/64

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Config {
    std::string dev;
    std::uint64_t seed = 1;
    std::uint32_t network = default_block;  // host byte order
    unsigned prefix = 24;
    Address network6{};    // the IPv6 block, when prefix6 is not 0
    unsigned prefix6 = 0;  // 0: no IPv6 hosts; else 112..128
    double down_pct = 10, open_pct = 0.1, filtered_pct = 0.1, closed_pct = -1;  // -1: the remainder
    std::bitset<65536> always_open;
    std::uint32_t rtt_min_ms = 20, rtt_max_ms = 200;
    double loss_pct = 0;
    unsigned seconds = 60;
    std::size_t queue_cap = 1000000;
    std::string truth_ports;
    bool truth_all = false;
    bool hostile = false;
    std::uint32_t hostile_pps = 6000;
    bool v6_ext_replies = false;
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
    if (c.prefix < 15 || (c.network & 0xFFFE0000u) != lab_block)
        throw UsageError("--hosts must lie inside 198.18.0.0/15");
}

void parse_hosts6(std::string_view spec, Config& c) {
    auto slash = spec.find('/');
    auto base = Address::parse(spec.substr(0, slash));
    if (!base || base->is_v4()) throw UsageError("bad --hosts6 '" + std::string(spec) + "'");
    c.prefix6 = slash == std::string_view::npos
                    ? 128
                    : static_cast<unsigned>(parse_uint(spec.substr(slash + 1), 128, "--hosts6 prefix"));
    if (c.prefix6 < 112 || !std::equal(lab_block6.begin(), lab_block6.end(), base->bytes.begin()))
        throw UsageError("--hosts6 must lie inside 2001:2:0:ff::/64, with a prefix of /112 or longer");
    c.network6 = *base;
    const auto mask = static_cast<std::uint16_t>(0xFFFFu << (128 - c.prefix6));
    store_be16(&c.network6.bytes[14], static_cast<std::uint16_t>(load_be16(&c.network6.bytes[14]) & mask));
}

Config parse_args(int argc, char** argv) {
    Config c;
    c.always_open.set(22);
    c.always_open.set(80);
    bool closed_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--hostile") {
            c.hostile = true;
            continue;
        }
        if (a == "--v6-ext-replies") {
            c.v6_ext_replies = true;
            continue;
        }
        if (i + 1 >= argc) throw UsageError("option " + std::string(a) + " needs a value");
        std::string_view v = argv[++i];
        if (a == "--dev")
            c.dev = v;
        else if (a == "--seed")
            c.seed = parse_uint(v, UINT64_MAX, "--seed");
        else if (a == "--hosts")
            parse_hosts(v, c);
        else if (a == "--hosts6")
            parse_hosts6(v, c);
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
        else if (a == "--hostile-pps")
            c.hostile_pps = static_cast<std::uint32_t>(parse_uint(v, 1000000, "--hostile-pps"));
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

// The truth table: pure functions of (seed, host) and (seed, host, port), for the IPv4 and IPv6 blocks.
class Truth {
  public:
    explicit Truth(const Config& c)
        : key_{c.seed, c.seed ^ 0x6768'6f73'7470'6f72ull},
          network_(c.network),
          mask_(c.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - c.prefix)),
          network6_(c.network6),
          prefix6_(c.prefix6),
          mask6_(static_cast<std::uint16_t>(0xFFFFu << (128 - std::max(c.prefix6, 112u)))),
          down_(c.down_pct / 100),
          open_(c.open_pct / 100),
          open_or_filtered_((c.open_pct + c.filtered_pct) / 100),
          rtt_min_(c.rtt_min_ms),
          rtt_span_(c.rtt_max_ms - c.rtt_min_ms + 1),
          always_open_(c.always_open) {}

    bool contains(const Address& ip) const {
        if (ip.is_v4()) return (ip.v4() & mask_) == network_;
        return prefix6_ != 0 &&
               std::equal(ip.bytes.begin(), ip.bytes.begin() + 14, network6_.bytes.begin()) &&
               (load_be16(&ip.bytes[14]) & mask6_) == load_be16(&network6_.bytes[14]);
    }
    std::uint64_t v4_count() const { return std::uint64_t{~mask_} + 1; }
    std::uint64_t v6_count() const { return prefix6_ == 0 ? 0 : std::uint64_t{1} << (128 - prefix6_); }
    Address v4_host(std::uint64_t i) const {
        return Address::from_v4(network_ + static_cast<std::uint32_t>(i));
    }
    Address v6_host(std::uint64_t i) const {
        Address a = network6_;
        store_be16(&a.bytes[14], static_cast<std::uint16_t>(load_be16(&a.bytes[14]) + i));
        return a;
    }

    HostInfo host(const Address& ip) const {
        HostInfo h;
        h.up = unit(hash('h', ip, 0)) >= down_;
        h.rtt_ms = rtt_min_ + static_cast<std::uint32_t>(hash('r', ip, 0) % rtt_span_);
        return h;
    }

    // The state of `port` on a live host.
    PortState port(const Address& ip, std::uint16_t port) const {
        if (always_open_.test(port)) return PortState::open;
        const double u = unit(hash('p', ip, port));
        return u < open_ ? PortState::open : u < open_or_filtered_ ? PortState::filtered : PortState::closed;
    }

    // The SYN-ACK's initial sequence number for the connection from peer:peer_port to ip:port.
    std::uint32_t isn(const Address& ip, std::uint16_t port, const Address& peer,
                      std::uint16_t peer_port) const {
        Address x = ip;
        for (std::size_t i = 0; i < x.bytes.size(); ++i) x.bytes[i] ^= peer.bytes[i];
        return static_cast<std::uint32_t>(hash('i', x, (std::uint32_t{port} << 16) | peer_port));
    }

    // SipHash(seed; tag, address, b): an IPv4 address as 4 bytes (the original table), IPv6 as 16.
    std::uint64_t hash(char tag, const Address& ip, std::uint32_t b) const {
        std::array<std::uint8_t, 21> m{};
        m[0] = static_cast<std::uint8_t>(tag);
        std::size_t n = 1;
        if (ip.is_v4()) {
            store_be32(m.data() + n, ip.v4());
            n += 4;
        } else {
            std::copy(ip.bytes.begin(), ip.bytes.end(), m.begin() + 1);
            n += 16;
        }
        store_be32(m.data() + n, b);
        return ghostport::probes::siphash24(key_, std::span<const std::uint8_t>(m.data(), n + 4));
    }

  private:
    static double unit(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

    ghostport::probes::SipKey key_;
    std::uint32_t network_, mask_;
    Address network6_;
    unsigned prefix6_;
    std::uint16_t mask6_;
    double down_, open_, open_or_filtered_;
    std::uint32_t rtt_min_, rtt_span_;
    std::bitset<65536> always_open_;
};

int print_truth(const Config& c) {
    const Truth truth(c);
    const auto ports = parse_ports(c.truth_ports);
    static const char* const names[] = {"open", "closed", "filtered"};
    auto print_host = [&](const Address& ip) {
        const auto h = truth.host(ip);
        const auto text = ip.to_string();
        for (auto p : ports) {
            if (c.truth_all) {
                const char* state = h.up ? names[static_cast<int>(truth.port(ip, p))] : "down";
                std::printf("%s:%u %s %u\n", text.c_str(), p, state, h.rtt_ms);
            } else if (h.up && truth.port(ip, p) == PortState::open) {
                std::printf("%s:%u\n", text.c_str(), p);
            }
        }
    };
    for (std::uint64_t i = 0; i < truth.v4_count(); ++i) print_host(truth.v4_host(i));
    for (std::uint64_t i = 0; i < truth.v6_count(); ++i) print_host(truth.v6_host(i));
    return std::fflush(stdout) == 0 ? 0 : 1;
}

// splitmix64 (Steele, Lea & Flood 2014).
class SplitMix {
  public:
    explicit SplitMix(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E37'79B9'7F4A'7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBull;
        return z ^ (z >> 31);
    }

  private:
    std::uint64_t state_;
};

// The loss draws, seeded from --seed.
class Loss {
  public:
    Loss(std::uint64_t seed, double pct) : rng_(seed ^ 0x9E37'79B9'7F4A'7C15ull), p_(pct / 100) {}
    bool drop() {
        if (p_ <= 0) return false;
        return static_cast<double>(rng_.next() >> 11) * 0x1.0p-53 < p_;
    }

  private:
    SplitMix rng_;
    double p_;
};

// A token bucket: `rate` a second, at most `cap` saved up.
class Bucket {
  public:
    Bucket(double rate, double cap) : rate_(rate), cap_(cap), tokens_(cap) {}
    bool take(std::uint64_t now_ns) {
        if (last_ns_ != 0)
            tokens_ = std::min(cap_, tokens_ + rate_ * static_cast<double>(now_ns - last_ns_) / 1e9);
        last_ns_ = now_ns;
        if (tokens_ < 1) return false;
        tokens_ -= 1;
        return true;
    }

  private:
    double rate_, cap_, tokens_;
    std::uint64_t last_ns_ = 0;
};

// ---- Writing packets
// ---------------------------------------------------------------------------------------

// A TCP header to write; `options` is a multiple of 4 bytes, at most 40.
struct TcpFields {
    std::uint16_t sport = 0, dport = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    Bytes options;
};

// Writes the segment at `out` with its checksum for src -> dst; returns its length.
std::size_t write_tcp(std::uint8_t* out, const TcpFields& t, const Address& src, const Address& dst) {
    const std::size_t len = 20 + t.options.size();
    store_be16(out + 0, t.sport);
    store_be16(out + 2, t.dport);
    store_be32(out + 4, t.seq);
    store_be32(out + 8, t.ack);
    out[12] = static_cast<std::uint8_t>((len / 4) << 4);
    out[13] = t.flags;
    store_be16(out + 14, t.window);
    store_be16(out + 16, 0);  // checksum, below
    store_be16(out + 18, 0);  // urgent pointer
    std::copy(t.options.begin(), t.options.end(), out + 20);
    const std::uint16_t pseudo =
        ghostport::probes::pseudo_header_sum(src, dst, protocol_tcp, static_cast<std::uint32_t>(len));
    store_be16(out + 16, ghostport::probes::internet_checksum(Bytes(out, len), pseudo));
    return len;
}

// Writes an ICMP (IPv4) or ICMPv6 error quoting `quote`, from src to dst; returns its length.
std::size_t write_icmp_error(std::uint8_t* out, std::uint8_t type, std::uint8_t code, Bytes quote,
                             const Address& src, const Address& dst) {
    const std::size_t len = 8 + quote.size();
    out[0] = type;
    out[1] = code;
    store_be16(out + 2, 0);
    store_be32(out + 4, 0);  // unused
    std::copy(quote.begin(), quote.end(), out + 8);
    const std::uint16_t initial = src.is_v4()
                                      ? 0
                                      : ghostport::probes::pseudo_header_sum(src, dst, protocol_icmpv6,
                                                                             static_cast<std::uint32_t>(len));
    store_be16(out + 2, ghostport::probes::internet_checksum(Bytes(out, len), initial));
    return len;
}

// An IPv6 extension header to write: hop-by-hop or destination options ((units + 1) * 8 bytes, PadN), routing
// (type 253, segments left 0: 8 bytes), fragment (8 bytes; `fragment` = offset << 3 | M), or an opaque AH or
// ESP (16 bytes).
struct Ext {
    std::uint8_t type = next_destination_options;
    std::uint8_t units = 0;
    std::uint16_t fragment = 0;
};

std::size_t ext_length(const Ext& e) {
    switch (e.type) {
        case next_hop_by_hop:
        case next_destination_options:
            return (std::size_t{e.units} + 1) * 8;
        case next_routing:
        case next_fragment:
            return 8;
        default:
            return 16;
    }
}

// Writes an IPv4 packet around `message` with `options` (a multiple of 4 bytes) and the flags/fragment field
// `fragment` (DF by default, as Linux sends); returns its length.
std::size_t write_ipv4(std::uint8_t* out, const Address& src, const Address& dst, std::uint8_t protocol,
                       Bytes options, Bytes message, std::uint16_t fragment = 0x4000) {
    const std::size_t header = 20 + options.size(), total = header + message.size();
    out[0] = static_cast<std::uint8_t>(0x40 | (header / 4));
    out[1] = 0;
    store_be16(out + 2, static_cast<std::uint16_t>(total));
    store_be16(out + 4, 0);  // IP ID: 0 with DF, as Linux does
    store_be16(out + 6, fragment);
    out[8] = 64;  // TTL
    out[9] = protocol;
    store_be16(out + 10, 0);
    store_be32(out + 12, src.v4());
    store_be32(out + 16, dst.v4());
    std::copy(options.begin(), options.end(), out + 20);
    store_be16(out + 10, ghostport::probes::internet_checksum(Bytes(out, header)));
    std::copy(message.begin(), message.end(), out + header);
    return total;
}

// Writes an IPv6 packet with the extension headers `chain` (the last one naming `protocol`) around `message`;
// returns its length.
std::size_t write_ipv6(std::uint8_t* out, const Address& src, const Address& dst, std::uint8_t protocol,
                       std::span<const Ext> chain, Bytes message) {
    out[0] = 0x60;
    out[1] = out[2] = out[3] = 0;
    out[7] = 64;  // hop limit
    std::copy(src.bytes.begin(), src.bytes.end(), out + 8);
    std::copy(dst.bytes.begin(), dst.bytes.end(), out + 24);
    std::uint8_t* next = out + 6;
    std::uint8_t* h = out + 40;
    for (const Ext& e : chain) {
        *next = e.type;
        const std::size_t len = ext_length(e);
        std::memset(h, 0, len);
        if (e.type == next_hop_by_hop || e.type == next_destination_options) {
            h[1] = e.units;
            h[2] = 1;  // PadN over the rest
            h[3] = static_cast<std::uint8_t>(len - 4);
        } else if (e.type == next_routing) {
            h[2] = 253;  // routing type: experimental; segments left 0
        } else if (e.type == next_fragment) {
            store_be16(h + 2, e.fragment);
            store_be32(h + 4, 0x6770'0001);  // identification
        } else if (e.type == next_ah) {
            h[1] = static_cast<std::uint8_t>(len / 4 - 2);
        }
        next =
            h;  // every header starts with its Next Header (ESP's SPI takes it: no matter, it ends the walk)
        h += len;
    }
    *next = protocol;
    std::copy(message.begin(), message.end(), h);
    const std::size_t payload = static_cast<std::size_t>(h - (out + 40)) + message.size();
    store_be16(out + 4, static_cast<std::uint16_t>(payload));
    return 40 + payload;
}

// An IPv4 packet with `v4_options`, or an IPv6 one behind `chain`, as src's family says.
std::size_t write_ip(std::uint8_t* out, const Address& src, const Address& dst, std::uint8_t protocol,
                     Bytes v4_options, std::span<const Ext> chain, Bytes message) {
    return src.is_v4() ? write_ipv4(out, src, dst, protocol, v4_options, message)
                       : write_ipv6(out, src, dst, protocol, chain, message);
}

// One SYN from the scanner: `peer` is the scanner, `host` the simulated host. Host byte order ports.
struct Probe {
    Address host, peer;
    std::uint16_t host_port = 0, peer_port = 0;
    std::uint32_t peer_seq = 0;
};

// The probe as the scanner sent it, as an ICMP error quotes it: IP header (behind `chain` for IPv6) and the
// whole TCP header, with sequence number `seq`; returns its length.
std::size_t write_probe(std::uint8_t* out, const Probe& p, std::uint32_t seq,
                        std::span<const Ext> chain = {}) {
    std::array<std::uint8_t, 20> tcp{};
    write_tcp(tcp.data(), {p.peer_port, p.host_port, seq, 0, tcp_flag::syn, 1024, {}}, p.peer, p.host);
    return write_ip(out, p.peer, p.host, protocol_tcp, {}, chain, tcp);
}

// The TCP options of the truthful replies: a SYN-ACK's MSS; and the long, valid ones of hostile mode.
constexpr std::array<std::uint8_t, 4> mss_option = {2, 4, 0x05, 0xB4};  // MSS 1460
constexpr std::array<std::uint8_t, 40> long_syn_ack_options = {
    2,   4,  0x05, 0xB4,                          // MSS 1460
    1,   1,  4,    2,                             // NOP NOP SACK-permitted
    8,   10, 0,    0,    0, 1, 0, 0, 0, 0,        // timestamps
    1,   3,  3,    7,                             // NOP, window scale 7
    253, 18, 0,    0,    0, 0, 0, 0, 0, 0, 0, 0,  // an experimental option (RFC 6994), 18 bytes
    0,   0,  0,    0,    0, 0};
constexpr std::array<std::uint8_t, 4> short_rst_options = {1, 1, 1, 0};             // NOP NOP NOP EOL
constexpr std::array<std::uint8_t, 8> ipv4_nop_options = {1, 1, 1, 1, 1, 1, 1, 0};  // NOP x 7, EOL: IHL 7

// The hostile variants (see the header comment). Those before `ipv4_only` serve both families.
// clang-format off
enum class Variant : std::uint8_t {
    // Well formed, wrong ack; then bad TCP option lengths (0, 1, past the header), wrong ack.
    ack_plus_two, ack_random, ack_zero, option_length_zero, option_length_one, option_past_header,
    // The right ack: flags no answer has; a TCP data offset below 5 or past the segment; a truncated IP
    // header; an IP length past the frame or cutting the TCP header.
    syn_rst_ack, rst_without_ack, syn_without_ack, offset_below_five, offset_past_segment, truncated_ip,
    length_past_frame, length_cuts_tcp,
    // ICMP errors quoting the probe that must not count.
    icmp_quote_cut, icmp_time_exceeded, icmp_short, icmp_quote_udp, icmp_wrong_seq, icmp_garbage,
    // IPv4 only: IHL, fragments, quoted IHL and fragment.
    ipv4_only,
    ihl_below_five = ipv4_only, ihl_past_packet, fragment_more, fragment_offset, icmp_quote_ihl_below_five,
    icmp_quote_fragment, icmp_quote_ihl_past,
    // IPv6 only: payload length 0, bad chains, non-atomic fragments (around TCP or an ICMPv6 error), a
    // quoted chain; and valid_chain, the truthful answer behind a valid chain.
    ipv6_only,
    jumbogram = ipv6_only, chain_too_long, chain_hop_by_hop_late, chain_length_past_payload,
    chain_no_upper_layer, chain_ah, chain_esp, chain_no_next_header, fragment6_more, fragment6_offset,
    icmp6_fragment_more, icmp6_fragment_offset, icmp6_quote_chain, valid_chain,
    count
};
// clang-format on
constexpr std::size_t variant_count = static_cast<std::size_t>(Variant::count);
constexpr std::size_t common_variants = static_cast<std::size_t>(Variant::ipv4_only);
constexpr std::size_t v4_variants = static_cast<std::size_t>(Variant::ipv6_only);  // common + IPv4 only
constexpr std::size_t v6_variants = common_variants + (variant_count - v4_variants);

// The i-th variant of `family`'s list.
Variant variant_of(bool v4, std::size_t i) {
    if (v4 || i < common_variants) return static_cast<Variant>(i);
    return static_cast<Variant>(v4_variants + (i - common_variants));
}

// ---- The responder
// -----------------------------------------------------------------------------------------

enum class Kind : std::uint8_t { syn_ack, rst_ack, echo_reply, unreachable6 };

// One reply waiting for its host's RTT. `probe.host` is the simulated host.
struct Pending {
    std::uint64_t due_ns;
    Probe probe;
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
    std::uint64_t syn_acks = 0, rsts = 0, echo_replies = 0, unreachables = 0;
    std::uint64_t hostile_targeted = 0, hostile_flood = 0, hostile_capped = 0, hostile_refused = 0;
    std::bitset<variant_count> variants_v4, variants_v6;  // the variants sent at least once
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

constexpr std::uint64_t flood_tick_ns = 2'000'000;

class Responder {
  public:
    Responder(const Config& c, int fd)
        : cfg_(c),
          truth_(c),
          loss_(c.seed, c.loss_pct),
          rng_(c.seed ^ 0x686f'7374'696c'6521ull),
          targeted_(c.hostile_pps, c.hostile_pps / 10.0 + 3),
          flood_(c.hostile_pps / 2.0, c.hostile_pps / 20.0 + 1),
          fd_(fd) {
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
        std::uint64_t next_flood = 0;
        while (!g_stop) {
            std::uint64_t now = now_ns();
            if (now >= end) break;
            while (!heap_.empty() && heap_.front().due_ns <= now) {
                std::pop_heap(heap_.begin(), heap_.end(), Later{});
                send(heap_.back());
                heap_.pop_back();
            }
            const bool flooding = cfg_.hostile && (peer4_ || peer6_);
            if (flooding && now >= next_flood) {
                flood(now);
                next_flood = now + flood_tick_ns;
            }
            std::uint64_t wake = heap_.empty() ? end : std::min(end, heap_.front().due_ns);
            if (flooding) wake = std::min(wake, next_flood);
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
        if (p.empty()) return ignore();
        if ((p[0] >> 4) == 4) return handle_v4(p);
        if ((p[0] >> 4) == 6) return handle_v6(p);
        ignore();
    }

    void handle_v4(std::span<const std::uint8_t> p) {
        if (p.size() < 20) return ignore();
        const std::size_t ihl = (p[0] & 0x0F) * 4u, total = load_be16(&p[2]);
        if (ihl < 20 || total < ihl || total > p.size()) return ignore();
        if ((load_be16(&p[6]) & 0x3FFF) != 0) return ignore();  // a fragment (MF set or offset non-zero)
        const Address src = Address::from_v4(load_be32(&p[12])), dst = Address::from_v4(load_be32(&p[16]));
        if (!truth_.contains(dst)) return ignore();
        const auto l4 = p.subspan(ihl, total - ihl);
        if (p[9] == protocol_tcp) return handle_tcp(src, dst, l4);
        if (p[9] != protocol_icmp) return ignore();

        if (l4.size() < 8 || l4[0] != icmp_echo_request || l4[1] != 0) return ignore();
        ++stats_.echo_requests;
        if (l4.size() > max_icmp_message) return ignore();
        Pending e{};
        e.probe.host = dst;
        e.probe.peer = src;
        e.kind = Kind::echo_reply;
        e.icmp_len = static_cast<std::uint8_t>(l4.size());
        std::copy(l4.begin(), l4.end(), e.icmp.begin());
        const HostInfo h = truth_.host(dst);
        if (!h.up) {
            ++stats_.to_down_hosts;
            return;
        }
        schedule(e, h);
    }

    // IPv6: TCP directly behind the fixed header only (the scanner's probes carry no extension headers).
    void handle_v6(std::span<const std::uint8_t> p) {
        if (p.size() < 40) return ignore();
        const std::size_t payload = load_be16(&p[4]);
        if (payload == 0 || payload > p.size() - 40 || p[6] != protocol_tcp) return ignore();
        Address src, dst;
        src.family = dst.family = Family::v6;
        std::copy_n(&p[8], 16, src.bytes.begin());
        std::copy_n(&p[24], 16, dst.bytes.begin());
        if (!truth_.contains(dst)) return ignore();
        handle_tcp(src, dst, p.subspan(40, payload));
    }

    void handle_tcp(const Address& src, const Address& dst, std::span<const std::uint8_t> l4) {
        if (l4.size() < 20 || (l4[13] & (tcp_flag::syn | tcp_flag::ack | tcp_flag::rst)) != tcp_flag::syn)
            return ignore();
        ++stats_.syns;
        Pending e{};
        e.probe = {dst, src, load_be16(&l4[2]), load_be16(&l4[0]), load_be32(&l4[4])};
        const HostInfo h = truth_.host(dst);
        const PortState s = h.up ? truth_.port(dst, e.probe.host_port) : PortState::filtered;
        if (cfg_.hostile) hostile(e.probe, h.up, s);
        if (!h.up) {
            ++stats_.to_down_hosts;
            return;
        }
        if (s == PortState::filtered) {
            ++stats_.filtered;
            // Hostile mode: IPv6 filtered ports say so with an ICMPv6 error behind a valid chain.
            if (!(cfg_.hostile && !dst.is_v4())) return;
            e.kind = Kind::unreachable6;
        } else {
            e.kind = s == PortState::open ? Kind::syn_ack : Kind::rst_ack;
        }
        schedule(e, h);
    }

    void schedule(Pending& e, const HostInfo& h) {
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

    // The truthful reply.
    void send(const Pending& e) {
        if (loss_.drop()) {
            ++stats_.dropped_out;
            return;
        }
        const Probe& p = e.probe;
        std::size_t len = 0;
        if (e.kind == Kind::echo_reply) {
            std::memcpy(l4_.data(), e.icmp.data(), e.icmp_len);
            l4_[0] = icmp_echo_reply;
            store_be16(&l4_[2], 0);
            store_be16(&l4_[2], ghostport::probes::internet_checksum(Bytes(l4_.data(), e.icmp_len)));
            len = write_ipv4(out_.data(), p.host, p.peer, protocol_icmp, {}, Bytes(l4_.data(), e.icmp_len));
            ++stats_.echo_replies;
        } else if (e.kind == Kind::unreachable6) {
            const std::size_t quote = write_probe(quote_.data(), p, p.peer_seq);
            const std::size_t l4 = write_icmp_error(l4_.data(), icmpv6_unreachable, icmpv6_port_unreachable,
                                                    Bytes(quote_.data(), quote), p.host, p.peer);
            static constexpr Ext atomic_fragment[] = {{next_fragment, 0, 0}};
            len = write_ipv6(out_.data(), p.host, p.peer, protocol_icmpv6, atomic_fragment,
                             Bytes(l4_.data(), l4));
            ++stats_.unreachables;
        } else {
            const bool open = e.kind == Kind::syn_ack;
            // Hostile mode: a third of the IPv4 replies carry IP options and a third of all long TCP options;
            // those with IP options are followed by bytes past the IP packet (as Ethernet padding is).
            const auto form = cfg_.hostile ? truth_.hash('f', p.host, p.host_port) % 3 : 0;
            Bytes options = open ? Bytes(mss_option) : Bytes();
            if (form == 2) options = open ? Bytes(long_syn_ack_options) : Bytes(short_rst_options);
            const Bytes ip_options = form == 1 ? Bytes(ipv4_nop_options) : Bytes();
            static constexpr Ext hop_and_destination[] = {{next_hop_by_hop, 0, 0},
                                                          {next_destination_options, 1, 0}};
            const bool behind_chain = cfg_.v6_ext_replies || (form == 1 && !p.host.is_v4());
            const std::span<const Ext> chain =
                behind_chain ? std::span<const Ext>(hop_and_destination) : std::span<const Ext>();
            const TcpFields t{p.host_port,
                              p.peer_port,
                              open ? truth_.isn(p.host, p.host_port, p.peer, p.peer_port) : 0,
                              p.peer_seq + 1,
                              static_cast<std::uint8_t>(open ? (tcp_flag::syn | tcp_flag::ack)
                                                             : (tcp_flag::rst | tcp_flag::ack)),
                              static_cast<std::uint16_t>(open ? 64240 : 0),
                              options};
            const std::size_t l4 = write_tcp(l4_.data(), t, p.host, p.peer);
            len =
                write_ip(out_.data(), p.host, p.peer, protocol_tcp, ip_options, chain, Bytes(l4_.data(), l4));
            if (form == 1) {
                std::memset(out_.data() + len, 0xEE, 6);
                len += 6;
            }
            ++(open ? stats_.syn_acks : stats_.rsts);
        }
        if (write(fd_, out_.data(), len) == static_cast<ssize_t>(len))
            ++stats_.replies_sent;
        else
            ++stats_.write_errors;
    }

    // ---- Hostile mode ----

    std::uint32_t random32() { return static_cast<std::uint32_t>(rng_.next()); }

    // Three targeted variants for the SYN `p`, drawn by a hash of it; `s` is the port's truth (filtered for a
    // down host).
    void hostile(const Probe& p, bool up, PortState s) {
        if (p.peer.is_v4()) {
            peer4_ = true;
            scanner4_ = p.peer;
        } else {
            peer6_ = true;
            scanner6_ = p.peer;
        }
        sport_low_ = std::min(sport_low_, p.peer_port);
        sport_high_ = std::max(sport_high_, p.peer_port);
        const bool v4 = p.host.is_v4();
        const std::size_t n = v4 ? v4_variants : v6_variants;
        const std::uint64_t h =
            truth_.hash('v', p.host, p.peer_seq ^ (std::uint32_t{p.host_port} << 16 | p.peer_port));
        for (std::size_t k = 0; k < 3; ++k) {
            if (!targeted_.take(now_ns())) {
                ++stats_.hostile_capped;
                continue;
            }
            const Variant v = variant_of(v4, (h + k * 7) % n);
            const std::size_t len =
                build_variant(p, up && s == PortState::open, up && s == PortState::closed, v);
            if (len == 0) continue;
            (v4 ? stats_.variants_v4 : stats_.variants_v6).set(static_cast<std::size_t>(v));
            ++stats_.hostile_targeted;
            write_hostile(len);
        }
    }

    void write_hostile(std::size_t len) {
        if (write(fd_, out_.data(), len) != static_cast<ssize_t>(len)) ++stats_.hostile_refused;
    }

    // Writes variant `v` for probe `p` into out_; returns its length (0: nothing to send). An open port gets
    // a RST+ACK, any other a SYN-ACK, so that accepting the variant would change the port's state.
    std::size_t build_variant(const Probe& p, bool open, bool closed, Variant v) {
        const bool v4 = p.host.is_v4();
        const std::uint32_t right = p.peer_seq + 1;
        TcpFields t{p.host_port,
                    p.peer_port,
                    open ? 0 : truth_.isn(p.host, p.host_port, p.peer, p.peer_port),
                    right,
                    static_cast<std::uint8_t>(open ? (tcp_flag::rst | tcp_flag::ack)
                                                   : (tcp_flag::syn | tcp_flag::ack)),
                    static_cast<std::uint16_t>(open ? 0 : 64240),
                    {}};
        static constexpr std::uint8_t opt_zero[] = {2, 0, 0x05, 0xB4};               // MSS, length 0
        static constexpr std::uint8_t opt_one[] = {8, 1, 0, 0};                      // timestamps, length 1
        static constexpr std::uint8_t opt_past[] = {2, 4, 0x05, 0xB4, 8, 40, 0, 0};  // timestamps, 40 bytes
        static constexpr std::uint8_t opt_pad[] = {1, 1, 1, 0};
        static constexpr Ext too_long[9] = {};  // destination options
        static constexpr Ext no_upper_layer[6] = {};
        static constexpr Ext destination[] = {{next_destination_options, 0, 0}};
        static constexpr Ext hop_late[] = {{next_destination_options, 0, 0}, {next_hop_by_hop, 0, 0}};
        static constexpr Ext ah[] = {{next_routing, 0, 0}, {next_ah, 0, 0}};
        static constexpr Ext esp[] = {{next_esp, 0, 0}};
        static constexpr Ext more[] = {{next_fragment, 0, 1}};         // offset 0, M set
        static constexpr Ext offset[] = {{next_fragment, 0, 1 << 3}};  // offset 8 bytes, M clear
        static constexpr Ext valid[] = {
            {next_hop_by_hop, 0, 0}, {next_destination_options, 2, 0}, {next_fragment, 0, 0}};
        std::uint8_t protocol = protocol_tcp;
        std::span<const Ext> chain;
        std::uint16_t fragment = 0x4000;
        bool icmp = false;
        std::uint8_t icmp_type = v4 ? icmp_unreachable : icmpv6_unreachable;
        std::size_t quote_len = 0;
        switch (v) {
            case Variant::ack_plus_two:
                t.ack = p.peer_seq + 2;
                break;
            case Variant::ack_random:
                t.ack = right + 1 + random32() % 0xFFFF'FFFEu;
                break;
            case Variant::ack_zero:
                t.ack = right == 0 ? 1 : 0;
                break;
            case Variant::option_length_zero:
                t.ack = p.peer_seq + 2, t.options = opt_zero;
                break;
            case Variant::option_length_one:
                t.ack = right ^ 0x8000'0000u, t.options = opt_one;
                break;
            case Variant::option_past_header:
                t.ack = right == 0 ? 1 : 0, t.options = opt_past;
                break;
            case Variant::syn_rst_ack:
                t.flags = tcp_flag::syn | tcp_flag::rst | tcp_flag::ack;
                break;
            case Variant::rst_without_ack:
                t.flags = tcp_flag::rst, t.seq = right;
                break;
            case Variant::syn_without_ack:
                t.flags = tcp_flag::syn;
                break;
            case Variant::offset_past_segment:
                t.options = opt_pad;
                break;
            case Variant::fragment_more:
                fragment = 0x2000;
                break;
            case Variant::fragment_offset:
                fragment = 0x0003;
                break;
            case Variant::chain_too_long:
                chain = too_long;
                break;
            case Variant::chain_hop_by_hop_late:
                chain = hop_late;
                break;
            case Variant::chain_length_past_payload:
                chain = destination;
                break;
            case Variant::chain_no_upper_layer:
                chain = no_upper_layer, protocol = next_destination_options;
                break;
            case Variant::chain_ah:
                chain = ah;
                break;
            case Variant::chain_esp:
                chain = esp;
                break;
            case Variant::chain_no_next_header:
                chain = destination, protocol = next_none;
                break;
            case Variant::fragment6_more:
                chain = more;
                break;
            case Variant::fragment6_offset:
                chain = offset;
                break;
            case Variant::valid_chain:  // the truthful flags behind a valid chain, but a wrong ack
                if (!open && !closed) return 0;
                t.flags = open ? (tcp_flag::syn | tcp_flag::ack) : (tcp_flag::rst | tcp_flag::ack);
                t.seq = open ? truth_.isn(p.host, p.host_port, p.peer, p.peer_port) : 0;
                t.ack = p.peer_seq + 2;
                t.window = open ? 64240 : 0;
                if (open) t.options = mss_option;
                chain = valid;
                break;
            case Variant::icmp_quote_cut:
            case Variant::icmp_short:
            case Variant::icmp_quote_udp:
            case Variant::icmp_garbage:
            case Variant::icmp_quote_ihl_below_five:
            case Variant::icmp_quote_fragment:
                icmp = true, quote_len = write_probe(quote_.data(), p, p.peer_seq);
                break;
            case Variant::icmp_time_exceeded:
                icmp = true, quote_len = write_probe(quote_.data(), p, p.peer_seq);
                icmp_type = v4 ? icmp_time_exceeded : icmpv6_time_exceeded;
                break;
            case Variant::icmp_wrong_seq:
                icmp = true, quote_len = write_probe(quote_.data(), p, p.peer_seq + 1);
                break;
            case Variant::icmp_quote_ihl_past:
                icmp = true, quote_len = write_probe(quote_.data(), p, p.peer_seq);
                quote_[0] = 0x4F, quote_len = 28;  // says 60 bytes of header, quotes 20 + 8
                break;
            case Variant::icmp6_fragment_more:
                icmp = true, quote_len = write_probe(quote_.data(), p, p.peer_seq), chain = more;
                break;
            case Variant::icmp6_fragment_offset:
                icmp = true, quote_len = write_probe(quote_.data(), p, p.peer_seq), chain = offset;
                break;
            case Variant::icmp6_quote_chain:
                icmp = true, quote_len = write_probe(quote_.data(), p, p.peer_seq, destination);
                break;
            default:
                break;
        }
        std::size_t l4 = 0;
        if (icmp) {
            const std::size_t ip_header = v4 ? 20 : 40;
            switch (v) {
                case Variant::icmp_quote_cut:
                    quote_len = ip_header + 6;
                    break;  // ports, half the seq
                case Variant::icmp_quote_udp:
                    quote_[v4 ? 9 : 6] = protocol_udp;
                    break;
                case Variant::icmp_quote_ihl_below_five:
                    quote_[0] = 0x44;
                    break;
                case Variant::icmp_quote_fragment:
                    store_be16(&quote_[6], 0x0001);
                    break;
                case Variant::icmp_garbage:
                    for (std::size_t i = 1; i < quote_len; ++i)
                        quote_[i] = static_cast<std::uint8_t>(rng_.next());
                    break;
                default:
                    break;
            }
            protocol = v4 ? protocol_icmp : protocol_icmpv6;
            l4 = write_icmp_error(l4_.data(), icmp_type, v4 ? icmp_port_unreachable : icmpv6_port_unreachable,
                                  Bytes(quote_.data(), quote_len), p.host, p.peer);
            if (v == Variant::icmp_short) l4 = 6;
        } else if (protocol == next_destination_options) {
            l4 = 0;  // no upper layer at all
        } else {
            l4 = write_tcp(l4_.data(), t, p.host, p.peer);
        }
        const Bytes message(l4_.data(), l4);
        std::uint8_t* o = out_.data();
        std::size_t len = v4 ? write_ipv4(o, p.host, p.peer, protocol, {}, message, fragment)
                             : write_ipv6(o, p.host, p.peer, protocol, chain, message);
        const std::size_t ip_header = v4 ? 20 : 40;
        switch (v) {
            case Variant::offset_below_five:
                o[ip_header + 12] = 4 << 4;
                break;
            case Variant::offset_past_segment:
                o[ip_header + 12] = 15 << 4;
                break;
            case Variant::truncated_ip:
                len = v4 ? 14 : 30;
                break;
            case Variant::length_past_frame:
                store_be16(o + (v4 ? 2 : 4), static_cast<std::uint16_t>(load_be16(o + (v4 ? 2 : 4)) + 16));
                break;
            case Variant::length_cuts_tcp:
                store_be16(o + (v4 ? 2 : 4), v4 ? 20 + 12 : 12);
                break;
            case Variant::ihl_below_five:
                o[0] = 0x44;
                break;
            case Variant::ihl_past_packet:
                o[0] = 0x4F;
                break;  // 60 bytes of header in a 44-byte packet
            case Variant::jumbogram:
                store_be16(o + 4, 0);
                break;
            case Variant::chain_length_past_payload:
                o[41] = 200;
                break;
            default:
                break;
        }
        return len;
    }

    // Unsolicited packets at the flood rate: see the header comment.
    void flood(std::uint64_t now) {
        while (flood_.take(now)) {
            const std::uint64_t r = rng_.next();
            const bool v4 = peer4_ && (!peer6_ || (r & 1) != 0);
            const Address& scanner = v4 ? scanner4_ : scanner6_;
            const std::uint64_t hosts = v4 ? truth_.v4_count() : truth_.v6_count();
            const Address host =
                v4 ? truth_.v4_host(rng_.next() % hosts) : truth_.v6_host(rng_.next() % hosts);
            const auto sport = static_cast<std::uint16_t>(1 + rng_.next() % 65535);
            const auto dport = static_cast<std::uint16_t>(
                (r & 2) != 0 ? sport_low_ + rng_.next() % (sport_high_ - sport_low_ + 1u)
                             : 1 + rng_.next() % 65535);
            std::size_t len = 0;
            switch ((r >> 2) % 5) {
                case 0:
                case 1:
                case 2: {
                    static constexpr std::uint8_t flags[] = {tcp_flag::syn | tcp_flag::ack,
                                                             tcp_flag::rst | tcp_flag::ack, tcp_flag::rst};
                    const TcpFields t{sport, dport, random32(), random32(), flags[(r >> 2) % 5], 1024, {}};
                    const std::size_t l4 = write_tcp(l4_.data(), t, host, scanner);
                    len = write_ip(out_.data(), host, scanner, protocol_tcp, {}, {}, Bytes(l4_.data(), l4));
                    break;
                }
                case 3: {
                    const Probe fake{host, scanner, sport, dport, random32()};
                    const std::size_t quote = write_probe(quote_.data(), fake, fake.peer_seq);
                    const std::size_t l4 =
                        write_icmp_error(l4_.data(), v4 ? icmp_unreachable : icmpv6_unreachable,
                                         v4 ? icmp_port_unreachable : icmpv6_port_unreachable,
                                         Bytes(quote_.data(), quote), host, scanner);
                    len = write_ip(out_.data(), host, scanner, v4 ? protocol_icmp : protocol_icmpv6, {}, {},
                                   Bytes(l4_.data(), l4));
                    break;
                }
                default: {  // junk
                    len = 1 + rng_.next() % 160;
                    for (std::size_t i = 0; i < len; ++i) out_[i] = static_cast<std::uint8_t>(rng_.next());
                    out_[0] = static_cast<std::uint8_t>((v4 ? 0x40 : 0x60) | (out_[0] & 0x0F));
                    break;
                }
            }
            ++stats_.hostile_flood;
            write_hostile(len);
        }
    }

    const Config& cfg_;
    Truth truth_;
    Loss loss_;
    SplitMix rng_;
    Bucket targeted_, flood_;
    int fd_;
    std::vector<Pending> heap_;
    Stats stats_;
    bool peer4_ = false, peer6_ = false;  // a SYN from the scanner seen, so the flood knows where to go
    Address scanner4_, scanner6_;
    std::uint16_t sport_low_ = 65535, sport_high_ = 0;
    std::array<std::uint8_t, 65536> buf_{};
    std::array<std::uint8_t, 1024> out_{}, l4_{}, quote_{};
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

void print_stats(const Config& c, const Stats& s) {
    std::fprintf(
        stderr,
        "gp_responder: packets in %llu, SYNs %llu, echo requests %llu, to down hosts %llu, "
        "filtered %llu, ignored %llu; replies sent %llu (SYN-ACK %llu, RST %llu, echo %llu, unreachable "
        "%llu); "
        "dropped by loss %llu in + %llu out; queue full %llu; write errors %llu",
        static_cast<unsigned long long>(s.packets_in), static_cast<unsigned long long>(s.syns),
        static_cast<unsigned long long>(s.echo_requests), static_cast<unsigned long long>(s.to_down_hosts),
        static_cast<unsigned long long>(s.filtered), static_cast<unsigned long long>(s.ignored),
        static_cast<unsigned long long>(s.replies_sent), static_cast<unsigned long long>(s.syn_acks),
        static_cast<unsigned long long>(s.rsts), static_cast<unsigned long long>(s.echo_replies),
        static_cast<unsigned long long>(s.unreachables), static_cast<unsigned long long>(s.dropped_in),
        static_cast<unsigned long long>(s.dropped_out), static_cast<unsigned long long>(s.queue_full),
        static_cast<unsigned long long>(s.write_errors));
    if (c.hostile)
        std::fprintf(stderr,
                     "; hostile: targeted %llu, flood %llu, over the rate %llu, refused by the device %llu, "
                     "variants IPv4 %zu/%zu IPv6 %zu/%zu",
                     static_cast<unsigned long long>(s.hostile_targeted),
                     static_cast<unsigned long long>(s.hostile_flood),
                     static_cast<unsigned long long>(s.hostile_capped),
                     static_cast<unsigned long long>(s.hostile_refused), s.variants_v4.count(), v4_variants,
                     s.variants_v6.count(), v6_variants);
    std::fprintf(stderr, "\n");
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
        print_stats(cfg, responder->stats());
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
