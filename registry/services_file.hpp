// SPDX-License-Identifier: GPL-2.0-or-later
// Parser for the services(5) format (/etc/services, Wireshark's services) into IanaRecords.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "registry/iana_record.hpp"

namespace ghostport::registry::detail {

// One record per `name port/proto [aliases...] [# comment]` line, the comment as its description,
// then one record per alias, noted `This entry is an alias to "name".` (so it never becomes the primary).
// Blank and comment lines are skipped. Throws core::InputError "<source>: line N: <what>" on a line
// without a valid port/protocol.
std::vector<IanaRecord> parse_services(std::string_view text, const std::string& source);

}  // namespace ghostport::registry::detail
