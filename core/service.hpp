// SPDX-License-Identifier: GPL-2.0-or-later
// What service identification (scan -sV) found behind one open TCP port: the record that flows from the
// identify stage to the labeler and the sinks. Strings hold what the service said (sinks escape them for
// their format); `banner` is already printable.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace ghostport::core {

// detected_service values that name no service: never `borrowed`, never a change in a diff.
inline constexpr std::string_view service_unknown = "unknown";        // answered, but nothing matched
inline constexpr std::string_view service_tcpwrapped = "tcpwrapped";  // closed at once without a byte

struct ServiceInfo {
    std::string name;        // detected_service: "ssh", "http", "unknown", "tcpwrapped"; "" = not identified
    std::string product;     // "OpenSSH"
    std::string version;     // "9.2p1"
    std::string extra_info;  // "protocol 2.0", why a port was not identified ("host is all-open"), ...
    std::string cpe;         // "cpe:/a:openbsd:openssh:9.2p1"
    std::string tls;         // negotiated TLS version ("TLSv1.3"), "STARTTLS TLSv1.3" after an upgrade, ""
    std::string cert_subject;    // RFC 2253 one line: "CN=lab.test,O=ghostport"
    std::string cert_san;        // subject alternative names, ';'-separated: "DNS:lab.test;IP:198.18.0.10"
    std::string cert_issuer;     // RFC 2253 one line
    std::string cert_not_after;  // ISO 8601 UTC, seconds: "2027-01-01T00:00:00Z"
    // Key fingerprints, ';'-separated: "sha256:<64 hex>" of the TLS certificate (DER), and the SSH host key
    // as ssh-keygen -l prints it: "ssh-ed25519 SHA256:<base64, no padding>".
    std::string fingerprint;
    std::string banner;  // the first bytes the service sent, escaped to printable text, at most 256 chars
    bool soft = false;   // named by a soft match only: the service is known, product and version are not
    bool cert_self_signed = false;   // the certificate is issued by its own key
    std::uint8_t conversations = 0;  // TCP connections identification opened on the port

    bool identified() const { return !name.empty(); }
    // The service speaks inside TLS from the first byte (not after STARTTLS), as "ssl/NAME" says and nmap's
    // tunnel="ssl" means; never for "ssl" itself, which names the TLS layer alone.
    bool tls_tunnel() const { return !tls.empty() && !tls.starts_with("STARTTLS") && name != "ssl"; }
    // A real service name: not "", unknown or tcpwrapped.
    bool named() const { return !name.empty() && name != service_unknown && name != service_tcpwrapped; }
};

// ServiceInfo's string fields in report-column order (detected_service ... banner): the one list the report
// formats and the --resume checkpoint walk. (soft, cert_self_signed and conversations are not in it.)
inline constexpr std::array<std::string ServiceInfo::*, 12> service_string_fields{
    &ServiceInfo::name,        &ServiceInfo::product,     &ServiceInfo::version,
    &ServiceInfo::extra_info,  &ServiceInfo::tls,         &ServiceInfo::cert_subject,
    &ServiceInfo::cert_san,    &ServiceInfo::cert_issuer, &ServiceInfo::cert_not_after,
    &ServiceInfo::fingerprint, &ServiceInfo::cpe,         &ServiceInfo::banner,
};

}  // namespace ghostport::core
