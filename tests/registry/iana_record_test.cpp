// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/iana_record.hpp"

#include <gtest/gtest.h>

using ghostport::core::RegistryStatus;
using ghostport::registry::IanaRecord;
using ghostport::registry::is_secondary_name;
using ghostport::registry::record_status;

namespace {
IanaRecord unnamed(std::string description) {
    IanaRecord r;
    r.description = std::move(description);
    return r;
}
}  // namespace

TEST(IanaRecord, UnnamedRecordsAreUnassignedOrReservedWhateverTheSuffix) {
    EXPECT_EQ(record_status(unnamed("Unassigned")), RegistryStatus::unassigned);
    EXPECT_EQ(record_status(unnamed("unassigned")), RegistryStatus::unassigned);
    EXPECT_EQ(record_status(unnamed("Unassigned [was netstat]")), RegistryStatus::unassigned);
    EXPECT_EQ(record_status(unnamed("Unassigned (FRP-Released 12/7/00)")), RegistryStatus::unassigned);
    EXPECT_EQ(record_status(unnamed("De-registered")), RegistryStatus::unassigned);
    EXPECT_EQ(record_status(unnamed("Removed")), RegistryStatus::unassigned);
    EXPECT_EQ(record_status(unnamed("Reserved")), RegistryStatus::reserved);
    EXPECT_EQ(record_status(unnamed("Reserved - IANA")), RegistryStatus::reserved);
    EXPECT_EQ(record_status(unnamed("any private mail system")), RegistryStatus::reserved);
}

TEST(IanaRecord, NamedRecordsAreAssigned) {
    IanaRecord r = unnamed("Reserved for a future enhancement");
    r.service_name = "stun-behaviors";
    EXPECT_EQ(record_status(r), RegistryStatus::assigned);
}

TEST(IanaRecord, CoversItsRange) {
    IanaRecord r;
    EXPECT_FALSE(r.covers(0));  // no port
    r.has_port = true;
    r.port_lo = 225;
    r.port_hi = 241;
    EXPECT_TRUE(r.covers(225));
    EXPECT_TRUE(r.covers(241));
    EXPECT_FALSE(r.covers(224));
    EXPECT_FALSE(r.covers(242));
}

TEST(IanaRecord, SecondaryNamesFromAssignmentNotes) {
    IanaRecord r;
    r.service_name = "whois++";
    r.assignment_notes = "This entry is an alias to \"whoispp\".\nThis entry is now historic, not usable";
    EXPECT_TRUE(is_secondary_name(r));
    r.assignment_notes = "This is a duplicate of the \"http\" service and should not be used";
    EXPECT_TRUE(is_secondary_name(r));
    r.assignment_notes = "Defined TXT keys: u=<username> p=<password>";
    EXPECT_FALSE(is_secondary_name(r));
}
