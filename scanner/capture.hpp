// A libpcap capture of inbound packets on one interface: the SYN engine's receive path. The only file that
// includes pcap.h is capture.cpp.
//
// Design notes (what the peers taught): capture inbound only (our own probes never fill the buffer), in
// immediate mode (no batching delay), with a large kernel buffer (tens of MB) so a burst of replies waits
// rather than drops, a short snap length (headers only) and a BPF filter, so the kernel copies only what
// could be a reply. Non-blocking: the engine polls fd() and drains with dispatch().
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "probes/reply.hpp"

namespace ghostport::scanner {

class Capture {
  public:
    // Called once per captured frame with its bytes (valid only during the call).
    using FrameFn = void (*)(void* context, std::span<const std::uint8_t> frame);

    // Opens `ifname` and applies `filter` (BPF syntax). Throws core::RuntimeError naming the interface and
    // libpcap's reason when it cannot.
    Capture(const std::string& ifname, const std::string& filter, int buffer_bytes = 16 << 20);
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    const std::string& interface() const { return ifname_; }
    int fd() const { return fd_; }
    probes::LinkType link() const { return link_; }

    // Hands every buffered frame (at most `max`) to fn without blocking; returns how many there were.
    int dispatch(FrameFn fn, void* context, int max = 4096);
    // Frames the kernel dropped so far because the buffer was full (cumulative).
    std::uint64_t dropped();

  private:
    std::string ifname_;
    void* handle_ = nullptr;  // pcap_t*
    int fd_ = -1;
    probes::LinkType link_ = probes::LinkType::raw_ip;
};

// The BPF filter for replies to probes sent from source ports [low, high]: TCP to those ports, the ICMP
// and ICMPv6 errors that may quote a probe, and IPv6 packets whose first header is an extension header.
std::string reply_filter(std::uint16_t low, std::uint16_t high);

}  // namespace ghostport::scanner
