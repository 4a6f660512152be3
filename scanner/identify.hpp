// SPDX-License-Identifier: GPL-2.0-or-later
// The identify stage (scan -sV): every open TCP port, handed over as the sweep finds it, is asked what it is
// through ghostport's own probe definitions (probes/tcp_services.txt), while the sweep goes on.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/service.hpp"
#include "probes/service_defs.hpp"
#include "probes/service_match.hpp"
#include "scanner/stage.hpp"

namespace ghostport::scanner {

struct IdentifyOptions {
    unsigned intensity = 7;                   // --version-intensity 0-9: probes of rarity above it only
                                              // where their port hints fit
    std::chrono::milliseconds timeout{6000};  // --version-timeout: the longest identification of one port
    unsigned per_host = 16;                   // conversations at once with one host
    unsigned concurrency = 0;                 // conversations at once in all; 0 = from the open-file limit
    std::uint64_t port_threshold = 1000;      // a host with more open ports is all-open: not identified
};

// What the stage hands on, once per open port it took (from its own thread): the port and what it is.
// A port of an all-open host, or one abandoned at a stop, is handed on with an empty ServiceInfo.
using ServiceFound = std::function<void(const core::PortResult&, core::ServiceInfo)>;
// The host name to send as TLS SNI for an address ("" for none).
using HostNameOf = std::function<std::string(const core::Address&)>;

// `defs` and `matcher` must outlive the stage.
std::unique_ptr<Stage> make_identify_stage(const probes::ServiceDefs& defs, const probes::Matcher& matcher,
                                           const IdentifyOptions& options, HostNameOf name_of,
                                           ServiceFound found);

}  // namespace ghostport::scanner
