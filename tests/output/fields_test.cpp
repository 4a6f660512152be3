// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/fields.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace ghostport::output::detail;

TEST(Fields, RowFieldNamesAreTheCsvHeader) {
    std::string joined;
    for (std::string_view name : row_field_names) joined += (joined.empty() ? "" : ",") + std::string(name);
    EXPECT_EQ(joined,
              "host,hostname,port,proto,state,reason,port_range,service,description,known_as,registry_status,"
              "prevalence,rarity,labels,rtt_ms,scanned_at,detected_service,product,version,extra_info,tls,"
              "cert_subject,cert_san,cert_issuer,cert_not_after,fingerprint,cpe,banner,hosts_open");
}

TEST(Fields, LayoutsArePrefixesAndServiceFieldsLineUp) {
    EXPECT_EQ(row_field_layouts.front(), 16u);
    EXPECT_EQ(row_field_layouts.back(), row_field_names.size());
    for (std::size_t i = 1; i < row_field_layouts.size(); ++i)
        EXPECT_LT(row_field_layouts[i - 1], row_field_layouts[i]);
    EXPECT_EQ(row_field_names[field_index("scanned_at")], "scanned_at");
    EXPECT_EQ(service_fields_begin, 16u);
    // Each member pointer names the field in the same position.
    ghostport::core::ServiceInfo info;
    for (std::size_t i = 0; i < service_field_members.size(); ++i)
        info.*service_field_members[i] = std::string(row_field_names[service_fields_begin + i]);
    EXPECT_EQ(info.name, "detected_service");
    EXPECT_EQ(info.product, "product");
    EXPECT_EQ(info.extra_info, "extra_info");
    EXPECT_EQ(info.cert_not_after, "cert_not_after");
    EXPECT_EQ(info.cpe, "cpe");
    EXPECT_EQ(info.banner, "banner");
}

TEST(Fields, PrevalenceHasUpToSixSignificantDigits) {
    EXPECT_EQ(format_prevalence(0.0), "0");
    EXPECT_EQ(format_prevalence(1.0), "1");
    EXPECT_EQ(format_prevalence(0.31), "0.31");
    EXPECT_EQ(format_prevalence(0.123456789), "0.123457");
    EXPECT_EQ(format_prevalence(0.000012), "1.2e-05");
    EXPECT_EQ(format_prevalence(std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(Fields, RarityHasOneDecimal) {
    EXPECT_EQ(format_rarity(0.0), "0.0");
    EXPECT_EQ(format_rarity(9.66), "9.7");
    EXPECT_EQ(format_rarity(10.0), "10.0");
    EXPECT_EQ(format_rarity(0.25), "0.2");  // exact binary tie: round half to even
}

TEST(Fields, RttIsMillisecondsWithThreeDecimals) {
    EXPECT_EQ(format_rtt_ms(0), "0.000");
    EXPECT_EQ(format_rtt_ms(7), "0.007");
    EXPECT_EQ(format_rtt_ms(412), "0.412");
    EXPECT_EQ(format_rtt_ms(12345), "12.345");
    EXPECT_EQ(format_rtt_ms(4294967295u), "4294967.295");
}

TEST(Fields, GroupsThousands) {
    EXPECT_EQ(group_thousands(0), "0");
    EXPECT_EQ(group_thousands(999), "999");
    EXPECT_EQ(group_thousands(1000), "1,000");
    EXPECT_EQ(group_thousands(61230), "61,230");
    EXPECT_EQ(group_thousands(1234567), "1,234,567");
    EXPECT_EQ(group_thousands(18446744073709551615ull), "18,446,744,073,709,551,615");
}

TEST(Fields, DetectedTextForPeople) {
    ghostport::core::ServiceInfo s;
    EXPECT_EQ(detected_text(s), "-");
    s.name = "ssh";
    s.product = "OpenSSH";
    s.version = "9.2p1";
    EXPECT_EQ(detected_text(s), "ssh OpenSSH 9.2p1");
    s = {};
    s.name = "http";
    s.product = "nginx";
    s.version = "1.22.1";
    s.tls = "TLSv1.3";
    EXPECT_EQ(detected_text(s), "ssl/http nginx 1.22.1");
    s.tls = "STARTTLS TLSv1.3";  // upgraded in band: no ssl/ prefix
    s.name = "smtp";
    s.product = "Postfix smtpd";
    s.version = "";
    EXPECT_EQ(detected_text(s), "smtp Postfix smtpd");
    s = {};
    s.name = "ssl";  // TLS with nothing recognised inside
    s.tls = "TLSv1.2";
    EXPECT_EQ(detected_text(s), "ssl");
    s = {};
    s.name = "tcpwrapped";
    EXPECT_EQ(detected_text(s), "tcpwrapped");
}
