// SPDX-License-Identifier: GPL-2.0-or-later
// ghostport's own UDP payloads (probes/udp_payloads.txt, the datagram probes of the service-probe grammar):
// which payloads a UDP port gets and in which order, the bytes of each, and what an answer datagram says.
// Pure: no I/O; the engine sends and receives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/service.hpp"
#include "probes/service_defs.hpp"
#include "probes/service_match.hpp"

namespace ghostport::probes {

// Which datagram probes of `defs` a UDP port gets, in the order to send them: first the probes whose port
// hints fit `port` (lowest rarity first, then file order), then the common ones (rarity <= `intensity`,
// file order) not already listed. Indices into defs.probes; probes of other kinds are never listed. Never
// empty when defs has at least one datagram probe: with no hint fitting and nothing common enough, the
// first datagram probe of lowest rarity is the one payload.
std::vector<std::size_t> udp_probe_order(const ServiceDefs& defs, std::uint16_t port, unsigned intensity = 3);

// The bytes to send for probe `index` (an index into defs.probes): its payload, padded with zero bytes to
// its `pad` length.
std::string datagram_bytes(const ServiceDefs& defs, std::size_t index);

// What an answer datagram says: the service (and product, version, info, cpe) of the first hard match
// among the matches of probe `index` and its fallbacks, then every other datagram probe's (file order);
// failing any hard match the first soft match (marked soft). An answer that matches nothing is
// core::service_unknown, as on TCP (the port answered: it is open, but nothing names it). `banner` is
// the answer made printable (probes::printable_banner). Thread-safe like Matcher::match.
core::ServiceInfo identify_datagram(const ServiceDefs& defs, const Matcher& matcher, std::size_t index,
                                    std::string_view answer);

}  // namespace ghostport::probes
