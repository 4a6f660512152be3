#include "output/fields.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace ghostport::output::detail;

TEST(Fields, RowFieldNamesAreTheCsvHeader) {
    std::string joined;
    for (std::string_view name : row_field_names) joined += (joined.empty() ? "" : ",") + std::string(name);
    EXPECT_EQ(joined,
              "host,hostname,port,proto,state,reason,port_range,service,description,known_as,registry_status,"
              "prevalence,rarity,labels,rtt_ms,scanned_at");
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
