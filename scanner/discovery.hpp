// SPDX-License-Identifier: GPL-2.0-or-later
// Host discovery: which targeted hosts are up, found before (and while) their ports are swept. The contract
// both discovery methods fulfil, and the one factory that makes them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "core/address.hpp"
#include "scanner/target_set.hpp"

namespace ghostport::scanner {

class RawAccess;  // scanner/raw_access.hpp

struct DiscoveryOptions {
    std::chrono::milliseconds timeout{1000};  // wait for answers after a host's last probe
    unsigned retries = 1;                     // extra rounds of probes for hosts that have not answered
    double max_rate = 0;                      // probe packets per second; 0 = the method's own default
    RawAccess* raw = nullptr;                 // where raw sockets and captures come from; null: this process
};

// Why a host counts as up: the first answer that came back from it.
enum class UpReason : std::uint8_t { echo_reply, timestamp_reply, syn_ack, rst, connected, refused };
std::string_view to_string(UpReason r);  // "echo-reply", "timestamp-reply", "syn-ack", "reset", ...

struct HostUp {
    core::Address host;
    std::uint64_t host_index = 0;  // the host's index in the TargetSet given to run()
    UpReason reason = UpReason::echo_reply;
    std::uint32_t rtt_us = 0;  // from the probe that drew the answer to the answer
};

class Discovery {
  public:
    virtual ~Discovery() = default;
    // Probes every host of `hosts` and calls on_up once per host that answers (from the run() thread, as
    // soon as the answer arrives, so the port sweep of that host can start at once). Returns when every host
    // has answered or used up its tries, or soon after *stop becomes true. Only answers whose source is the
    // probed host itself count: an ICMP error from a router or from this machine (a failed neighbour
    // lookup) says nothing about the host. Throws core::RuntimeError when it cannot run at all.
    virtual void run(const TargetSet& hosts, const std::function<void(const HostUp&)>& on_up,
                     const std::atomic<bool>* stop) = 0;
};

// The only list of discovery methods, named like the engines:
//   "syn":     raw packets (root or CAP_NET_RAW): ICMP echo, TCP SYN to 443, TCP ACK to 80 and, on IPv4,
//              ICMP timestamp; a host is up on any answer from it, RST included;
//   "connect": TCP connections to a few common ports (80, 443, 22, 445, 3389); a host is up when one
//              connects or is refused.
// Throws core::InputError for an unknown name.
std::unique_ptr<Discovery> make_discovery(std::string_view method, const DiscoveryOptions& options);

}  // namespace ghostport::scanner
