// Turns scan results into report rows: registry name and status, prevalence, local commonness, rarity.
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
    // Keeps references: `registry` (and `prevalence` when not null) must outlive the Labeler.
    Labeler(const Registry& registry, const Prevalence* prevalence);

    // One row per result, same order, hostname "". For each (port, proto), local_open_hosts is the number of
    // distinct hosts in `results` with it open; `responsive_hosts` (hosts that answered on any port) is the
    // caller's. Fills ServiceLabel fully: service/description from the registry's primary record (description
    // of the first record when none is named), known_as = the prevalence file's name when it is none of the
    // registry's names for the port (and not "unknown"), status, prevalence, local_prevalence
    // (local_open_hosts / responsive_hosts, 0 when no host answered), rarity and labels (see rarity.hpp).
    std::vector<core::ReportRow> label(const std::vector<core::PortResult>& results,
                                       std::uint64_t responsive_hosts) const;

    // The label of one (port, proto) given its local counts: what `label` fills for every result on that
    // port (`open` decides the ghost label).
    core::ServiceLabel label_port(std::uint16_t port, core::Proto proto, bool open,
                                  std::uint32_t local_open_hosts, std::uint32_t responsive_hosts) const;

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
