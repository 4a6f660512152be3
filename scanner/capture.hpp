// SPDX-License-Identifier: GPL-2.0-or-later
// A libpcap capture of inbound packets on one interface: the SYN engine's receive path. The only file that
// includes pcap.h is capture.cpp.
//
// Design notes (what the peers taught): capture inbound only (our own probes never fill the buffer), in
// immediate mode (no batching delay), with a large kernel buffer (tens of MB) so a burst of replies waits
// rather than drops, a short snap length (headers only) and a BPF filter, so the kernel copies only what
// could be a reply. Non-blocking: the engine polls fd() and drains with dispatch().
//
// A capture is local (this process holds the pcap handle) or relayed: the privileged part of a scan that
// separated privileges holds the handle and forwards every captured frame, unparsed, over a SOCK_SEQPACKET
// channel (forward()); the worker's Capture reads the channel. One message carries a batch:
//   u64 frames dropped so far (kernel and relay, cumulative), then per frame: u64 capture time (realtime
//   nanoseconds, as the kernel stamped it), u16 length, the bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "probes/reply.hpp"

namespace ghostport::scanner {

class Capture {
  public:
    // Called once per captured frame with its bytes (valid only during the call) and when the kernel
    // captured it, as steady_clock nanoseconds since its epoch (so a round trip measured from it includes
    // neither the reader's scheduling nor a relay's hop).
    using FrameFn = void (*)(void* context, std::span<const std::uint8_t> frame, std::uint64_t at_ns);

    // Opens `ifname` and applies `filter` (BPF syntax). Throws core::RuntimeError naming the interface and
    // libpcap's reason when it cannot.
    // `snap_length`: bytes kept of each frame.
    Capture(const std::string& ifname, const std::string& filter, int buffer_bytes = 16 << 20,
            int snap_length = header_snap_length);
    // The worker's end of a relayed capture: frames of link type `link` arrive on `channel` (a non-blocking
    // SOCK_SEQPACKET socket this object now owns).
    Capture(const std::string& ifname, probes::LinkType link, int channel);
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    const std::string& interface() const { return ifname_; }
    int fd() const { return fd_; }
    probes::LinkType link() const { return link_; }

    // Hands every buffered frame (at most `max`) to fn without blocking; returns how many there were.
    int dispatch(FrameFn fn, void* context, int max = 4096);
    // Frames the kernel dropped so far because the buffer was full (cumulative), and for a relayed capture
    // those the relay could not pass on because the worker's channel was full.
    std::uint64_t dropped();

    // Local captures only (the relay's side): passes every buffered frame (at most `max`) to `channel` in
    // batches; a batch the channel has no room for counts as dropped. Returns the frames read.
    int forward(int channel, int max = 4096);

    static constexpr std::size_t max_message = 65536;
    // Link header + IPv6 + extension headers + TCP header with options: what the SYN engine reads.
    static constexpr int header_snap_length = 256;

  private:
    std::string ifname_;
    void* handle_ = nullptr;  // pcap_t*; null for a relayed capture
    int fd_ = -1;             // pcap's selectable descriptor, or the channel
    probes::LinkType link_ = probes::LinkType::raw_ip;
    std::uint64_t relay_dropped_ = 0;
    int snap_length_ = header_snap_length;  // local: batches the channel refused; relayed: the relay's count
};

// The BPF filter for replies to probes sent from source ports [low, high]: TCP to those ports, the ICMP
// and ICMPv6 errors that may quote a probe, and IPv6 packets whose first header is an extension header.
std::string reply_filter(std::uint16_t low, std::uint16_t high);

// The BPF filter for the UDP engine's answers: UDP to source port `port`, the ICMP and ICMPv6 errors that
// may quote a datagram, and IPv6 packets whose first header is an extension header.
std::string udp_reply_filter(std::uint16_t port);

// The BPF filter for raw host discovery's answers: TCP to `sport`, ICMP echo and timestamp replies and
// ICMPv6 echo replies carrying identifier `icmp_id`.
std::string discovery_filter(std::uint16_t sport, std::uint16_t icmp_id);

}  // namespace ghostport::scanner
