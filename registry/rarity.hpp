// SPDX-License-Identifier: GPL-2.0-or-later
// How surprising an open port is: the rarity score (0..10), its labels and the reasons behind them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "core/result.hpp"

namespace ghostport::registry {

// Rarity formula (the man page quotes this block). Rarity is a property of the port worldwide: how many
// hosts of this scan share the port never lowers it.
//
//   p      = observed open-frequency of (port, proto) in the prevalence file (nmap-services format);
//            0 when the file does not list the port. With no prevalence file p is unknown, and so is the
//            score.
//   rareness = min(1, -log10(max(p, 1e-8)) / 8)          0 for p = 1, 1 for p <= 1e-8 (and p = 0)
//   score  = 9 + rareness     when IANA lists the port as unassigned or reserved (so they stay in 9..10
//                             even when scans see them open: a firewall answering everywhere, a backdoor)
//          = 9.5 x rareness   otherwise (assigned, or unknown to a services(5) file)
//
// Labels:
//   ghost                      open, and (unassigned or reserved or p < 1e-5); with p unknown only
//                              unassigned or reserved make a ghost (p < 1e-5 is not guessed)
//   unassigned, reserved       IANA's status for the port
//   privileged                 port <= 1023
//   dynamic                    port >= 49152
//   unauthorized-use-reported  IANA records reported unauthorized use of the port
//   fleet-wide                 open, and open on at least half of the hosts up when 3 or more are up
//                              (hosts_up >= 3 and 2 x hosts_open >= hosts_up)
struct RarityInput {
    std::uint16_t port = 0;
    core::Proto proto = core::Proto::tcp;
    core::RegistryStatus status = core::RegistryStatus::unknown;
    std::optional<double> prevalence;  // p; 0 when the file does not list the port; nullopt with no file
    bool unauthorized_use = false;
    bool open = false;
    std::uint32_t hosts_open = 0;  // hosts of this scan with (port, proto) open
    std::uint32_t hosts_up = 0;    // hosts of this scan that were up
};

struct Rarity {
    std::optional<double> score;  // nullopt when p is unknown
    core::Labels labels = 0;
    std::vector<std::string> reasons;  // short human sentences, most important first
};

// Applies the formula above. Pure: the same input always gives the same result.
Rarity assess(const RarityInput& in);

namespace detail {

// "0.000075 (1 in 13,000 hosts)"; "0" for 0. The "1 in N" part has two significant digits.
std::string describe_frequency(double p);

}  // namespace detail

}  // namespace ghostport::registry
