// SPDX-License-Identifier: GPL-2.0-or-later
// The readers of earlier reports: the JSON reader, the CSV change column, and report files in a folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "output/csv_sink.hpp"
#include "output/json_sink.hpp"
#include "output/order.hpp"
#include "output/report_file.hpp"
#include "sample_report.hpp"

using namespace ghostport;
using namespace ghostport::output;
namespace fs = std::filesystem;

namespace {

std::string json_of(const core::Report& r) {
    std::ostringstream out;
    write_json(out, r);
    return out.str();
}

std::string csv_of(const core::Report& r) {
    std::ostringstream out;
    write_csv(out, r);
    return out.str();
}

core::Report with_baseline(core::Report r) {
    r.meta.baseline_source = "/var/lib/ghostport/audit-20261130.csv";
    r.meta.baseline_started_at = test::at(9, 0, 0, 0);
    r.meta.added = 1;
    r.meta.unchanged = 3;
    r.rows[0].change = core::Change::unchanged;
    r.rows[1].change = core::Change::unchanged;
    r.rows[2].change = core::Change::unchanged;
    r.rows[3].change = core::Change::added;
    r.rows[3].change_detail = "was closed";
    r.rows[3].label.labels |= core::label_expected;
    r.rows[3].expect_note = "the test rig";
    r.meta.expected = 1;
    return r;
}

std::string error_of(auto&& fn) {
    try {
        fn();
    } catch (const core::InputError& e) {
        return e.what();
    }
    return "no error";
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("gp-readers-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

}  // namespace

TEST(JsonReader, RoundTripsRowsAndSummary) {
    const auto original = with_baseline(test::sample_report());
    const core::Report back = read_json_report(json_of(original));
    EXPECT_EQ(json_of(back), json_of(original)) << "rows and every summary field survive a round trip";
    EXPECT_EQ(back.meta.seed, original.meta.seed);
    EXPECT_EQ(back.meta.started_at, original.meta.started_at);
    EXPECT_EQ(back.rows.size(), 4u);
}

TEST(JsonReader, RoundTripsAReportWithoutBaseline) {
    const auto original = test::sample_report();
    EXPECT_EQ(json_of(read_json_report(json_of(original))), json_of(original));
}

TEST(JsonReader, BadInputSaysWhichLine) {
    const std::string good = json_of(test::sample_report());
    EXPECT_EQ(error_of([] { read_json_report("{\"record\":\"port\"\n"); }), "line 1: not a JSON object");
    EXPECT_EQ(error_of([] { read_json_report("[1,2]\n"); }), "line 1: a JSON value that is not an object");
    EXPECT_EQ(error_of([] { read_json_report("{\"record\":\"port\",\"host\":\"198.18.0.1\"}\n"); }),
              "line 1: no \"hostname\" in the port record");
    EXPECT_EQ(error_of([] { read_json_report("{\"record\":\"nope\"}\n"); }),
              "line 1: record is not \"port\" or \"summary\" (not a ghostport JSON report)");
    // Truncated: the summary line is missing.
    const std::string truncated = good.substr(0, good.rfind("{\"record\":\"summary\""));
    EXPECT_EQ(error_of([&] { read_json_report(truncated); }),
              "no summary record: the JSON report is truncated or not ghostport's");
    EXPECT_EQ(error_of([&] { read_json_report(good + good); }), "line 6: a record after the summary");
    std::string bad_port = good;
    bad_port.replace(bad_port.find("\"port\":22"), 9, "\"port\":\"x\"");
    EXPECT_NE(error_of([&] { read_json_report(bad_port); }).find("bad port"), std::string::npos);
}

TEST(CsvChangeColumn, WrittenOnlyWithABaselineAndReadBack) {
    EXPECT_EQ(csv_of(test::sample_report()).find(",change\n"), std::string::npos);
    const auto original = with_baseline(test::sample_report());
    const std::string text = csv_of(original);
    EXPECT_NE(text.find(",scanned_at,detected_service,"), std::string::npos);
    EXPECT_NE(text.find(",banner,hosts_open,change\n"), std::string::npos);
    EXPECT_NE(text.find(",new\n"), std::string::npos);
    const auto rows = read_csv_report(text);
    ASSERT_EQ(rows.size(), 4u);
    std::size_t added = 0;
    for (const auto& r : rows) added += r.change == core::Change::added;
    EXPECT_EQ(added, 1u);
    std::string bad = text;
    bad.replace(bad.find(",new\n"), 5, ",newer\n");
    EXPECT_NE(error_of([&] { read_csv_report(bad); }).find("bad change \"newer\""), std::string::npos);
}

TEST(ReportFile, TellsJsonFromCsvByContent) {
    TempDir dir;
    const auto json_path = dir.write("a.report", json_of(test::sample_report()));
    const auto csv_path = dir.write("b.report", csv_of(test::sample_report()));
    EXPECT_EQ(read_report_file(json_path).meta.engine, "connect");
    EXPECT_EQ(read_report_file(csv_path).rows.size(), 4u);
    EXPECT_EQ(read_report_file(csv_path).meta.engine, "");
    const auto empty = dir.write("empty.csv", "\n  \n");
    EXPECT_EQ(error_of([&] { read_report_file(empty); }), empty + ": empty, not a report");
    const auto bad = dir.write("bad.csv", "host,port\n");
    EXPECT_EQ(error_of([&] { read_report_file(bad); }),
              bad + ": line 1: header has 2 fields, expected 16 or 28 or 29 (not a ghostport CSV report)");
    EXPECT_EQ(error_of([&] { read_report_file((dir.path / "missing.csv").string()); }),
              (dir.path / "missing.csv").string() + ": cannot read it");
    EXPECT_EQ(error_of([&] { read_report_file(dir.path.string()); }),
              dir.path.string() + ": a directory, not a report");
}

TEST(ReportFile, NewestReportInAFolder) {
    TempDir dir;
    EXPECT_EQ(newest_report_in(dir.path.string()), std::nullopt);
    const auto old_one = dir.write("audit-20261129.csv", "x");
    const auto new_one = dir.write("audit-20261130.json", "x");
    dir.write("audit-20261201.csv.partial", "x");
    dir.write(".audit-20261201.csv.tmp-1234", "x");
    dir.write("notes.txt", "x");
    fs::create_directory(dir.path / "sub.csv");
    const auto now = fs::file_time_type::clock::now();
    fs::last_write_time(old_one, now - std::chrono::hours(48));
    fs::last_write_time(new_one, now - std::chrono::hours(24));
    fs::last_write_time(dir.path / "audit-20261201.csv.partial", now);
    EXPECT_EQ(newest_report_in(dir.path.string()), new_one);
    EXPECT_NE(
        error_of([&] { newest_report_in((dir.path / "nope").string()); }).find("cannot list the folder"),
        std::string::npos);
}

// ---- service identification fields (scan -sV) and the layouts written before them ----

namespace {

// The report as a writer of the 16-column layout (before -sV) wrote it: each record cut to the first 16
// fields, plus the change column when there is one.
std::string legacy_csv_of(const core::Report& r, std::size_t kept = 16) {
    const std::string now = csv_of(r);
    core::CsvReader reader(now);
    std::vector<std::string> fields;
    std::string out;
    const bool change = r.meta.has_baseline();
    while (reader.next(fields)) {
        EXPECT_EQ(fields.size(), 29u + (change ? 1 : 0));
        for (std::size_t i = 0; i < kept; ++i) out += (i ? "," : "") + core::csv_field(fields[i]);
        if (change) out += "," + core::csv_field(fields.back());
        out += "\n";
    }
    return out;
}

// The rows with their service cleared, as a 16-column report reads.
core::Report without_service(core::Report r) {
    for (auto& row : r.rows) row.service = {};
    return r;
}

// A service string with every byte a CSV or a terminal cares about.
constexpr char hostile_bytes[] = "Open\"SSH\", \x1b[31mred\x1b[0m\r\nnew line\0nul,";
const std::string hostile = std::string(hostile_bytes, sizeof hostile_bytes - 1) + "\"";

}  // namespace

TEST(CsvServiceFields, RoundTripRowsToCsvAndBack) {
    const core::Report original = test::service_report();
    const std::string text = csv_of(original);
    EXPECT_NE(text.find(",ssh,OpenSSH,9.2p1 Debian 2+deb12u3,protocol 2.0,,,,,,ssh-ed25519 SHA256:"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(",http,nginx,1.22.1,,TLSv1.3,\"CN=lab.test,O=ghostport\",DNS:lab.test;IP:198.18.0.9,"
                        "\"CN=lab.test,O=ghostport\",2027-01-01T00:00:00Z,sha256:"),
              std::string::npos)
        << text;
    const auto rows = read_csv_report(text);
    ASSERT_EQ(rows.size(), 4u);
    core::Report back;
    back.rows = rows;
    EXPECT_EQ(csv_of(back), text);

    auto sorted = original.rows;
    sort_rows(sorted);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const core::ServiceInfo& a = rows[i].service;
        const core::ServiceInfo& b = sorted[i].service;
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.product, b.product);
        EXPECT_EQ(a.version, b.version);
        EXPECT_EQ(a.extra_info, b.extra_info);
        EXPECT_EQ(a.tls, b.tls);
        EXPECT_EQ(a.cert_subject, b.cert_subject);
        EXPECT_EQ(a.cert_san, b.cert_san);
        EXPECT_EQ(a.cert_issuer, b.cert_issuer);
        EXPECT_EQ(a.cert_not_after, b.cert_not_after);
        EXPECT_EQ(a.fingerprint, b.fingerprint);
        EXPECT_EQ(a.cpe, b.cpe);
        EXPECT_EQ(a.banner, b.banner);
        EXPECT_EQ(rows[i].label.labels, sorted[i].label.labels);  // borrowed, self-signed read back
        EXPECT_EQ(a.conversations, 0u) << "not a CSV column";
    }
}

TEST(CsvServiceFields, EveryEarlierLayoutStillLoads) {
    const core::Report plain = test::service_report();
    const core::Report changed = with_baseline(test::service_report());
    struct Layout {
        std::string name, text;
        std::size_t columns;
        bool service;
        bool change;
    };
    const std::vector<Layout> layouts{
        {"16", legacy_csv_of(plain), 16, false, false},
        {"16+change", legacy_csv_of(changed), 17, false, true},
        {"28", legacy_csv_of(plain, 28), 28, true, false},
        {"28+change", legacy_csv_of(changed, 28), 29, true, true},
        {"29", csv_of(plain), 29, true, false},
        {"29+change", csv_of(changed), 30, true, true},
    };
    for (const Layout& l : layouts) {
        SCOPED_TRACE(l.name);
        const std::string header = l.text.substr(0, l.text.find('\n'));
        EXPECT_EQ(static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1, l.columns);
        const auto rows = read_csv_report(l.text);
        ASSERT_EQ(rows.size(), 4u);
        core::Report back;
        back.rows = rows;
        const core::Report& source = l.change ? changed : plain;
        if (l.change) back.meta.baseline_source = "b";
        // Read back and written again, the rows are those of the source (without -sV for 16 columns).
        const std::string expected = csv_of(l.service ? source : without_service(source));
        EXPECT_EQ(csv_of(back), expected);
        std::size_t identified = 0;
        for (const auto& row : rows) identified += row.service.identified();
        EXPECT_EQ(identified, l.service ? 3u : 0u);
    }
}

TEST(CsvServiceFields, RecordsMustMatchTheHeaderLayout) {
    const std::string text = csv_of(test::service_report());
    const std::string legacy = legacy_csv_of(test::service_report());
    // A 16-field record under the 29-field header, and the other way round.
    const std::string header29 = text.substr(0, text.find('\n') + 1);
    const std::string record16 = legacy.substr(legacy.find('\n') + 1);
    EXPECT_EQ(error_of([&] { read_csv_report(header29 + record16); }), "line 2: 16 fields, expected 29");
    const std::string header16 = legacy.substr(0, legacy.find('\n') + 1);
    const std::string record29 = text.substr(text.find('\n') + 1);
    EXPECT_EQ(error_of([&] { read_csv_report(header16 + record29); }), "line 2: 29 fields, expected 16");
    // A header of 29 names whose last one is misspelt.
    std::string renamed = text;
    renamed.replace(renamed.find(",hosts_open\n"), 12, ",host_open\n");
    EXPECT_EQ(error_of([&] { read_csv_report(renamed); }),
              "line 1: header field 29 is \"host_open\", expected \"hosts_open\"");
    // The change column is only a change column when it is last and named so.
    std::string not_change = csv_of(with_baseline(test::service_report()));
    not_change.replace(not_change.find(",change\n"), 8, ",chang\n");
    EXPECT_EQ(error_of([&] { read_csv_report(not_change); }),
              "line 1: header has 30 fields, expected 16 or 28 or 29 (not a ghostport CSV report)");
}

TEST(CsvServiceFields, HostsOpenAndUnknownRarityRoundTrip) {
    core::Report report = test::sample_report();
    report.rows[0].label.hosts_open = 4;
    report.rows[1].label.rarity = std::nullopt;
    const std::string text = csv_of(report);
    const auto rows = read_csv_report(text);
    core::Report back;
    back.rows = rows;
    EXPECT_EQ(csv_of(back), text);
    std::size_t four = 0, unknown = 0;
    for (const auto& row : rows) {
        four += row.label.hosts_open == 4;
        unknown += !row.label.rarity.has_value();
    }
    EXPECT_EQ(four, 1u);
    EXPECT_EQ(unknown, 1u);
    const core::Report json = read_json_report(json_of(report));
    EXPECT_EQ(csv_of(json), text);
    // An old report's locally-common label is accepted and dropped; a bad count is an error.
    std::string old = text;
    old.replace(old.find(",privileged,"), 12, ",privileged;locally-common,");
    for (const auto& row : read_csv_report(old)) EXPECT_EQ(row.label.labels & (1u << 6), 0u);
    std::string bad = text;
    bad.replace(bad.rfind(",0\n"), 3, ",x\n");
    EXPECT_NE(error_of([&] { read_csv_report(bad); }).find("bad hosts_open number \"x\""), std::string::npos);
}

TEST(CsvServiceFields, HostileServiceStringsRoundTripByteForByte) {
    core::Report report = test::service_report();
    for (auto& row : report.rows) {
        if (!row.service.identified()) continue;
        row.service.product = hostile;
        row.service.version = "1,2";
        row.service.banner = hostile + "\n" + hostile;
        row.service.cert_subject = "CN=\"evil, inc\"\n";
    }
    const std::string text = csv_of(report);
    const auto rows = read_csv_report(text);
    ASSERT_EQ(rows.size(), 4u);
    std::size_t seen = 0;
    for (const auto& row : rows) {
        if (!row.service.identified()) continue;
        ++seen;
        EXPECT_EQ(row.service.product, hostile);
        EXPECT_EQ(row.service.version, "1,2");
        EXPECT_EQ(row.service.banner, hostile + "\n" + hostile);
        EXPECT_EQ(row.service.cert_subject, "CN=\"evil, inc\"\n");
    }
    EXPECT_EQ(seen, 3u);
    core::Report back;
    back.rows = rows;
    EXPECT_EQ(csv_of(back), text);
}

TEST(JsonServiceFields, RoundTripWithConversationsAndServiceScan) {
    core::Report original = test::service_report();
    original.meta.hosts_up_list = {*core::Address::parse("198.18.0.9"), *core::Address::parse("2001:db8::7"),
                                   *core::Address::parse("198.18.0.5")};
    original.meta.ports_scanned = "1-1024,1642,8080,49160";
    for (auto& row : original.rows)
        if (row.service.identified()) row.service.product += hostile;  // NUL, ESC, CRLF, quotes survive JSON
    const std::string text = json_of(original);
    const core::Report back = read_json_report(text);
    EXPECT_EQ(json_of(back), text);
    EXPECT_TRUE(back.meta.service_scan);
    EXPECT_EQ(back.meta.ports_scanned, "1-1024,1642,8080,49160");
    EXPECT_EQ(back.meta.hosts_up_list, original.meta.hosts_up_list);
    auto sorted = original.rows;
    sort_rows(sorted);
    ASSERT_EQ(back.rows.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(back.rows[i].service.conversations, sorted[i].service.conversations);
        EXPECT_EQ(back.rows[i].service.product, sorted[i].service.product);
        EXPECT_EQ(back.rows[i].service.cert_san, sorted[i].service.cert_san);
        EXPECT_EQ(back.rows[i].service.banner, sorted[i].service.banner);
    }
    EXPECT_EQ(back.rows[3].service.product, "OpenSSH" + hostile);  // 22/tcp sorts last
}

TEST(JsonServiceFields, AReportWrittenBeforeServiceFieldsReadsAsNotIdentified) {
    core::Report plain = test::sample_report();
    std::string text = json_of(plain);
    const std::string service_keys =
        R"(,"detected_service":"","product":"","version":"","extra_info":"","tls":"","cert_subject":"",)"
        R"("cert_san":"","cert_issuer":"","cert_not_after":"","fingerprint":"","cpe":"","banner":"")";
    std::size_t removed = 0;
    for (std::size_t at; (at = text.find(service_keys)) != std::string::npos; ++removed)
        text.erase(at, service_keys.size());
    EXPECT_EQ(removed, 4u);
    for (std::string_view key :
         {R"(,"service_scan":false)", R"(,"ports_scanned":"")", R"(,"hosts_up_list":[])"}) {
        ASSERT_NE(text.find(key), std::string::npos) << key;
        text.erase(text.find(key), key.size());
    }
    const core::Report back = read_json_report(text);
    ASSERT_EQ(back.rows.size(), 4u);
    for (const auto& row : back.rows) EXPECT_FALSE(row.service.identified());
    EXPECT_FALSE(back.meta.service_scan);
    EXPECT_EQ(json_of(back), json_of(plain));
}

TEST(JsonServiceFields, BadServiceValuesAreErrors) {
    const std::string good = json_of(test::service_report());
    std::string bad = good;
    bad.replace(bad.find("\"conversations\":1"), 17, "\"conversations\":256");
    EXPECT_EQ(error_of([&] { read_json_report(bad); }),
              "line 4: bad conversations (not a number from 0 to 255)");
    bad = good;
    bad.replace(bad.find("\"product\":\"OpenSSH\""), 19, "\"product\":{}");
    EXPECT_EQ(error_of([&] { read_json_report(bad); }), "line 4: bad product (wrong JSON type)");
    bad = good;
    bad.replace(bad.find("\"service_scan\":true"), 19, "\"service_scan\":\"yes\"");
    EXPECT_EQ(error_of([&] { read_json_report(bad); }), "line 5: bad service_scan in the summary");
    bad = good;
    bad.replace(bad.find("\"hosts_up_list\":[]"), 18, "\"hosts_up_list\":[\"198.18.0.300\"]");
    EXPECT_EQ(error_of([&] { read_json_report(bad); }),
              "line 5: bad address in hosts_up_list of the summary");
}

TEST(RegistryFill, AFilledStatusAndTheFillRoundTripThroughJsonAndCsv) {
    core::Report original = test::sample_report();
    original.rows[0].label.status = core::RegistryStatus::services_file;
    original.rows[0].label.service = "redis";
    original.meta.registry_fill = "/etc/services";
    original.meta.registry_fill_ports = 412;

    const std::string json = json_of(original);
    EXPECT_NE(json.find("\"registry_status\":\"etc-services\""), std::string::npos) << json;
    const core::Report back = read_json_report(json);
    EXPECT_EQ(json_of(back), json);
    EXPECT_EQ(back.meta.registry_fill, "/etc/services");
    EXPECT_EQ(back.meta.registry_fill_ports, 412u);
    EXPECT_EQ(std::count_if(back.rows.begin(), back.rows.end(),
                            [](const core::ReportRow& r) {
                                return r.label.status == core::RegistryStatus::services_file;
                            }),
              1);

    const std::string csv = csv_of(original);
    EXPECT_NE(csv.find(",etc-services,"), std::string::npos) << csv;
    const auto rows = read_csv_report(csv);
    EXPECT_EQ(std::count_if(rows.begin(), rows.end(),
                            [](const core::ReportRow& r) {
                                return r.label.status == core::RegistryStatus::services_file &&
                                       r.label.service == "redis";
                            }),
              1);
}

namespace {

// One host with 53/tcp and 53/udp and a UDP row of every state with its reason.
core::Report udp_report() {
    core::Report r = test::sample_report();
    r.meta.udp_ports_scanned = "53,123,161,500";
    r.meta.open_filtered = 1;
    auto udp_row = [](std::uint16_t port, core::PortState state, core::Reason reason) {
        core::ReportRow row = test::make_row("198.18.0.5", port, 1.0, 0, "domain");
        row.result.proto = core::Proto::udp;
        row.result.state = state;
        row.result.reason = reason;
        return row;
    };
    r.rows = {test::make_row("198.18.0.5", 53, 1.0, 0, "domain"),
              udp_row(53, core::PortState::open, core::Reason::udp_response),
              udp_row(123, core::PortState::open_filtered, core::Reason::no_response),
              udp_row(161, core::PortState::closed, core::Reason::port_unreach),
              udp_row(500, core::PortState::filtered, core::Reason::unreachable)};  // in report order
    return r;
}

void expect_same_rows(const std::vector<core::ReportRow>& got, const std::vector<core::ReportRow>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(got[i].result.port, want[i].result.port) << i;
        EXPECT_EQ(got[i].result.proto, want[i].result.proto) << i;
        EXPECT_EQ(got[i].result.state, want[i].result.state) << i;
        EXPECT_EQ(got[i].result.reason, want[i].result.reason) << i;
    }
}

}  // namespace

// UDP rows keep their protocol, state (open|filtered included) and reason through CSV and JSON, and 53/tcp
// and 53/udp of one host stay two rows.
TEST(ReportReaders, UdpRowsAndEveryStateRoundTrip) {
    const core::Report r = udp_report();
    const std::string csv = csv_of(r);
    EXPECT_NE(csv.find(",udp,open|filtered,no-response,"), std::string::npos);
    EXPECT_NE(csv.find(",udp,open,udp-response,"), std::string::npos);
    EXPECT_NE(csv.find(",udp,closed,port-unreach,"), std::string::npos);
    expect_same_rows(read_csv_report(csv), r.rows);
    const core::Report back = read_json_report(json_of(r));
    expect_same_rows(back.rows, r.rows);
    EXPECT_EQ(back.meta.open_filtered, 1u);
    EXPECT_EQ(back.meta.udp_ports_scanned, "53,123,161,500");
    EXPECT_EQ(back.meta.ports_scanned, r.meta.ports_scanned);
}

// A state or reason no version wrote is an error naming the field, as before.
TEST(ReportReaders, UnknownStateIsAnError) {
    std::string csv = csv_of(udp_report());
    const auto at = csv.find("open|filtered");
    ASSERT_NE(at, std::string::npos);
    csv.replace(at, 13, "open/filtered");
    EXPECT_NE(error_of([&] { read_csv_report(csv); }).find("state"), std::string::npos);
}
