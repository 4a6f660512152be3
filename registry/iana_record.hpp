// SPDX-License-Identifier: GPL-2.0-or-later
// One record of a service registry (a row of IANA's CSV or a services(5) line) and how to read its status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/report.hpp"

namespace ghostport::registry {

// One CSV record, fields as IANA writes them (trimmed of surrounding blanks).
struct IanaRecord {
    std::string service_name;                // "" for Unassigned/Reserved rows
    bool has_port = false;                   // false for service names registered without a port
    std::uint16_t port_lo = 0, port_hi = 0;  // a single port has port_lo == port_hi
    std::string protocol;  // "tcp", "udp", "sctp", "dccp" or "" (= all); services(5) may add others ("ddp")
    std::string description, assignee, contact, registration_date, modification_date, reference, service_code,
        unauthorized_use, assignment_notes;
    std::size_t line = 0;  // line the record starts on
    bool filled = false;   // from the services(5) file that fills ports the registry file does not name

    // True when the record covers `port`.
    bool covers(std::uint16_t port) const { return has_port && port_lo <= port && port <= port_hi; }
};

// The status one record gives its ports: assigned when it has a service name; otherwise reserved when
// its description starts with "Reserved" (any case, any suffix) or "any private", else unassigned
// ("Unassigned [was netstat]", "De-registered", "Removed", ...).
core::RegistryStatus record_status(const IanaRecord& record);

// True when the assignment notes say the name is an alias, a historic name or a duplicate of another
// ("This entry is an alias to ...", "... now historic ...", "This is a duplicate of ...").
bool is_secondary_name(const IanaRecord& record);

}  // namespace ghostport::registry
