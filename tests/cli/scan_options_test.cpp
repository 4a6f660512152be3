// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/scan_options.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using ghostport::cli::parse_umask;
using ghostport::cli::report_file_mode;

// --umask may add group or other read to a report, never write: a report says what listens where, and a
// writable one could be changed under the next run that reads it as a baseline.
TEST(ScanOptions, UmaskAddsReadNeverWrite) {
    EXPECT_EQ(report_file_mode(parse_umask("077")), 0600u);
    EXPECT_EQ(report_file_mode(parse_umask("027")), 0640u);
    EXPECT_EQ(report_file_mode(parse_umask("022")), 0644u);
    EXPECT_EQ(report_file_mode(parse_umask("000")), 0644u) << "never group or other write";
    EXPECT_EQ(report_file_mode(parse_umask("002")), 0644u);
    EXPECT_EQ(report_file_mode(parse_umask("0777")), 0600u) << "the owner always reads and writes";
    EXPECT_THROW(parse_umask("8"), ghostport::core::InputError);
    EXPECT_THROW(parse_umask(""), ghostport::core::InputError);
}

// --show: open|filtered (or open-filtered) is a state of its own, in `all`; by default it is shown when
// UDP is scanned (as nmap does), never otherwise.
TEST(ScanOptions, ShowOpenFiltered) {
    using ghostport::cli::parse_show;
    EXPECT_TRUE(parse_show({"open|filtered"}).open_filtered);
    EXPECT_FALSE(parse_show({"open|filtered"}).open);
    EXPECT_TRUE(parse_show({"open-filtered"}).open_filtered);
    const auto all = parse_show({"all"});
    EXPECT_TRUE(all.open && all.closed && all.filtered && all.open_filtered);
    EXPECT_FALSE(parse_show({}).open_filtered);
    EXPECT_TRUE(parse_show({}).open);
    EXPECT_TRUE(parse_show({}, true).open_filtered);
    EXPECT_TRUE(parse_show({}, true).open);
    EXPECT_FALSE(parse_show({"open"}, true).open_filtered) << "an explicit --show wins";
    EXPECT_FALSE(parse_show({"filtered"}).open_filtered);
    EXPECT_THROW(parse_show({"open/filtered"}), ghostport::core::InputError);
}
