// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/service_aliases.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "real_files.hpp"

using ghostport::core::ServiceInfo;
using ghostport::registry::agrees_with;
using ghostport::registry::AliasSource;
using ghostport::registry::AliasWrap;
using ghostport::registry::detected_service;
using ghostport::registry::DetectedService;
using ghostport::registry::service_aliases;
namespace t = ghostport::registry::testing;

namespace {

ServiceInfo service(std::string name, std::string tls = "") {
    ServiceInfo s;
    s.name = std::move(name);
    s.tls = std::move(tls);
    return s;
}

}  // namespace

TEST(ServiceAliases, TlsFormsReadAsTheInnerServiceInsideTls) {
    // DetectedService views the ServiceInfo's name: the ServiceInfo must outlive it.
    const ServiceInfo http = service("http"), https = service("http", "TLSv1.3");
    const DetectedService plain = detected_service(http);
    EXPECT_EQ(plain.name, "http");
    EXPECT_FALSE(plain.tls);
    const DetectedService wrapped = detected_service(https);
    EXPECT_EQ(wrapped.name, "http");
    EXPECT_TRUE(wrapped.tls);
    // A STARTTLS upgrade starts in the clear: not implicit TLS.
    EXPECT_FALSE(detected_service(service("smtp", "STARTTLS TLSv1.3")).tls);
    for (std::string_view name : {"https", "ssl/http"}) {
        const ServiceInfo info = service(std::string(name));
        const DetectedService d = detected_service(info);
        EXPECT_EQ(d.name, "http") << name;
        EXPECT_TRUE(d.tls) << name;
    }
    EXPECT_EQ(detected_service(service("imaps")).name, "imap");
    EXPECT_EQ(detected_service(service("ipps")).name, "ipp");  // not http: the HTTP group is last
    EXPECT_EQ(detected_service(service("docker-s")).name, "docker");
    EXPECT_EQ(detected_service(service("ssl")).name, "ssl");
}

TEST(ServiceAliases, HttpsSslHttpAndHttpOverTlsAllAgreeWithHttps) {
    for (const ServiceInfo& s : {service("https"), service("ssl/http"), service("http", "TLSv1.2")})
        EXPECT_TRUE(agrees_with(detected_service(s), "https")) << s.name << " " << s.tls;
    EXPECT_FALSE(agrees_with(detected_service(service("http")), "https"));  // plain HTTP on 443
    EXPECT_FALSE(agrees_with(detected_service(service("http", "STARTTLS TLSv1.3")), "https"));
}

TEST(ServiceAliases, PlainAliasesAgreeWithOrWithoutTls) {
    EXPECT_TRUE(agrees_with(detected_service(service("http")), "www"));
    EXPECT_TRUE(agrees_with(detected_service(service("http", "TLSv1.3")), "http-alt"));
    EXPECT_TRUE(agrees_with(detected_service(service("smtp")), "submission"));
    EXPECT_TRUE(agrees_with(detected_service(service("smtp", "STARTTLS TLSv1.3")), "smtp"));
    EXPECT_TRUE(agrees_with(detected_service(service("memcached")), "memcache"));
    EXPECT_TRUE(agrees_with(detected_service(service("ssh")), "SSH"));  // any case
    EXPECT_TRUE(agrees_with(detected_service(service("kafka")), "kafka"));
    EXPECT_FALSE(agrees_with(detected_service(service("kafka")), "XmlIpcRegSvc"));
    EXPECT_FALSE(agrees_with(detected_service(service("ssh")), "http"));
    EXPECT_FALSE(agrees_with(detected_service(service("http")), ""));
}

TEST(ServiceAliases, TlsAliasesNeedTls) {
    const std::pair<std::string_view, std::string_view> pairs[] = {
        {"imap", "imaps"},      {"pop3", "pop3s"},    {"smtp", "submissions"}, {"smtp", "smtps"},
        {"ldap", "ldaps"},      {"ftp", "ftps"},      {"mqtt", "secure-mqtt"}, {"amqp", "amqps"},
        {"nntp", "nntps"},      {"irc", "ircs-u"},    {"docker", "docker-s"},  {"sip", "sips"},
        {"domain", "domain-s"}, {"telnet", "telnets"}};
    for (const auto& [name, tls_name] : pairs) {
        EXPECT_TRUE(agrees_with(detected_service(service(std::string(name), "TLSv1.3")), tls_name)) << name;
        EXPECT_FALSE(agrees_with(detected_service(service(std::string(name))), tls_name)) << name;
    }
}

TEST(ServiceAliases, SslAgreesWithTlsNamesOnly) {
    EXPECT_TRUE(agrees_with(detected_service(service("ssl", "TLSv1.3")), "https"));
    EXPECT_TRUE(agrees_with(detected_service(service("ssl", "TLSv1.3")), "imaps"));
    EXPECT_FALSE(agrees_with(detected_service(service("ssl", "TLSv1.3")), "http"));
    EXPECT_FALSE(agrees_with(detected_service(service("ssl", "TLSv1.3")), "ssh"));
}

TEST(ServiceAliases, TableIsLowerCaseWithoutRepeats) {
    std::set<std::pair<std::string_view, std::string_view>> seen;
    for (const auto& a : service_aliases) {
        EXPECT_TRUE(seen.emplace(a.detected, a.registered).second) << a.detected << " " << a.registered;
        EXPECT_NE(a.detected, a.registered);  // identical names agree without the table
        for (std::string_view s : {a.detected, a.registered})
            EXPECT_TRUE(std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) << s;
    }
}

// Every IANA name of the table is a service name of the real registry, on a port (the services(5) ones are
// Debian's and must not be IANA's, or they are marked wrongly).
TEST(ServiceAliases, IanaNamesAreInTheRealRegistry) {
    GHOSTPORT_SKIP_UNLESS(t::iana_2025_path);
    std::set<std::string> names;
    for (const auto& r : t::iana_2025().records()) {
        if (!r.has_port || r.service_name.empty()) continue;
        std::string lower = r.service_name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        names.insert(lower);
    }
    for (const auto& a : service_aliases) {
        if (a.source == AliasSource::iana)
            EXPECT_TRUE(names.contains(std::string(a.registered)))
                << a.registered << " is not in IANA's registry";
        else
            EXPECT_FALSE(names.contains(std::string(a.registered)))
                << a.registered << " is IANA's: mark it iana";
    }
}
