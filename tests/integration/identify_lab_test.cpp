// SPDX-License-Identifier: GPL-2.0-or-later
// scan -sV against real Debian daemons (tests/lab/zoo.sh) and hostile services (gp_service) in one namespace
// lab, built once for this test binary: exact service, product, version, TLS facts, labels; hostile answers
// change nothing but their own row.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "lab.hpp"

using namespace gp_test;

namespace {

struct ManifestRow {
    std::string port, service, product, version, tls, cert_subject;
};

// Ports deliberately served by a daemon that is not their registered service (IANA, 2025 snapshot).
const std::set<std::string> borrowed_ports{
    "1642",   // isis-am, serving ssh
    "642",    // esro-emsdp, serving http
    "4434",   // unassigned, serving http over TLS
    "50379",  // dynamic, serving redis
    "3128",   // ndl-aas, serving Squid's http-proxy
    "8888",   // ddi-tcp-1, serving Tinyproxy
    "9100",   // hp-pdl-datastr, serving the Node Exporter's http
};

// Plain ports whose daemons offer STARTTLS (smtp, pop3, imap, ldap, postgresql) with the zoo's certificate.
const std::set<std::string> upgrades{"25", "110", "143", "389", "5432"};

// The hostile services on 198.18.0.10 (gp_service) and what each must come out as.
const std::vector<std::pair<std::string, std::string>> hostile{
    {"7001", "silent"}, {"7002", "close"},   {"7003", "escapes"},    {"7004", "flood"},
    {"7005", "drip"},   {"7006", "endless"}, {"7007", "tlsgarbage"},
};

std::string zoo_script() {
    return std::string(GHOSTPORT_SOURCE_DIR) + "/tests/lab/zoo.sh";
}

// The lab, the zoo and the hostile services: built once, torn down at exit.
struct ZooLab {
    std::unique_ptr<Lab> lab;
    std::unique_ptr<ScratchDir> dir;
    std::unique_ptr<Background> hostile_services;
    std::vector<ManifestRow> manifest;
    std::string failure;  // why the zoo could not start ("" when it did)

    ZooLab() {
        if (!lab_unavailable_reason().empty()) return;
        lab = std::make_unique<Lab>(2);
        dir = std::make_unique<ScratchDir>("zoo");
        auto started = run({zoo_script(), "start", lab->name() + "t", dir->path()}, std::chrono::seconds(90));
        if (started.exit_code != 0 || started.out.find("ready") == std::string::npos) {
            failure =
                "zoo.sh start failed (install the daemons with scripts/deps.sh --tests): " + started.err;
            return;
        }
        std::vector<std::string> argv{"ip",        "netns", "exec", lab->name() + "t", service_binary(),
                                      "--seconds", "900"};
        for (const auto& [port, behaviour] : hostile) argv.push_back("198.18.0.10:" + port + "=" + behaviour);
        // A middlebox: 198.18.0.11 accepts on six ports and never says a word.
        for (int port = 7101; port <= 7106; ++port)
            argv.push_back("198.18.0.11:" + std::to_string(port) + "=silent");
        hostile_services = std::make_unique<Background>(argv, "ready");
        auto m = run({zoo_script(), "manifest", dir->path()});
        std::stringstream lines(m.out);
        for (std::string line; std::getline(lines, line);) {
            std::vector<std::string> f;
            std::stringstream fields(line);
            for (std::string x; std::getline(fields, x, '\t');) f.push_back(x);
            f.resize(6);
            if (!f[0].empty()) manifest.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
        }
        if (manifest.size() < 25)
            failure = "zoo manifest lists only " + std::to_string(manifest.size()) + " ports";
    }
    ~ZooLab() {
        hostile_services.reset();
        if (dir) run({zoo_script(), "stop", dir->path()}, std::chrono::seconds(30));
    }
};

ZooLab& zoo() {
    static ZooLab z;
    return z;
}

#define GP_REQUIRE_ZOO()                                     \
    do {                                                     \
        GP_REQUIRE_LAB();                                    \
        ASSERT_TRUE(zoo().failure.empty()) << zoo().failure; \
    } while (0)

const CsvRow* row_of(const std::vector<CsvRow>& rows, const std::string& host, const std::string& port) {
    for (const auto& r : rows)
        if (r.at("host") == host && r.at("port") == port) return &r;
    return nullptr;
}

bool has_label(const CsvRow& r, const std::string& label) {
    std::stringstream s(r.at("labels"));
    for (std::string l; std::getline(s, l, ';');)
        if (l == label) return true;
    return false;
}

std::string port_list() {
    std::string ports;
    for (const auto& m : zoo().manifest) ports += (ports.empty() ? "" : ",") + m.port;
    for (const auto& [port, behaviour] : hostile) ports += "," + port;
    return ports;
}

// One -sV scan of 198.18.0.10 per engine, shared by the tests below.
const RunResult& scan_of(const std::string& engine) {
    static std::map<std::string, RunResult> done;
    if (!done.contains(engine)) {
        const auto t0 = std::chrono::steady_clock::now();
        done[engine] = run(zoo().lab->in_scanner(scan_args({"198.18.0.10", "-sV", "--engine", engine, "-p",
                                                            port_list(), "--format", "csv"})),
                           std::chrono::seconds(120));
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
        std::fprintf(stderr, "-sV scan with %s: %.2f s\n", engine.c_str(), took.count());
    }
    return done[engine];
}

class IdentifyLab : public PerEngine {};

}  // namespace

// Every zoo daemon is named exactly: service, product, version, TLS and certificate; borrowed exactly where
// the number is registered to something else.
TEST_P(IdentifyLab, EveryDaemonNamedExactly) {
    GP_REQUIRE_ZOO();
    const auto& r = scan_of(GetParam());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse_csv_report(r.out);
    for (const auto& m : zoo().manifest) {
        SCOPED_TRACE("port " + m.port + " (" + m.service + " " + m.product + ")");
        const CsvRow* row = row_of(rows, "198.18.0.10", m.port);
        ASSERT_NE(row, nullptr);
        EXPECT_EQ(row->at("state"), "open");
        EXPECT_EQ(row->at("detected_service"), m.service);
        EXPECT_EQ(row->at("product"), m.product);
        if (!m.version.empty()) {
            EXPECT_EQ(row->at("version"), m.version);
        }
        const std::string& tls = row->at("tls");
        EXPECT_EQ(!tls.empty() && !tls.starts_with("STARTTLS"), m.tls == "yes") << tls;
        if (upgrades.contains(m.port)) {
            EXPECT_TRUE(tls.starts_with("STARTTLS TLSv1.")) << tls;
            EXPECT_NE(row->at("cert_subject").find("CN=zoo.lab.test"), std::string::npos);
        }
        if (!m.cert_subject.empty()) {
            EXPECT_NE(row->at("cert_subject").find(m.cert_subject), std::string::npos)
                << row->at("cert_subject");
            EXPECT_TRUE(has_label(*row, "self-signed")) << row->at("labels");
            EXPECT_EQ(row->at("fingerprint").rfind("sha256:", 0), 0u) << row->at("fingerprint");
        }
        EXPECT_EQ(has_label(*row, "borrowed"), borrowed_ports.contains(m.port)) << row->at("labels");
    }
}

// The SSH host key fingerprint is the one ssh-keygen prints for the daemon's key.
TEST_P(IdentifyLab, SshHostKeyFingerprintMatchesSshKeygen) {
    GP_REQUIRE_ZOO();
    const auto rows = parse_csv_report(scan_of(GetParam()).out);
    auto keygen = run({"ssh-keygen", "-l", "-f", zoo().dir->path() + "/sshd/host_ed25519_key.pub"});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    std::stringstream k(keygen.out);
    std::string bits, fp;
    k >> bits >> fp;  // "256 SHA256:... comment (ED25519)"
    for (const std::string port : {"22", "1642"}) {
        const CsvRow* row = row_of(rows, "198.18.0.10", port);
        ASSERT_NE(row, nullptr);
        EXPECT_EQ(row->at("fingerprint"), "ssh-ed25519 " + fp) << port;
    }
}

// Hostile services change nothing but their own rows: named as what they are, nothing raw in the report.
TEST_P(IdentifyLab, HostileAnswersStayInTheirRows) {
    GP_REQUIRE_ZOO();
    const auto& r = scan_of(GetParam());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_EQ(r.out.find('\0'), std::string::npos);
    const auto rows = parse_csv_report(r.out);
    auto detected = [&](const std::string& port) {
        const CsvRow* row = row_of(rows, "198.18.0.10", port);
        return row ? row->at("detected_service") : std::string("(no row)");
    };
    EXPECT_EQ(detected("7001"), "unknown");
    EXPECT_NE(row_of(rows, "198.18.0.10", "7001")->at("extra_info").find("never sent a byte"),
              std::string::npos);
    EXPECT_EQ(detected("7002"), "tcpwrapped");
    for (const std::string port : {"7003", "7004", "7005", "7006", "7007"})
        EXPECT_EQ(detected(port), "unknown") << port;
    const CsvRow* escapes = row_of(rows, "198.18.0.10", "7003");
    ASSERT_NE(escapes, nullptr);
    EXPECT_NE(escapes->at("banner").find("\\x1b]0;pwned"), std::string::npos) << escapes->at("banner");
    for (const std::string port : {"7004", "7006"})
        EXPECT_LE(row_of(rows, "198.18.0.10", port)->at("banner").size(), 256u);
}

// The table a person reads carries the DETECTED column, escaped.
TEST_P(IdentifyLab, TableShowsWhatIsDetected) {
    GP_REQUIRE_ZOO();
    auto r = run(zoo().lab->in_scanner(
                     scan_args({"198.18.0.10", "-sV", "--engine", GetParam(), "-p", "22,1642,443,7003"})),
                 std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("DETECTED"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ssh OpenSSH"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ssl/http nginx"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
}

// A host whose every port accepts and none speaks is told apart from a service: a middlebox.
TEST_P(IdentifyLab, MiddleboxIsNotAService) {
    GP_REQUIRE_ZOO();
    auto r = run(zoo().lab->in_scanner(scan_args(
                     {"198.18.0.11", "-sV", "--engine", GetParam(), "-p", "7101-7106", "--format", "csv"})),
                 std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse_csv_report(r.out);
    ASSERT_EQ(rows.size(), 6u) << r.out;
    for (const auto& row : rows) {
        EXPECT_EQ(row.at("detected_service"), "unknown");
        EXPECT_NE(row.at("extra_info").find("middlebox"), std::string::npos) << row.at("extra_info");
        EXPECT_FALSE(has_label(row, "borrowed"));
    }
}

// A host over --port-threshold is one all-open row that says why it was not identified port by port.
TEST_P(IdentifyLab, AllOpenHostIsNotIdentifiedPortByPort) {
    GP_REQUIRE_ZOO();
    auto r = run(zoo().lab->in_scanner(scan_args({"198.18.0.10", "-sV", "--engine", GetParam(), "-p",
                                                  port_list(), "--port-threshold", "10", "--format", "csv"})),
                 std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse_csv_report(r.out);
    ASSERT_EQ(rows.size(), 1u) << r.out;
    EXPECT_EQ(rows[0].at("state"), "all-open");
    EXPECT_EQ(rows[0].at("detected_service"), "");
    EXPECT_NE(rows[0].at("extra_info").find("not identified port by port"), std::string::npos);
}

// --fail-on borrowed: exit 1, the finding named with the service that borrowed the number.
TEST_P(IdentifyLab, FailOnBorrowedNamesTheService) {
    GP_REQUIRE_ZOO();
    auto r = run(zoo().lab->in_scanner(scan_args({"198.18.0.10", "-sV", "--engine", GetParam(), "-p",
                                                  "22,1642", "--fail-on", "borrowed", "-q"})),
                 std::chrono::seconds(60));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("1642"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("borrowed by ssh"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("198.18.0.10:22 "), std::string::npos) << r.err;
}

// Ctrl-C while identification runs: FILE.partial holds what was found, exit 3.
TEST(IdentifyLabStop, CtrlCDuringIdentificationWritesWhatWasFound) {
    GP_REQUIRE_ZOO();
    ScratchDir dir("idstop");
    // The drip port keeps identification busy for the whole --version-timeout; ssh is named at once.
    Background scan(
        zoo().lab->in_scanner(scan_args({"198.18.0.10", "-sV", "--engine", "connect", "-p", "22,7005",
                                         "--version-timeout", "30s", "-q", "-o", dir / "report.csv"})));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    ASSERT_EQ(kill(scan.pid(), SIGINT), 0);
    auto r = scan.wait(std::chrono::seconds(10));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    const auto rows = parse_csv_report(read_file(dir / "report.csv.partial"));
    const CsvRow* ssh = row_of(rows, "198.18.0.10", "22");
    ASSERT_NE(ssh, nullptr);
    EXPECT_EQ(ssh->at("detected_service"), "ssh");
    const CsvRow* drip = row_of(rows, "198.18.0.10", "7005");
    ASSERT_NE(drip, nullptr);
    EXPECT_EQ(drip->at("state"), "open");
}

INSTANTIATE_TEST_SUITE_P(Engines, IdentifyLab, ::testing::Values("syn", "connect"));
