// How surprising an open port is: the rarity score (0..10), its labels and the reasons behind them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "core/result.hpp"

namespace ghostport::registry {

// Rarity formula (the man page quotes this block):
//
//   p      = observed open-frequency of (port, proto) in the prevalence file (nmap-services format);
//            0 when the port is absent from the file or there is no file.
//   rareness = min(1, -log10(max(p, 1e-8)) / 8)          0 for p = 1, 1 for p <= 1e-8 (and p = 0)
//   prior  = 9 + rareness     when IANA lists the port as unassigned or reserved (so they stay in 9..10
//                             even when scans see them open: a firewall answering everywhere, a backdoor)
//          = 9.5 x rareness   otherwise (assigned, or unknown to a services(5) file)
//   share  = local_open_hosts / responsive_hosts
//   locally-common  when responsive_hosts >= 3 and local_open_hosts >= 3 and share >= 0.5
//   score  = prior, times (1 - 0.8 x share) when locally-common (share capped at 1);
//            clamped to [0, 10]
//
// Labels:
//   ghost                      open, not locally-common, and (unassigned or reserved or p < 1e-5)
//   unassigned, reserved       IANA's status for the port
//   privileged                 port <= 1023
//   dynamic                    port >= 49152
//   unauthorized-use-reported  IANA records reported unauthorized use of the port
//   locally-common             as defined above
struct RarityInput {
    std::uint16_t port = 0;
    core::Proto proto = core::Proto::tcp;
    core::RegistryStatus status = core::RegistryStatus::unknown;
    double prevalence = 0.0;  // p; 0 when absent
    bool unauthorized_use = false;
    bool open = false;
    std::uint32_t local_open_hosts = 0;  // hosts of this scan with (port, proto) open
    std::uint32_t responsive_hosts = 0;  // hosts of this scan that answered on any port
};

struct Rarity {
    double score = 0.0;
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
