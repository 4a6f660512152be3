// SPDX-License-Identifier: GPL-2.0-or-later
// gp_pktrate: counts, with libpcap, the packets a scan sends through IFACE (outbound probes: no RST, which
// the kernel sends on its own), and prints "packets N windows W max_per_window M" with fixed windows of
// --window-ms (default 100) from the first packet. Runs until --idle-ms passes with no packet after the
// first (default 1500) or --seconds (default 60) in all. Prints "ready" once capturing. For the namespace
// lab: run it in the scanner namespace on the veth. Exit 0, 2 on bad usage, 3 when it cannot capture.
#include <pcap/pcap.h>
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {

struct Counts {
    std::uint64_t first_us = 0, last_us = 0, packets = 0;
    std::map<std::uint64_t, std::uint64_t> per_window;
    std::uint64_t window_us = 100'000;
};

void on_packet(u_char* user, const pcap_pkthdr* h, const u_char*) {
    auto* c = reinterpret_cast<Counts*>(user);
    const std::uint64_t t = static_cast<std::uint64_t>(h->ts.tv_sec) * 1'000'000 + h->ts.tv_usec;
    if (c->packets == 0) c->first_us = t;
    c->last_us = t;
    ++c->packets;
    ++c->per_window[(t - c->first_us) / c->window_us];
}

}  // namespace

int main(int argc, char** argv) {
    std::string iface;
    long window_ms = 100, idle_ms = 1500, seconds = 60;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--window-ms" && i + 1 < argc)
            window_ms = std::atol(argv[++i]);
        else if (a == "--idle-ms" && i + 1 < argc)
            idle_ms = std::atol(argv[++i]);
        else if (a == "--seconds" && i + 1 < argc)
            seconds = std::atol(argv[++i]);
        else if (iface.empty() && a[0] != '-')
            iface = a;
        else {
            std::fputs("usage: gp_pktrate [--window-ms N] [--idle-ms N] [--seconds N] IFACE\n", stderr);
            return 2;
        }
    }
    if (iface.empty() || window_ms <= 0) return 2;
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t* p = pcap_create(iface.c_str(), err);
    if (!p) return std::fprintf(stderr, "gp_pktrate: %s\n", err), 3;
    pcap_set_snaplen(p, 96);
    pcap_set_immediate_mode(p, 1);
    pcap_set_buffer_size(p, 64 << 20);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
    if (pcap_activate(p) < 0) return std::fprintf(stderr, "gp_pktrate: %s\n", pcap_geterr(p)), 3;
    pcap_setdirection(p, PCAP_D_OUT);
    bpf_program prog{};
    // Probes: TCP without RST (SYN, discovery's ACK), ICMP and ICMPv6 echo/timestamp requests.
    const char* filter =
        "(tcp and tcp[13] & 4 == 0) or (icmp and (icmp[0] == 8 or icmp[0] == 13)) or "
        "(icmp6 and icmp6[0] == 128)";
    if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(p, &prog) != 0)
        return std::fprintf(stderr, "gp_pktrate: filter: %s\n", pcap_geterr(p)), 3;
    pcap_freecode(&prog);  // the kernel has its copy
    pcap_setnonblock(p, 1, err);
    Counts c;
    c.window_us = static_cast<std::uint64_t>(window_ms) * 1000;
    std::printf("ready\n");
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    auto last_seen = start;
    pollfd fd{pcap_get_selectable_fd(p), POLLIN, 0};
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(seconds)) {
        ::poll(&fd, 1, 50);
        const std::uint64_t before = c.packets;
        pcap_dispatch(p, -1, on_packet, reinterpret_cast<u_char*>(&c));
        const auto now = std::chrono::steady_clock::now();
        if (c.packets != before) last_seen = now;
        if (c.packets > 0 && now - last_seen > std::chrono::milliseconds(idle_ms)) break;
    }
    std::uint64_t max = 0;
    for (const auto& [w, n] : c.per_window) max = std::max(max, n);
    pcap_stat s{};
    pcap_stats(p, &s);
    std::printf("packets %llu windows %zu max_per_window %llu dropped %u\n",
                static_cast<unsigned long long>(c.packets), c.per_window.size(),
                static_cast<unsigned long long>(max), s.ps_drop);
    pcap_close(p);
    return 0;
}
