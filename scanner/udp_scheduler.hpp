// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP scan's decisions and pacing, apart from any socket: which datagram goes to which (host, port) when,
// and what the answers (or their absence) prove. The engine (udp_engine) moves the datagrams; tests drive
// this class with a simulated host and a virtual clock.
//
// Design notes
// - The physics. An open UDP port answers only a datagram its service understands; a closed one answers with
//   an ICMP port unreachable, and hosts ration those: Linux sends one per second per peer after a burst of 6
//   (net.ipv4.icmp_ratelimit, XRLIM_BURST_FACTOR), ICMPv6 likewise. Silence therefore proves nothing unless
//   the host had an ICMP token to spend when the datagram arrived. Each host's budget is the bottleneck.
// - The oracle. Once one port of a host is known closed (a scanned port, or a calibration port in the
//   dynamic range that is not scanned), a datagram to it is a token detector: it is answered exactly when the
//   host had a token. A round sends a group of undecided ports and then the oracle, back to back. Tokens only
//   grow between two arrivals microseconds apart, so if the oracle is answered, every port of the group had
//   a token when its datagram arrived: those that stayed silent are not closed. If the oracle is silent, the
//   group's silent ports prove nothing and go again. Closed ports cost one token each (the floor that the
//   host's limit sets), silent ones cost nothing: a whole group of them is cleared by one oracle answer.
// - Pacing per host. The next round waits for the host's next token: the rate is learned from the rounds
//   (answers beyond the estimate raise it, an empty bucket lowers it), the group grows while the oracle
//   keeps answering (few closed ports left) and shrinks when it does not. Many hosts interleave, each on its
//   own budget, so a subnet runs at the sum of their rates.
// - Payloads. A port's first datagram is its payload (probes/udp_payloads.txt: the one whose port hints fit,
//   else the most common one); once a port is shown not closed it gets the other payloads in turn, so a
//   service on a borrowed number answers and is named. A silent port needs `proofs` oracle-backed rounds
//   (two unless --retries 0) before it is reported open|filtered, so one lost ICMP cannot turn a closed port
//   into open|filtered.
// - A host that sends no ICMP at all (every port dropped, or a firewall that eats them) has no oracle: its
//   silent ports are retried --retries times and reported open|filtered, as any scanner must.
// - Hostile answers change only their own rows: a port unreachable counts only when it comes from the host
//   it quotes, and an ICMP error from another scanned host is ignored; an answer or error for a port with no
//   datagram outstanding is ignored.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/result.hpp"

namespace ghostport::scanner {

// One datagram a port may be sent: `probe` names it in the payload definitions (for identification).
struct UdpPayload {
    std::size_t probe = 0;
    std::string bytes;
};
// The datagrams for a port, in the order to send them; empty = one empty datagram.
using UdpPayloadsFor = std::function<std::vector<UdpPayload>(std::uint16_t port)>;

// What came back, as the transport saw it.
struct UdpEvent {
    enum class Kind : std::uint8_t { answer, icmp };
    Kind kind = Kind::answer;
    core::Address host;  // the scanned host: the answer's source, or the quoted destination of an ICMP error
    std::uint16_t port = 0;
    std::uint64_t at_ns = 0;
    // icmp: the error as sent; `offender` is its sender (a router, or the host itself).
    bool v6 = false;
    std::uint8_t icmp_type = 0, icmp_code = 0;
    std::optional<core::Address> offender;
    std::string_view bytes;  // answer: the datagram (at most what the transport keeps)
};

struct UdpSchedulerOptions {
    std::chrono::milliseconds timeout{1000};  // the wait before any round trip is measured, and the longest
    unsigned retries = 2;                     // silent ports of a host without ICMP: extra tries
    unsigned proofs = 2;                      // oracle-backed silent rounds before open|filtered
    double max_rate = 0;                      // datagrams per second over all hosts; 0 = 20,000
    std::uint32_t seed = 1;                   // picks calibration ports
};

struct UdpDecision {
    std::uint64_t host_index = 0;
    core::PortResult result;  // proto udp; host, port, state, reason, rtt
    // open by an answer: which payload it answered and what it said
    std::optional<std::size_t> probe;
    std::string answer;
};

class UdpScheduler {
  public:
    // Sends one datagram; returns 0 or the errno the kernel refused it with.
    using SendFn = std::function<int(const core::Address& host, std::uint16_t port, std::string_view bytes)>;
    using DecideFn = std::function<void(const UdpDecision&)>;

    UdpScheduler(const UdpSchedulerOptions& options, UdpPayloadsFor payloads, SendFn send, DecideFn decide);
    ~UdpScheduler();
    UdpScheduler(const UdpScheduler&) = delete;
    UdpScheduler& operator=(const UdpScheduler&) = delete;

    // Adds a host to scan with its ports (each at most once). `host_index` is reported back.
    void add_host(std::uint64_t host_index, const core::Address& host, std::vector<std::uint16_t> ports);
    // Takes one answer or error (from the transport). Ignores what belongs to no outstanding datagram.
    void on_event(const UdpEvent& event);
    // Sends what is due at `now_ns` and decides what has timed out. Returns the time of the next thing due
    // (at most 50 ms ahead), or 0 when every added host is decided.
    std::uint64_t tick(std::uint64_t now_ns);
    // Hosts added and not yet decided.
    std::size_t active_hosts() const;
    // Ports added and not decided yet.
    std::uint64_t undecided() const;
    // Datagrams sent so far.
    std::uint64_t sent() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ghostport::scanner
