#include "scanner/capture.hpp"

#include <pcap/pcap.h>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::scanner {

namespace {

constexpr int snap_length = 256;  // link header + IPv6 + extension headers + TCP header with options

pcap_t* as_pcap(void* h) {
    return static_cast<pcap_t*>(h);
}

struct DispatchContext {
    Capture::FrameFn fn;
    void* context;
};

void on_packet(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    auto* d = reinterpret_cast<DispatchContext*>(user);
    d->fn(d->context, std::span<const std::uint8_t>(bytes, header->caplen));
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

Capture::Capture(const std::string& ifname, const std::string& filter, int buffer_bytes) : ifname_(ifname) {
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
    if (handle_) pcap_close(as_pcap(handle_));
}

int Capture::dispatch(FrameFn fn, void* context, int max) {
    DispatchContext d{fn, context};
    int n = pcap_dispatch(as_pcap(handle_), max, on_packet, reinterpret_cast<u_char*>(&d));
    return n < 0 ? 0 : n;
}

std::uint64_t Capture::dropped() {
    pcap_stat s{};
    if (pcap_stats(as_pcap(handle_), &s) != 0) return 0;
    return static_cast<std::uint64_t>(s.ps_drop) + s.ps_ifdrop;
}

}  // namespace ghostport::scanner
