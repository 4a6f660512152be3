// SPDX-License-Identifier: GPL-2.0-or-later
// How surprising an open port is: the rarity score (0..10), its labels and the reasons behind them.
#include "registry/rarity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ghostport::registry {

namespace detail {

namespace {

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

std::string describe_frequency(double p) {
    if (p <= 0) return "0";
    const std::string value = p >= 1e-6 ? fmt::format("{:.6f}", p) : fmt::format("{:.1e}", p);
    double one_in = 1.0 / p;
    if (one_in >= 100) {
        const double scale = std::pow(10.0, std::floor(std::log10(one_in)) - 1);
        one_in = std::round(one_in / scale) * scale;
    }
    return fmt::format("{} (1 in {} hosts)", value,
                       with_thousands(static_cast<std::uint64_t>(std::llround(one_in))));
}

}  // namespace detail

Rarity assess(const RarityInput& in) {
    Rarity out;
    // A plain value and a flag rather than an optional: gcc 12 warns that the optional's value "may be used
    // uninitialized" behind its own check.
    const bool known = in.prevalence.has_value();
    const double pv = known ? std::clamp(*in.prevalence, 0.0, 1.0) : 0.0;
    const bool unassigned = in.status == core::RegistryStatus::unassigned;
    const bool reserved = in.status == core::RegistryStatus::reserved;

    if (known) {
        const double rareness = std::min(1.0, -std::log10(std::max(pv, 1e-8)) / 8.0);
        const double score = (unassigned || reserved) ? 9.0 + rareness : 9.5 * rareness;
        out.score = std::clamp(score, 0.0, 10.0);
    }
    const bool fleet_wide = in.open && core::is_fleet_wide(in.hosts_open, in.hosts_up);

    const bool ghost = in.open && (unassigned || reserved || (known && pv < 1e-5));
    if (ghost) out.labels |= core::label_ghost;
    if (unassigned) out.labels |= core::label_unassigned;
    if (reserved) out.labels |= core::label_reserved;
    if (in.port <= 1023) out.labels |= core::label_privileged;
    if (in.port >= 49152) out.labels |= core::label_dynamic;
    if (in.unauthorized_use) out.labels |= core::label_unauthorized_use_reported;
    if (fleet_wide) out.labels |= core::label_fleet_wide;

    switch (in.status) {
        case core::RegistryStatus::assigned:
            out.reasons.push_back("IANA: assigned");
            break;
        case core::RegistryStatus::unassigned:
            out.reasons.push_back("IANA: unassigned");
            break;
        case core::RegistryStatus::reserved:
            out.reasons.push_back("IANA: reserved");
            break;
        case core::RegistryStatus::unknown:
            out.reasons.push_back("not listed in the registry");
            break;
        case core::RegistryStatus::services_file:
            out.reasons.push_back("not in the IANA registry; named by /etc/services");
            break;
    }
    if (!known)
        out.reasons.push_back("observed open-frequency unknown (no prevalence data): rarity unknown");
    else
        out.reasons.push_back(
            pv > 0 ? "observed open-frequency " + detail::describe_frequency(pv)
                   : std::string("observed open-frequency 0 (never seen open, or not listed)"));
    if (in.hosts_up > 0 && in.hosts_open > 0) {
        std::string local = fmt::format("open on {} of {} hosts up in this scan", in.hosts_open, in.hosts_up);
        if (fleet_wide) local += " (fleet-wide; the rarity stays the port's worldwide one)";
        out.reasons.push_back(std::move(local));
    }
    if (in.unauthorized_use) out.reasons.push_back("IANA: unauthorized use reported");
    if (in.port <= 1023) out.reasons.push_back("privileged port (0-1023)");
    if (in.port >= 49152) out.reasons.push_back("dynamic/private port (49152-65535)");
    return out;
}

}  // namespace ghostport::registry
