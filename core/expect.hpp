// The --expect allowlist: listeners an audit knows about, which are labelled expected and never findings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"

namespace ghostport::core {

// One line of an expect file: `HOST-OR-CIDR PORT[/PROTO] [NOTE...]`.
//   HOST-OR-CIDR: an address (198.18.0.5, 2001:2::7), a CIDR block (198.18.0.0/24), a hostname matched
//   case-insensitively against the report's hostname, or * for any host.
//   PORT: a number 0..65535, a range 8000-8100, or *; PROTO: tcp (the default) or udp.
//   NOTE: the rest of the line (why it is expected), shown in reports.
// Blank lines and lines starting with # are skipped.
struct ExpectEntry {
    enum class HostKind : std::uint8_t { any, prefix, name };
    HostKind kind = HostKind::any;
    Address network;          // kind prefix: the network address, host bits zero
    unsigned prefix_len = 0;  // kind prefix: 0..32 (v4) or 0..128 (v6)
    std::string name;         // kind name: lower case
    std::uint16_t port_lo = 0, port_hi = 65535;
    Proto proto = Proto::tcp;
    std::string note;
    std::size_t line = 0;  // 1-based, for messages

    bool matches(const ReportRow& row) const;
};

class ExpectList {
  public:
    // Parses an expect file's text; a bad line throws InputError "line N: ..." (the caller adds the path).
    static ExpectList parse(std::string_view text);
    // Reads and parses FILE; errors are "FILE: line N: ...".
    static ExpectList load(const std::string& path);

    // The first entry matching the row, or nullptr.
    const ExpectEntry* match(const ReportRow& row) const;
    // Labels every listener row (open or all-open, or gone) that an entry matches: label_expected and the
    // entry's note. Returns how many rows it labelled.
    std::uint64_t apply(std::vector<ReportRow>& rows) const;

    std::size_t size() const { return entries_.size(); }

  private:
    std::vector<ExpectEntry> entries_;
};

}  // namespace ghostport::core
