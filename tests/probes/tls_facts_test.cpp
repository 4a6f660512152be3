// SPDX-License-Identifier: GPL-2.0-or-later
// Certificate facts: certificates made here at run time with the OpenSSL API (self-signed, CA-signed,
// expired, with SANs, with hostile bytes in names), and inputs that are not one DER certificate.
#include "probes/tls_facts.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace gp = ghostport::probes;

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, PkeyFree>;

Key make_key() {
    return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

struct San {
    int type;  // GEN_DNS, GEN_IPADD, GEN_EMAIL, GEN_URI
    std::string value;
};

struct CertSpec {
    std::vector<std::pair<std::string, std::string>> subject;  // (field, UTF-8 value), in DER order
    std::vector<std::pair<std::string, std::string>> issuer;   // empty: same as subject
    std::string not_after = "20510607080910Z";
    std::vector<San> sans;
};

X509_NAME* make_name(const std::vector<std::pair<std::string, std::string>>& fields) {
    X509_NAME* name = X509_NAME_new();
    for (const auto& [field, value] : fields)
        EXPECT_EQ(X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                             reinterpret_cast<const unsigned char*>(value.data()),
                                             static_cast<int>(value.size()), -1, 0),
                  1);
    return name;
}

// A certificate for `subject_key`, signed with `signer`, as DER.
std::string make_cert(const CertSpec& spec, EVP_PKEY* subject_key, EVP_PKEY* signer) {
    std::unique_ptr<X509, X509Free> x(X509_new());
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 4242);
    X509_NAME* subject = make_name(spec.subject);
    X509_NAME* issuer = make_name(spec.issuer.empty() ? spec.subject : spec.issuer);
    X509_set_subject_name(x.get(), subject);
    X509_set_issuer_name(x.get(), issuer);
    X509_NAME_free(subject);
    X509_NAME_free(issuer);
    EXPECT_EQ(ASN1_TIME_set_string_X509(X509_getm_notBefore(x.get()), "20190101000000Z"), 1);
    EXPECT_EQ(ASN1_TIME_set_string_X509(X509_getm_notAfter(x.get()), spec.not_after.c_str()), 1);
    X509_set_pubkey(x.get(), subject_key);
    if (!spec.sans.empty()) {
        GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
        for (const auto& s : spec.sans) {
            GENERAL_NAME* gn = GENERAL_NAME_new();
            ASN1_STRING* v = s.type == GEN_IPADD ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
            ASN1_STRING_set(v, s.value.data(), static_cast<int>(s.value.size()));
            GENERAL_NAME_set0_value(gn, s.type, v);
            sk_GENERAL_NAME_push(names, gn);
        }
        EXPECT_EQ(X509_add1_ext_i2d(x.get(), NID_subject_alt_name, names, 0, 0), 1);
        GENERAL_NAMES_free(names);
    }
    EXPECT_GT(X509_sign(x.get(), signer, EVP_sha256()), 0);
    unsigned char* der = nullptr;
    int len = i2d_X509(x.get(), &der);
    EXPECT_GT(len, 0);
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

// The SHA-256 of `der` in lowercase hex, by way of X509_digest (not the code under test's path).
std::string x509_sha256(const std::string& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<X509, X509Free> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    std::array<unsigned char, 32> md{};
    unsigned int n = 0;
    EXPECT_EQ(X509_digest(x.get(), EVP_sha256(), md.data(), &n), 1);
    std::string hex;
    char buf[3];
    for (unsigned i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", md[i]);
        hex += buf;
    }
    return hex;
}

bool printable(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

}  // namespace

TEST(TlsFacts, SelfSigned) {
    Key key = make_key();
    ASSERT_TRUE(key);
    CertSpec spec;
    spec.subject = {{"O", "ghostport"}, {"CN", "lab.test"}};
    std::string der = make_cert(spec, key.get(), key.get());
    auto f = gp::cert_facts(der);
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->subject, "CN=lab.test,O=ghostport");
    EXPECT_EQ(f->issuer, "CN=lab.test,O=ghostport");
    EXPECT_EQ(f->san, "");
    EXPECT_EQ(f->not_after, "2051-06-07T08:09:10Z");
    EXPECT_EQ(f->not_after_at, std::chrono::system_clock::from_time_t(2569738150));
    EXPECT_EQ(f->fingerprint, "sha256:" + x509_sha256(der));
    EXPECT_EQ(f->fingerprint.size(), 7u + 64u);
    EXPECT_TRUE(f->self_signed);
}

TEST(TlsFacts, SignedByCaWithSans) {
    Key ca = make_key();
    Key leaf = make_key();
    CertSpec spec;
    spec.subject = {{"C", "ZZ"}, {"O", "ghostport"}, {"CN", "www.lab.test"}};
    spec.issuer = {{"O", "ghostport"}, {"CN", "Lab CA"}};
    spec.sans = {
        {GEN_DNS, "www.lab.test"},
        {GEN_DNS, "lab.test"},
        {GEN_IPADD, std::string("\xc6\x12\x00\x0a", 4)},
        {GEN_IPADD, std::string("\x20\x01\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 16)},
        {GEN_EMAIL, "ops@lab.test"},
        {GEN_URI, "https://lab.test/"}};
    std::string der = make_cert(spec, leaf.get(), ca.get());
    auto f = gp::cert_facts(der);
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->subject, "CN=www.lab.test,O=ghostport,C=ZZ");
    EXPECT_EQ(f->issuer, "CN=Lab CA,O=ghostport");
    EXPECT_EQ(f->san,
              "DNS:www.lab.test;DNS:lab.test;IP:198.18.0.10;IP:2001:2::1;email:ops@lab.test;"
              "URI:https://lab.test/");
    EXPECT_FALSE(f->self_signed);
}

TEST(TlsFacts, SameNamesButAnotherKeyIsNotSelfSigned) {
    Key key = make_key();
    Key other = make_key();
    CertSpec spec;
    spec.subject = {{"CN", "imposter.lab.test"}};
    auto f = gp::cert_facts(make_cert(spec, key.get(), other.get()));
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->subject, f->issuer);
    EXPECT_FALSE(f->self_signed);
}

TEST(TlsFacts, Expired) {
    Key key = make_key();
    CertSpec spec;
    spec.subject = {{"CN", "old.lab.test"}};
    spec.not_after = "200102030405Z";  // UTCTime
    auto f = gp::cert_facts(make_cert(spec, key.get(), key.get()));
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->not_after, "2020-01-02T03:04:05Z");
    EXPECT_EQ(f->not_after_at, std::chrono::system_clock::from_time_t(1577934245));
    EXPECT_LT(f->not_after_at, std::chrono::system_clock::now());
}

TEST(TlsFacts, HostileBytesAreCleaned) {
    Key key = make_key();
    CertSpec spec;
    const std::string hostile("\x1b]0;pwned\x07\x1b[2J\x00tail\r\n\x7f", 22);
    spec.subject = {{"O", "caf\xc3\xa9"}, {"CN", hostile}};
    spec.sans = {{GEN_DNS, "evil\x1b[31m;IP:203.0.113.9"},
                 {GEN_DNS, std::string("nul\x00\x9b", 5)},
                 {GEN_IPADD, "\x01\x02\x03"}};
    auto f = gp::cert_facts(make_cert(spec, key.get(), key.get()));
    ASSERT_TRUE(f.has_value());
    EXPECT_TRUE(printable(f->subject)) << f->subject;
    EXPECT_TRUE(printable(f->issuer));
    EXPECT_TRUE(printable(f->san)) << f->san;
    EXPECT_NE(f->subject.find("pwned"), std::string::npos);
    EXPECT_NE(f->subject.find("tail"), std::string::npos);
    EXPECT_EQ(f->san, "DNS:evil?[31m?IP:203.0.113.9;DNS:nul??;IP:?");  // the ';' cannot add an entry
}

TEST(TlsFacts, NotOneCertificate) {
    Key key = make_key();
    CertSpec spec;
    spec.subject = {{"CN", "lab.test"}};
    std::string der = make_cert(spec, key.get(), key.get());
    EXPECT_FALSE(gp::cert_facts("").has_value());
    EXPECT_FALSE(gp::cert_facts("hello, not DER").has_value());
    EXPECT_FALSE(gp::cert_facts(der + '\0').has_value());
    for (std::size_t cut = 0; cut < der.size(); ++cut)
        EXPECT_FALSE(gp::cert_facts(der.substr(0, cut))) << cut;
    std::mt19937 rng(7);
    int parsed = 0;
    for (int round = 0; round < 2000; ++round) {
        std::string m = der;
        m[rng() % m.size()] = static_cast<char>(rng());
        auto f = gp::cert_facts(m);
        if (f) {
            ++parsed;
            EXPECT_TRUE(printable(f->subject) && printable(f->issuer) && printable(f->san));
        }
    }
    EXPECT_GT(parsed, 0);  // a byte changed in the key or signature still parses
}
