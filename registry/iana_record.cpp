// SPDX-License-Identifier: GPL-2.0-or-later
// Status and alias rules for single registry records.
#include "registry/iana_record.hpp"

#include "registry/text_util.hpp"

namespace ghostport::registry {

using detail::lowercase;

core::RegistryStatus record_status(const IanaRecord& record) {
    if (!record.service_name.empty()) return core::RegistryStatus::assigned;
    const std::string d = lowercase(record.description);
    if (d.starts_with("reserved") || d.starts_with("any private")) return core::RegistryStatus::reserved;
    return core::RegistryStatus::unassigned;
}

bool is_secondary_name(const IanaRecord& record) {
    const std::string n = lowercase(record.assignment_notes);
    return n.find("alias to") != std::string::npos || n.find("historic") != std::string::npos ||
           n.find("duplicate of") != std::string::npos;
}

}  // namespace ghostport::registry
