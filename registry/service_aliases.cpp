// SPDX-License-Identifier: GPL-2.0-or-later
// Which detected_service names agree with which registered service names (the table is in the header).
#include "registry/service_aliases.hpp"

#include <algorithm>
#include <cctype>

namespace ghostport::registry {

namespace {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

constexpr std::string_view starttls = "STARTTLS";

}  // namespace

DetectedService detected_service(const core::ServiceInfo& info) {
    DetectedService d{info.name, !info.tls.empty() && !info.tls.starts_with(starttls)};
    if (d.name.starts_with("ssl/")) {
        d.name.remove_prefix(4);
        d.tls = true;
        return d;
    }
    for (const ServiceAlias& a : service_aliases)
        if (a.wrap == AliasWrap::tls && same_name(a.registered, d.name)) return {a.detected, true};
    return d;
}

bool agrees_with(const DetectedService& detected, std::string_view registered) {
    if (registered.empty()) return false;
    if (same_name(detected.name, registered)) return true;
    for (const ServiceAlias& a : service_aliases) {
        if (!same_name(a.registered, registered)) continue;
        if (a.wrap == AliasWrap::tls && detected.name == "ssl") return true;
        if (a.detected == detected.name && (a.wrap == AliasWrap::any || detected.tls)) return true;
    }
    return false;
}

}  // namespace ghostport::registry
