// SPDX-License-Identifier: GPL-2.0-or-later
// Certificate facts from DER (see tls_facts.hpp).
#include "probes/tls_facts.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <memory>

namespace ghostport::probes {
namespace detail {
namespace {

struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
struct NamesFree {
    void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};

// `s` with every byte outside printable ASCII (0x20..0x7e) replaced by '?'.
std::string clean(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
    return out;
}

// `name` as one RFC 2253 line, cleaned; "" if OpenSSL cannot print it.
std::string rfc2253(const X509_NAME* name) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    if (len <= 0 || data == nullptr) return {};
    return clean(std::string_view(data, static_cast<std::size_t>(len)));
}

// The bytes of an ASN.1 string, cleaned, with ';' (our list separator) replaced by '?'.
std::string san_value(const ASN1_STRING* s) {
    if (s == nullptr) return {};
    std::string v = clean(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                           static_cast<std::size_t>(ASN1_STRING_length(s))));
    for (char& c : v)
        if (c == ';') c = '?';
    return v;
}

// An iPAddress SAN: 4 bytes as dotted IPv4, 16 as RFC 5952 IPv6; any other length as "?".
std::string ip_text(const ASN1_OCTET_STRING* s) {
    char text[INET6_ADDRSTRLEN] = {};
    int len = ASN1_STRING_length(s);
    const unsigned char* p = ASN1_STRING_get0_data(s);
    if (len == 4 && inet_ntop(AF_INET, p, text, sizeof text) != nullptr) return text;
    if (len == 16 && inet_ntop(AF_INET6, p, text, sizeof text) != nullptr) return text;
    return "?";
}

// The subject alternative names, ';'-separated (see CertFacts::san); "" when there are none.
std::string sans(const X509* cert) {
    std::unique_ptr<GENERAL_NAMES, NamesFree> names(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    if (!names) return {};
    std::string out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
        std::string item;
        switch (gn->type) {
            case GEN_DNS:
                item = "DNS:" + san_value(gn->d.dNSName);
                break;
            case GEN_IPADD:
                item = "IP:" + ip_text(gn->d.iPAddress);
                break;
            case GEN_EMAIL:
                item = "email:" + san_value(gn->d.rfc822Name);
                break;
            case GEN_URI:
                item = "URI:" + san_value(gn->d.uniformResourceIdentifier);
                break;
            case GEN_DIRNAME: {
                std::string dn = rfc2253(gn->d.directoryName);
                for (char& c : dn)
                    if (c == ';') c = '?';
                item = "DirName:" + dn;
                break;
            }
            default:
                continue;  // otherName, x400Address, ediPartyName, registeredID
        }
        if (!out.empty()) out += ';';
        out += item;
    }
    return out;
}

}  // namespace
}  // namespace detail

std::optional<CertFacts> cert_facts(std::string_view der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    const unsigned char* const end = p + der.size();
    if (der.empty() || der.size() > 1024 * 1024) return std::nullopt;
    std::unique_ptr<X509, detail::X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert || p != end) {
        ERR_clear_error();
        return std::nullopt;
    }
    CertFacts f;
    const ASN1_TIME* not_after = X509_get0_notAfter(cert.get());
    std::tm tm{};
    if (not_after == nullptr || ASN1_TIME_to_tm(not_after, &tm) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    char iso[80];
    std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    f.not_after = iso;
    f.not_after_at = std::chrono::system_clock::from_time_t(timegm(&tm));

    f.subject = detail::rfc2253(X509_get_subject_name(cert.get()));
    f.issuer = detail::rfc2253(X509_get_issuer_name(cert.get()));
    f.san = detail::sans(cert.get());

    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), digest.data());
    static constexpr char hex[] = "0123456789abcdef";
    f.fingerprint = "sha256:";
    for (unsigned char b : digest) {
        f.fingerprint += hex[b >> 4];
        f.fingerprint += hex[b & 15];
    }

    EVP_PKEY* key = X509_get0_pubkey(cert.get());  // owned by the certificate
    f.self_signed = X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) == 0 &&
                    key != nullptr && X509_verify(cert.get(), key) == 1;
    ERR_clear_error();
    return f;
}

}  // namespace ghostport::probes
