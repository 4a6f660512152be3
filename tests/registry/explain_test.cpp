// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/explain.hpp"

#include <gtest/gtest.h>

#include "real_files.hpp"

using ghostport::core::Proto;
using ghostport::core::RegistryStatus;
using ghostport::registry::explain;
using ghostport::registry::Prevalence;
using ghostport::registry::Registry;
using ghostport::registry::render_explanation;
namespace core = ghostport::core;
namespace t = ghostport::registry::testing;

namespace {

const Registry& registry() {
    static const Registry r = Registry::from_iana_csv(
        "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,"
        "Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes\n"
        "finger,79,tcp,Finger,[David],[David],,2020-01-02,[RFC1288],,Unauthorized use by some mail users,\n"
        "fing_er,79,tcp,Finger,[David],[David],,,,,,\"This entry is an alias to \"\"finger\"\".\nSecond "
        "line\"\n"
        "lonely,4000,tcp,Lonely,,,,,,,,\n"
        ",4001,,Unassigned,,,,,,,,\n",
        "iana.csv");
    return r;
}

const Prevalence& prevalence() {
    static const Prevalence p =
        Prevalence::parse("finger\t79/tcp\t0.006022\nlonely\t4000/tcp\t0.000000\n", "prev.txt");
    return p;
}

void expect_contains(const std::string& text, std::string_view part) {
    EXPECT_NE(text.find(part), std::string::npos) << "missing \"" << part << "\" in:\n" << text;
}

}  // namespace

TEST(Explain, GathersRecordsPrevalenceAndRarity) {
    const auto e = explain(registry(), &prevalence(), 79, Proto::tcp);
    EXPECT_EQ(e.port, 79);
    EXPECT_EQ(e.info.status, RegistryStatus::assigned);
    EXPECT_EQ(e.info.records.size(), 2u);
    ASSERT_NE(e.prevalence, nullptr);
    EXPECT_DOUBLE_EQ(e.prevalence->frequency, 0.006022);
    EXPECT_TRUE(e.rarity_if_open.labels & core::label_unauthorized_use_reported);
    EXPECT_FALSE(e.rarity_if_open.labels & core::label_ghost);
}

TEST(Explain, RendersEveryRecordAndField) {
    const auto e = explain(registry(), &prevalence(), 79, Proto::tcp);
    const std::string text = render_explanation(e, registry(), &prevalence());
    expect_contains(text, "79/tcp is registered to finger.");
    expect_contains(text, "Registry: iana.csv (IANA CSV, snapshot 2020-01-02)");
    expect_contains(text, "Records covering 79/tcp (2):");
    expect_contains(text, "finger 79/tcp [primary]");
    expect_contains(text, "fing_er 79/tcp");
    expect_contains(text, "[David]");
    expect_contains(text, "[RFC1288]");
    expect_contains(text, "2020-01-02");
    expect_contains(text, "unauthorized use: Unauthorized use by some mail users");
    expect_contains(text, "This entry is an alias to \"finger\".\n                      Second line");
    expect_contains(text, "Observed open-frequency 0.006022 (1 in 170 hosts) in prev.txt (listed as finger)");
    expect_contains(text, "An open 79/tcp is not a ghost:");
    EXPECT_EQ(text.find("lists no"), std::string::npos);
    EXPECT_EQ(text.back(), '\n');
}

TEST(Explain, RendersMissingFieldsAndGhosts) {
    std::string text =
        render_explanation(explain(registry(), &prevalence(), 4000, Proto::tcp), registry(), &prevalence());
    expect_contains(text, "The registry lists no reference and no assignee for lonely.");
    expect_contains(text, "Observed open-frequency 0 in prev.txt");
    expect_contains(text, "Rarity if open: 9.5 / 10");
    expect_contains(text, "An open 4000/tcp is a ghost:");

    text = render_explanation(explain(registry(), nullptr, 4001, Proto::udp), registry(), nullptr);
    expect_contains(text, "4001/udp is unassigned in the registry.");
    expect_contains(text, "(no name) 4001/all");
    expect_contains(text, "no prevalence file");
    expect_contains(text, "Rarity if open: unknown (no prevalence data");
    expect_contains(text, "An open 4001/udp is a ghost:");  // unassigned needs no prevalence
    expect_contains(text, "  - IANA: unassigned");

    text =
        render_explanation(explain(registry(), &prevalence(), 4002, Proto::tcp), registry(), &prevalence());
    expect_contains(text, "4002/tcp is not listed in the registry.");
    expect_contains(text, "Observed open-frequency 0: 4002/tcp is not listed in prev.txt");
}

TEST(ExplainReal, IsisAmIsAGhost) {
    GHOSTPORT_SKIP_UNLESS(t::iana_2025_path);
    GHOSTPORT_SKIP_UNLESS(t::nmap_services_path);
    const auto e = explain(t::iana_2025(), &t::nmap_services(), 1642, Proto::tcp);
    EXPECT_GE(e.rarity_if_open.score, 9.0);
    const std::string text = render_explanation(e, t::iana_2025(), &t::nmap_services());
    expect_contains(text, "1642/tcp is registered to isis-am.");
    expect_contains(text, "The registry lists no reference and no assignee for isis-am.");
    expect_contains(text, "Observed open-frequency 0 in " + t::nmap_services_path);
    expect_contains(text, "Rarity if open: 9.5 / 10");
    expect_contains(text, "An open 1642/tcp is a ghost:");
    expect_contains(text, "  - IANA: assigned");
    expect_contains(text, "  - observed open-frequency 0");
    expect_contains(text, "snapshot 2025-03-28");
}

TEST(Explain, APortNamedOnlyByEtcServicesSaysSo) {
    Registry reg = Registry::from_iana_csv(
        "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,"
        "Modification Date,Reference,Service Code,Known Unauthorized Uses,Assignment Notes\n"
        ",6370-6381,,Unassigned,,,,2014-07-09,,,,\n",
        "iana.csv");
    reg.fill_from(Registry::from_services("redis 6379/tcp\n", "/etc/services"));
    const auto e = explain(reg, nullptr, 6379, Proto::tcp);
    EXPECT_EQ(e.info.status, RegistryStatus::services_file);
    EXPECT_FALSE(e.rarity_if_open.labels & core::label_unassigned);  // rarity treats it like assigned
    const std::string text = render_explanation(e, reg, nullptr);
    expect_contains(text, "6379/tcp is not named by the IANA registry; /etc/services names it redis.");
    expect_contains(text, "Registry: iana.csv (IANA CSV, snapshot 2014-07-09) + /etc/services for 1 port\n");
    EXPECT_EQ(text.find("lists no"), std::string::npos);
    expect_contains(text, "redis 6379/tcp [primary]  (/etc/services line 1)\n");
}
