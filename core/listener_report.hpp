// SPDX-License-Identifier: GPL-2.0-or-later
// A labelled listener report (`ghostport listeners`): one row per local listening socket with its registry
// label and audit marks, and the run's metadata. The listener sinks read only this.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/listener.hpp"
#include "core/report.hpp"

namespace ghostport::core {

// What a scan of this host from outside (--against REPORT) says about a listener.
//   none: no --against, the listener is loopback-only, or the scan did not probe its port;
//   seen: the scan found the port open;
//   filtered: the listener is bound to all addresses (or to a scanned address) and the scan probed the port
//   but did not find it open: something between drops or rejects it.
enum class Outside : std::uint8_t { none, seen, filtered };
std::string_view to_string(Outside o);  // "", "seen", "filtered"

struct ListenerRow {
    Listener listener;
    ServiceLabel label;  // the registry's label of (port, proto), plus deleted-exe and expected
    Change change = Change::none;
    std::string change_detail;  // "exe /usr/sbin/sshd -> /tmp/x", "was not listening"
    std::string expect_note;    // the matching --expect line's note, when label_expected is set
    Outside outside = Outside::none;
};

// A port the scan found open from outside that no socket of this host's own namespace listens on: the
// traffic is forwarded elsewhere (DNAT to a container, docker-proxy in another namespace, a load balancer).
struct ForwardedPort {
    Address host;  // the scanned address
    std::uint16_t port = 0;
    Proto proto = Proto::tcp;
    std::string elsewhere;  // the namespaces that have a listener on that port ("" when none does)
};

struct ListenerMeta {
    std::string command_line;
    std::chrono::system_clock::time_point started_at{};
    std::string hostname;  // this machine's name
    std::string registry_source;
    std::string registry_snapshot;
    std::string registry_fill;  // the services(5) file that named ports the IANA file lacks, or ""
    std::uint64_t registry_fill_ports = 0;  // how many it named
    bool registry_stale = false;
    std::string prevalence_source;
    bool all_namespaces = false;          // --all-namespaces
    std::vector<std::string> namespaces;  // the namespaces read ("" is the caller's own)
    std::vector<std::string> unseen;      // one sentence per thing that could not be seen
    std::string baseline_source;          // path of the baseline report, "" when none
    std::chrono::system_clock::time_point baseline_started_at{};
    std::uint64_t added = 0, gone = 0, changed = 0, unchanged = 0;
    std::uint64_t expected = 0;
    std::string against_source;  // path of the --against scan report, "" when none
    bool has_baseline() const { return !baseline_source.empty(); }
    bool has_against() const { return !against_source.empty(); }
};

struct ListenerReport {
    ListenerMeta meta;
    std::vector<ListenerRow> rows;
    std::vector<ForwardedPort> forwarded;  // with --against only
};

// The name a sink shows for a namespace: "host" for the caller's own (""), else the name.
std::string_view namespace_text(std::string_view netns);

// A listener's processes' distinct executables, sorted ("" entries dropped).
std::vector<std::string> executables(const Listener& l);

// Whether any owner's executable was deleted or is a memfd.
bool has_deleted_exe(const Listener& l);

// The order sinks write rows in: namespace, proto, port, address, then the first pid.
bool listener_row_less(const ListenerRow& a, const ListenerRow& b);

// Names and paths as every listener format writes them: each byte below 0x20, 0x7f, each byte of ill-formed
// UTF-8, and ';' (the list separator of the pid, process, user and exe columns) as \xNN, '\' as "\\".
// Valid UTF-8 passes; the result holds no control character, so the format's own escaping comes on top.
std::string escape_name(std::string_view raw);
// The inverse of escape_name; a malformed escape is kept as it is.
std::string unescape_name(std::string_view escaped);

}  // namespace ghostport::core
