// SPDX-License-Identifier: GPL-2.0-or-later
// What service identification reports about a TLS server's certificate, read from its DER encoding.
//
// Design notes
// - Pure: OpenSSL libcrypto parses (d2i_X509) and hashes; no I/O, no exceptions, nothing kept.
// - Every string is cleaned: any byte outside printable ASCII (control bytes such as ESC and NUL, DEL, and
//   bytes >= 0x80) becomes '?', so a hostile certificate cannot carry terminal escapes into a report.
//   Names are printed per RFC 2253, which already escapes control and non-ASCII bytes as "\XX".
// - self_signed means "issued by its own key": issuer == subject and the signature verifies with the
//   certificate's own public key. Nothing is said about trust, chains or host names.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ghostport::probes {

struct CertFacts {
    std::string subject;  // RFC 2253 one line: "CN=lab.test,O=ghostport"
    std::string issuer;   // RFC 2253 one line
    // Subject alternative names in certificate order, ';'-separated: "DNS:a;DNS:b;IP:198.18.0.10;
    // email:x@y;URI:...;DirName:<RFC 2253>"; other name kinds are left out. A ';' inside a value becomes '?'.
    std::string san;
    std::string not_after;                               // ISO 8601 UTC: "2027-01-01T00:00:00Z"
    std::chrono::system_clock::time_point not_after_at;  // the same instant
    std::string fingerprint;                             // "sha256:<64 lowercase hex>" of the DER
    bool self_signed = false;
};

// The facts of the one DER-encoded X.509 certificate that is exactly `der`; nullopt if `der` is not one
// (unparseable, trailing bytes, larger than 1 MiB, or an unreadable notAfter).
std::optional<CertFacts> cert_facts(std::string_view der);

}  // namespace ghostport::probes
