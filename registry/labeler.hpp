// SPDX-License-Identifier: GPL-2.0-or-later
// Turns scan results into report rows: registry name and status, prevalence, hosts open, rarity.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/report.hpp"
#include "core/result.hpp"
#include "registry/prevalence.hpp"
#include "registry/registry.hpp"

namespace ghostport::registry {

class Labeler {
  public:
    // Keeps references: `registry` (and `prevalence` when not null) must outlive the Labeler. A null
    // `prevalence` means no prevalence data: every rarity is unknown (nullopt) and no label needs p.
    Labeler(const Registry& registry, const Prevalence* prevalence);

    // One row per result, same order, hostname "". For each (port, proto), hosts_open is the number of
    // distinct hosts in `results` with it open; `hosts_up` (hosts that were up) is the caller's. Fills
    // ServiceLabel fully: service/description from the registry's primary record (description of the first
    // record when none is named), known_as = the prevalence file's name when it is none of the registry's
    // names for the port (and not "unknown"), status, prevalence, hosts_open, rarity and labels (see
    // rarity.hpp; fleet-wide on open rows).
    std::vector<core::ReportRow> label(const std::vector<core::PortResult>& results,
                                       std::uint64_t hosts_up) const;

    // The label of one (port, proto) given its counts: what `label` fills for every result on that port
    // (`open` decides the ghost and fleet-wide labels).
    core::ServiceLabel label_port(std::uint16_t port, core::Proto proto, bool open, std::uint32_t hosts_open,
                                  std::uint32_t hosts_up) const;

    // Whether a rarity can be computed: a prevalence file was given or found.
    bool has_prevalence() const { return prevalence_ != nullptr; }

    // After -sV: sets or clears the borrowed, self-signed and cert-expired labels of every row from its
    // ServiceInfo (see service_judge.hpp), judging certificates at `now` (the scan's start). A row whose
    // service is not identified gets none of them. Call it after `label` (which it does not undo).
    void judge_services(std::vector<core::ReportRow>& rows, std::chrono::system_clock::time_point now) const;

    // Every name the registry gives (port, proto): the primary one and the others (aliases, historic and
    // duplicate names), in file order, without repeats. Empty on unassigned, reserved and unknown ports.
    std::vector<std::string_view> registered_names(std::uint16_t port, core::Proto proto) const;

  private:
    const Registry& registry_;
    const Prevalence* prevalence_;
};

}  // namespace ghostport::registry
