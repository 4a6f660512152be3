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
