// SPDX-License-Identifier: GPL-2.0-or-later
// Judging what -sV found on a port against the registry and the clock: the borrowed, self-signed and
// cert-expired labels. Registry::Labeler::judge_services applies it to a whole report.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "core/report.hpp"
#include "core/service.hpp"

namespace ghostport::registry {

// Whether `info` names a service (ServiceInfo::named: not "", unknown or tcpwrapped) that agrees with none
// of `registered`, the port's registered service names (its primary name and every other name a record
// gives that port and protocol). With no registered name (an unassigned, reserved or dynamic port, or one
// a services(5) file does not list) every named service is borrowed.
bool is_borrowed(const core::ServiceInfo& info, const std::vector<std::string_view>& registered);

// The instant an ISO 8601 UTC time "YYYY-MM-DDTHH:MM:SS[.fff]Z" (or "YYYY-MM-DD HH:MM:SS", or a date
// alone at midnight) names; nullopt when the text is none of these or names no real date.
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text);

// Whether a certificate's not-after (ServiceInfo::cert_not_after) is before `now`; false when it is empty
// or not a time parse_utc reads.
bool cert_expired(std::string_view not_after, std::chrono::system_clock::time_point now);

// Sets or clears label_borrowed, label_self_signed and label_cert_expired on `row.label.labels` from
// `row.service`: borrowed as is_borrowed with `registered`, self-signed when cert_self_signed,
// cert-expired as cert_expired at `now`. A row whose service is not identified gets none of the three.
void judge_service(core::ReportRow& row, const std::vector<std::string_view>& registered,
                   std::chrono::system_clock::time_point now);

// A host whose every open, identified port (at least `min_ports` of them) accepted connections and never
// sent a byte is a middlebox or tarpit completing handshakes on behalf of nothing: each of those rows gets
// extra_info saying so, instead of reading as a service that happens to be silent.
void mark_middleboxes(std::vector<core::ReportRow>& rows, std::size_t min_ports = 5);

}  // namespace ghostport::registry
