// SPDX-License-Identifier: GPL-2.0-or-later
// ghostport's own UDP payloads: the order a port gets them in, their bytes, and the naming of answers.
#include "probes/udp_payloads.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "probes/banner.hpp"

namespace ghostport::probes {

std::vector<std::size_t> udp_probe_order(const ServiceDefs& defs, std::uint16_t port, unsigned intensity) {
    std::vector<std::size_t> hinted, common;
    std::optional<std::size_t> rarest_first;  // the first datagram probe of lowest rarity
    for (std::size_t i = 0; i < defs.probes.size(); ++i) {
        const auto& p = defs.probes[i];
        if (p.kind != ProbeKind::datagram) continue;
        if (!rarest_first || p.rarity < defs.probes[*rarest_first].rarity) rarest_first = i;
        if (p.fits_port(port))
            hinted.push_back(i);
        else if (p.rarity <= intensity)
            common.push_back(i);
    }
    std::stable_sort(hinted.begin(), hinted.end(), [&](std::size_t a, std::size_t b) {
        return defs.probes[a].rarity < defs.probes[b].rarity;
    });
    hinted.insert(hinted.end(), common.begin(), common.end());
    if (hinted.empty() && rarest_first) hinted.push_back(*rarest_first);
    return hinted;
}

std::string datagram_bytes(const ServiceDefs& defs, std::size_t index) {
    const auto& p = defs.probes.at(index);
    std::string out = p.payload;
    if (out.size() < p.pad) out.resize(p.pad, '\0');
    return out;
}

core::ServiceInfo identify_datagram(const ServiceDefs& defs, const Matcher& matcher, std::size_t index,
                                    std::string_view answer) {
    core::ServiceInfo info;
    info.banner = printable_banner(answer, 256);
    std::optional<MatchHit> hit = matcher.match(index, answer);
    std::optional<MatchHit> soft;
    if (hit && hit->soft) soft = std::exchange(hit, std::nullopt);
    for (std::size_t i = 0; !hit && i < defs.probes.size(); ++i) {
        if (i == index || defs.probes[i].kind != ProbeKind::datagram) continue;
        auto other = matcher.match(i, answer);
        if (!other) continue;
        if (!other->soft)
            hit = std::move(other);
        else if (!soft)
            soft = std::move(other);
    }
    if (!hit) hit = std::move(soft);
    if (!hit) {
        info.name = core::service_unknown;
        return info;
    }
    info.name = hit->service;
    info.soft = hit->soft;
    info.product = hit->product;
    info.version = hit->version;
    info.extra_info = hit->info;
    info.cpe = hit->cpe;
    return info;
}

}  // namespace ghostport::probes
