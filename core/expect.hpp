// SPDX-License-Identifier: GPL-2.0-or-later
// The --expect allowlist: listeners an audit knows about, which are labelled expected and never findings.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"

namespace ghostport::core {

// One line of an expect file: `HOST-OR-CIDR PORT[/PROTO] [service=NAME] [NOTE...]`.
//   HOST-OR-CIDR: an address (198.18.0.5, 2001:2::7), a CIDR block (198.18.0.0/24), a hostname, or * for
//   any host. A hostname is resolved forward once, at start (ExpectList::resolve_names), and matched by
//   the addresses it resolved to: never by a report's reverse-DNS name, which whoever controls an address's
//   PTR record chooses.
//   PORT: a number 0..65535, a range 8000-8100, or *; PROTO: tcp (the default) or udp.
//   service=NAME: the service -sV must find there (a detected_service name: ssh, http, ...; "ssl/NAME" is
//   NAME inside TLS). A listener whose detected service is another named service does not match; when the
//   scan ran without -sV, or found unknown or tcpwrapped, the service is not judged.
//   NOTE: the rest of the line (why it is expected), shown in reports.
// Blank lines and lines starting with # are skipped.
struct ExpectEntry {
    enum class HostKind : std::uint8_t { any, prefix, name };
    HostKind kind = HostKind::any;
    Address network;                 // kind prefix: the network address, host bits zero
    unsigned prefix_len = 0;         // kind prefix: 0..32 (v4) or 0..128 (v6)
    std::string name;                // kind name: lower case
    std::vector<Address> addresses;  // kind name: what `name` resolved to (resolve_names); none matches
    std::uint16_t port_lo = 0, port_hi = 65535;
    Proto proto = Proto::tcp;
    std::string service;  // service=NAME, lower case; "" when any service will do
    std::string note;
    std::size_t line = 0;  // 1-based, for messages

    // Whether the row's host, port and protocol are the entry's (the service is not looked at).
    bool matches_port(const ReportRow& row) const;
    // Whether the row's identified service is a named service other than `service`: "expected ssh, found
    // http"; "" when it is not (no service=, the same service, or the row's service is not named).
    std::string service_mismatch(const ReportRow& row) const;
    // matches_port, and no service mismatch.
    bool matches(const ReportRow& row) const;
};

class ExpectList {
  public:
    // Parses an expect file's text; a bad line throws InputError "line N: ..." (the caller adds the path).
    static ExpectList parse(std::string_view text);
    // Reads and parses FILE; errors are "FILE: line N: ...".
    static ExpectList load(const std::string& path);

    // Resolves every hostname entry forward with `resolve` (name -> addresses), once. A name that resolves
    // to nothing, or whose lookup throws, is an InputError "line N: NAME: ...". Until this is called, a
    // hostname entry matches no row.
    void resolve_names(const std::function<std::vector<Address>(const std::string&)>& resolve);

    // The first entry matching the row, or nullptr.
    const ExpectEntry* match(const ReportRow& row) const;
    // Labels every listener row (open or all-open, or gone) that an entry matches: label_expected and the
    // entry's note. A listener that no entry matches but an entry matches by port with another service
    // gets the first such entry's mismatch as its expect_note ("expected ssh, found http"), without the
    // label: an unexpected finding that says why. Returns how many rows it labelled.
    std::uint64_t apply(std::vector<ReportRow>& rows) const;

    std::size_t size() const { return entries_.size(); }
    const std::vector<ExpectEntry>& entries() const { return entries_; }

  private:
    std::vector<ExpectEntry> entries_;
};

}  // namespace ghostport::core
