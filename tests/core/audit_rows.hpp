// SPDX-License-Identifier: GPL-2.0-or-later
// Test-only builder of report rows for the audit tests (diff, expect, fail-on).
#pragma once

#include <string>

#include "core/report.hpp"

namespace ghostport::core::test {

inline ReportRow row(std::string_view host, std::uint16_t port, PortState state = PortState::open,
                     std::string service = "", double rarity = 1.0, Labels labels = 0) {
    ReportRow r;
    r.result.host = *Address::parse(host);
    r.result.port = port;
    r.result.state = state;
    r.result.reason = state == PortState::open     ? Reason::syn_ack
                      : state == PortState::closed ? Reason::rst
                                                   : Reason::no_response;
    r.label.service = std::move(service);
    r.label.rarity = rarity;
    r.label.labels = labels;
    return r;
}

// The row as a UDP one, with UDP's evidence: a reply (open), ICMP port unreachable (closed), nothing
// (open|filtered).
inline ReportRow udp(ReportRow r) {
    r.result.proto = Proto::udp;
    r.result.reason = r.result.state == PortState::open     ? Reason::udp_response
                      : r.result.state == PortState::closed ? Reason::port_unreach
                                                            : r.result.reason;
    return r;
}

// The row with what -sV found on it: detected_service `name`, TLS version `tls`, fingerprints `fingerprint`.
inline ReportRow identified(ReportRow r, std::string name, std::string tls = "",
                            std::string fingerprint = "") {
    r.service.name = std::move(name);
    r.service.tls = std::move(tls);
    r.service.fingerprint = std::move(fingerprint);
    return r;
}

}  // namespace ghostport::core::test
