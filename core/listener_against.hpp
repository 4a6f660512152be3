// SPDX-License-Identifier: GPL-2.0-or-later
// --against REPORT: a scan of this host from outside joined with its listeners. Which listeners the scan
// saw, which listening on all addresses it did not see (filtered on the way), and which ports it saw open
// that no local socket listens on (forwarded elsewhere).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/listener_report.hpp"
#include "core/report.hpp"

namespace ghostport::core {

// What a scan report says, whichever format it came in.
struct ScanView {
    std::vector<Address> hosts;     // every scanned host that the report names
    std::vector<PortResult> ports;  // every port row with its state
    // The ports probed on each host, per protocol; when both are empty, only the rows' ports count as probed.
    std::vector<std::uint16_t> tcp_scanned, udp_scanned;
};

// A ghostport scan report as a ScanView: the rows' hosts and meta.hosts_up_list, the rows, the TCP ports of
// meta.ports_scanned ("1-1024,1642") and the UDP ports of meta.udp_ports_scanned.
ScanView scan_view(const Report& scan);

// Sets each row's `outside` (see core::Outside; gone and loopback rows stay none, and so does a (UDP) row the
// scan found open|filtered, which a silent listener gives as well as a filter) and report.forwarded: every
// port the scan found open on a host for which no socket of the caller's own namespace (netns "") listens on
// that port, proto and host (bound to it, or to all addresses of its family, or dual-stack ::). `elsewhere`
// names the other namespaces with a listener on that port. Sets meta.against_source to `source`.
void join_scan(ListenerReport& report, const ScanView& scan, const std::string& source);

// The row's --against result said plainly, "" when outside is none:
//   "tcp 1642 (nc pid 812) listens on all addresses and the scan saw it open from outside"
//   "tcp 1642 (nc pid 812) listens on all addresses but the scan did not see it: filtered on the way"
// Names are escaped with escape_name; sinks add their own escaping.
std::string outside_sentence(const ListenerRow& row);
// "198.18.0.5 8080/tcp is open from outside but no socket of this host listens on it: forwarded (DNAT,
// docker-proxy) elsewhere" (", to namespace X" when another namespace listens on it).
std::string forwarded_sentence(const ForwardedPort& f);

}  // namespace ghostport::core
