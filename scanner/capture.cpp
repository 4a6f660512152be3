// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/capture.hpp"

#include <linux/if_packet.h>
#include <pcap/pcap.h>

#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

#include "core/errors.hpp"

namespace ghostport::scanner {

namespace {

pcap_t* as_pcap(void* h) {
    return static_cast<pcap_t*>(h);
}

std::int64_t ns_since_epoch(auto time_point) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time_point.time_since_epoch()).count();
}

// Turns the kernel's realtime capture stamps into steady_clock time: the offset between the clocks now.
struct ClockMap {
    std::int64_t steady_now = ns_since_epoch(std::chrono::steady_clock::now());
    std::int64_t offset = steady_now - ns_since_epoch(std::chrono::system_clock::now());
    std::uint64_t steady_of(std::int64_t realtime_ns) const {
        // Never later than now (a clock step between the two readings), never before the epoch.
        return static_cast<std::uint64_t>(std::clamp<std::int64_t>(realtime_ns + offset, 0, steady_now));
    }
};

std::int64_t realtime_ns_of(const pcap_pkthdr* header) {
    return static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000'000 +
           static_cast<std::int64_t>(header->ts.tv_usec) * 1000;
}

struct DispatchContext {
    Capture::FrameFn fn;
    void* context;
    ClockMap clocks;
};

void on_packet(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    auto* d = reinterpret_cast<DispatchContext*>(user);
    d->fn(d->context, std::span<const std::uint8_t>(bytes, header->caplen),
          d->clocks.steady_of(realtime_ns_of(header)));
}

}  // namespace

std::string reply_filter(std::uint16_t low, std::uint16_t high) {
    // libpcap's "tcp" and "icmp6" on IPv6 look at the fixed header's next header only: a reply behind
    // hop-by-hop, routing, fragment or destination options headers (0, 43, 44, 60) would never reach the
    // parser, which walks those chains (probes/ip_frame.hpp). Let such packets through; the parser decides.
    return fmt::format(
        "(tcp dst portrange {}-{}) or icmp or icmp6 or "
        "(ip6 and (ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 60))",
        low, high);
}

std::string udp_reply_filter(std::uint16_t port) {
    return fmt::format(
        "(udp dst port {}) or icmp or icmp6 or (ip6 and (ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or "
        "ip6[6] == 60))",
        port);
}

std::string discovery_filter(std::uint16_t sport, std::uint16_t icmp_id) {
    return fmt::format(
        "(tcp dst port {0}) or (icmp and (icmp[0] == 0 or icmp[0] == 14) and icmp[4:2] == {1}) or "
        "(icmp6 and icmp6[0] == 129 and icmp6[4:2] == {1})",
        sport, icmp_id);
}

Capture::Capture(const std::string& ifname, probes::LinkType link, int channel)
    : ifname_(ifname), fd_(channel), link_(link) {}

Capture::Capture(const std::string& ifname, const std::string& filter, int buffer_bytes, int snap_length)
    : ifname_(ifname), snap_length_(snap_length) {
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t* p = pcap_create(ifname.c_str(), err);
    if (!p) throw core::RuntimeError(fmt::format("cannot capture on {}: {}", ifname, err));
    handle_ = p;
    auto fail = [&](std::string_view what) {
        std::string reason = pcap_geterr(p);
        pcap_close(p);
        handle_ = nullptr;
        return core::RuntimeError(fmt::format("cannot capture on {}: {}: {}", ifname, what, reason));
    };
    pcap_set_snaplen(p, snap_length);
    pcap_set_promisc(p, 0);
    pcap_set_immediate_mode(p, 1);
    pcap_set_buffer_size(p, buffer_bytes);
    int rc = pcap_activate(p);
    if (rc < 0) {
        std::string reason = rc == PCAP_ERROR_PERM_DENIED ? "permission denied (needs root or CAP_NET_RAW)"
                                                          : pcap_statustostr(rc);
        if (rc == PCAP_ERROR) reason = pcap_geterr(p);
        pcap_close(p);
        handle_ = nullptr;
        throw core::RuntimeError(fmt::format("cannot capture on {}: {}", ifname, reason));
    }
    if (pcap_setdirection(p, PCAP_D_IN) != 0) throw fail("inbound-only capture");
    // libpcap skips this machine's own packets only once the kernel has copied them into the ring: every
    // probe, at a cost in system time that a fast scan pays per packet. The kernel can leave them out
    // (Linux 4.20+); where it refuses, the check above still skips them.
    const int one = 1;
    (void)::setsockopt(pcap_fileno(p), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    bpf_program program{};
    if (pcap_compile(p, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) throw fail("filter");
    rc = pcap_setfilter(p, &program);
    pcap_freecode(&program);
    if (rc != 0) throw fail("filter");
    if (pcap_setnonblock(p, 1, err) != 0) throw fail("non-blocking mode");
    fd_ = pcap_get_selectable_fd(p);
    const int dlt = pcap_datalink(p);
    auto link = probes::link_type_from_dlt(dlt);
    if (!link || fd_ < 0) {
        pcap_close(p);
        handle_ = nullptr;
        throw core::RuntimeError(fmt::format("cannot capture on {}: unsupported link type {}", ifname, dlt));
    }
    link_ = *link;
}

Capture::~Capture() {
    if (handle_)
        pcap_close(as_pcap(handle_));
    else if (fd_ >= 0)
        ::close(fd_);
}

int Capture::dispatch(FrameFn fn, void* context, int max) {
    if (handle_) {
        DispatchContext d{fn, context, {}};
        int n = pcap_dispatch(as_pcap(handle_), max, on_packet, reinterpret_cast<u_char*>(&d));
        return n < 0 ? 0 : n;
    }
    // Relayed: whole messages until the channel is empty or `max` frames were handed on.
    alignas(8) static thread_local std::array<std::uint8_t, max_message> buffer;
    int frames = 0;
    while (frames < max) {
        const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (got < static_cast<ssize_t>(sizeof(std::uint64_t))) break;  // empty (EAGAIN), closed, or short
        std::uint64_t dropped = 0;
        std::memcpy(&dropped, buffer.data(), sizeof dropped);
        relay_dropped_ = std::max(relay_dropped_, dropped);
        std::size_t at = sizeof dropped;
        const auto end = static_cast<std::size_t>(got);
        const ClockMap clocks;
        while (at + 10 <= end) {
            std::int64_t stamp = 0;
            std::uint16_t length = 0;
            std::memcpy(&stamp, buffer.data() + at, 8);
            std::memcpy(&length, buffer.data() + at + 8, 2);
            at += 10;
            if (length > end - at) break;  // a damaged message: the rest of it is not a frame
            fn(context, std::span<const std::uint8_t>(buffer.data() + at, length), clocks.steady_of(stamp));
            at += length;
            ++frames;
        }
    }
    return frames;
}

std::uint64_t Capture::dropped() {
    if (!handle_) return relay_dropped_;
    pcap_stat s{};
    if (pcap_stats(as_pcap(handle_), &s) != 0) return relay_dropped_;
    return static_cast<std::uint64_t>(s.ps_drop) + s.ps_ifdrop + relay_dropped_;
}

namespace {

struct Batch {
    std::array<std::uint8_t, Capture::max_message> bytes;
    std::size_t size = sizeof(std::uint64_t);
    std::uint64_t frames = 0;
};

void add_frame(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    auto* b = reinterpret_cast<Batch*>(user);
    const auto length = static_cast<std::uint16_t>(std::min<std::size_t>(header->caplen, 0xFFFF));
    if (b->size + 10 + length > b->bytes.size()) return;  // never happens with the snap length; guarded
    const std::int64_t stamp = realtime_ns_of(header);
    std::memcpy(b->bytes.data() + b->size, &stamp, 8);
    std::memcpy(b->bytes.data() + b->size + 8, &length, 2);
    std::memcpy(b->bytes.data() + b->size + 10, bytes, length);
    b->size += 10 + length;
    ++b->frames;
}

}  // namespace

int Capture::forward(int channel, int max) {
    if (!handle_) return 0;
    static thread_local Batch batch;
    int total = 0;
    while (total < max) {
        batch.size = sizeof(std::uint64_t);
        batch.frames = 0;
        // A batch holds at most max_message / (2 + snap length) frames, so it never overflows.
        const int room = static_cast<int>((batch.bytes.size() - batch.size) / (10 + snap_length_));
        const int n = pcap_dispatch(as_pcap(handle_), std::min(room, max - total), add_frame,
                                    reinterpret_cast<u_char*>(&batch));
        if (n <= 0) break;
        total += n;
        const std::uint64_t dropped_now = dropped();
        std::memcpy(batch.bytes.data(), &dropped_now, sizeof dropped_now);
        if (::send(channel, batch.bytes.data(), batch.size, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
            relay_dropped_ += batch.frames;  // the worker is behind (or gone): as a full kernel buffer would
    }
    return total;
}

}  // namespace ghostport::scanner
