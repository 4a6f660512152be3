// SPDX-License-Identifier: GPL-2.0-or-later
// Parser for IANA's service-names-port-numbers.csv (2014 and 2025 header variants) into IanaRecords.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "registry/iana_record.hpp"

namespace ghostport::registry::detail {

// True when the first line of `text` is a CSV header naming IANA's four key columns
// (Service Name, Port Number, Transport Protocol, Description).
bool looks_like_iana_csv(std::string_view text);

// Every record of `text`, in file order. Columns are found by header name; the 11th column may be
// "Unauthorized Use Reported" (2025) or "Known Unauthorized Uses" (2014), unknown columns are ignored.
// Blank lines are skipped. Throws core::InputError "<source>: line N: <what>" on a bad record (field
// count, port "70000" or range "12-5", unknown protocol, unclosed quote) and
// "<source>: not IANA's service-names-port-numbers.csv format (line 1: ...)" on a foreign header.
std::vector<IanaRecord> parse_iana_csv(std::string_view text, const std::string& source);

// The newest Registration/Modification date of `records` as "YYYY-MM-DD" ("YYYY-MM" counts as the
// first of the month); "" when no record has a well-formed date.
std::string newest_date(const std::vector<IanaRecord>& records);

}  // namespace ghostport::registry::detail
