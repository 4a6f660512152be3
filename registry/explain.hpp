// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport lookup PORT[/proto]`: everything known about one port, and the text that explains it.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "registry/prevalence.hpp"
#include "registry/rarity.hpp"
#include "registry/registry.hpp"

namespace ghostport::registry {

struct Explanation {
    std::uint16_t port = 0;
    core::Proto proto = core::Proto::tcp;
    Registry::PortInfo info;
    const Prevalence::Entry* prevalence =
        nullptr;            // nullptr when there is no file or it does not list the port
    Rarity rarity_if_open;  // assess() for the port open, with no local scan data
};

// Gathers the registry records, the prevalence entry and the rarity of (port, proto) if found open.
// `prevalence` may be null. The result points into both: they must outlive it.
Explanation explain(const Registry& registry, const Prevalence* prevalence, std::uint16_t port,
                    core::Proto proto);

// Multi-line human text ending in a newline: the status line ("1642/tcp is registered to isis-am"), what the
// registry lacks (no reference, no assignee), every record covering the port with each non-empty field,
// the observed open-frequency naming the prevalence source, the rarity score, and whether an open port
// would be a ghost, with the reasons.
std::string render_explanation(const Explanation& e, const Registry& registry, const Prevalence* prevalence);

}  // namespace ghostport::registry
