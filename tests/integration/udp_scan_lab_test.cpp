// SPDX-License-Identifier: GPL-2.0-or-later
// scan -sU against real daemons in the namespace lab, at the kernel's default ICMP limits (one port
// unreachable a second per peer after a burst of 6): dnsmasq on 53 and on 1642 (a borrowed number), chronyd
// on 123, a socket that never answers, ports dropped and rejected by nftables, and closed ports. Its own
// binary: the lab and the daemons start once for every case.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <tuple>

#include "tests/integration/lab.hpp"

namespace gp_test {
namespace {

constexpr const char* v4 = "198.18.0.10";
constexpr const char* v6 = "2001:2::10";
// 53, 123 and 1642 answer; 1650 is a socket that never answers; 1700 is dropped, 1701 rejected with
// admin-prohibited; 1702-1711 are closed (10 closed ports: 6 told at once, then one a second).
constexpr const char* ports = "U:53,123,1642,1650,1700,1701,1702-1711";

bool have(const std::string& program) {
    for (const char* dir : {"/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"})
        if (access((std::string(dir) + program).c_str(), X_OK) == 0) return true;
    return false;
}

// The state of row `key` ("53/udp"), or "(no row)".
std::string state_of(const std::map<std::string, CsvRow>& rows, const std::string& key) {
    auto it = rows.find(key);
    return it == rows.end() ? std::string("(no row)") : it->second.at("state");
}

class UdpLab : public ::testing::Test {
  protected:
    struct Shared {
        std::unique_ptr<Lab> lab;
        std::unique_ptr<ScratchDir> dir;
        std::vector<std::unique_ptr<Background>> daemons;
        std::string missing;  // why the lab could not be set up
    };
    static Shared* shared;

    static void SetUpTestSuite() {
        shared = new Shared;
        if (!lab_unavailable_reason().empty()) {
            shared->missing = "namespace lab unavailable: " + lab_unavailable_reason();
            return;
        }
        for (const auto& [program, package] : {std::pair{"dnsmasq", "dnsmasq-base"},
                                               {"chronyd", "chrony"},
                                               {"python3", "python3"},
                                               {"nft", "nftables"}})
            if (!have(program)) {
                shared->missing =
                    std::string(program) + " is missing: install " + package + " (scripts/deps.sh --tests)";
                return;
            }
        shared->lab = std::make_unique<Lab>(2);
        Lab& lab = *shared->lab;
        lab.firewall({"udrop=1700", "uprohibit=1701"});
        lab.icmp_default();
        shared->dir = std::make_unique<ScratchDir>("udp");
        const ScratchDir& dir = *shared->dir;
        for (const char* port : {"53", "1642"})
            shared->daemons.push_back(std::make_unique<Background>(lab.in_target(
                {"dnsmasq", "--no-daemon", "--conf-file=/dev/null", std::string("--port=") + port,
                 std::string("--listen-address=") + v4, std::string("--listen-address=") + v6,
                 "--bind-interfaces", "--no-resolv", "--no-hosts", "--user=root",
                 "--pid-file=" + dir / (std::string("dnsmasq") + port + ".pid")})));
        {
            std::ofstream conf(dir / "chrony.conf");
            conf << "port 123\nbindaddress " << v4 << "\nbindaddress " << v6
                 << "\nallow all\ncmdport 0\nlocal stratum 10\npidfile " << dir / "chronyd.pid"
                 << "\n";
        }
        shared->daemons.push_back(std::make_unique<Background>(
            lab.in_target({"chronyd", "-d", "-x", "-u", "root", "-f", dir / "chrony.conf"})));
        // A socket that never reads: the port is open, and silent whatever it is sent.
        shared->daemons.push_back(std::make_unique<Background>(
            lab.in_target({"python3", "-c",
                           "import socket,time\n"
                           "a=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);a.bind(('198.18.0.10',1650))\n"
                           "b=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM);b.bind(('2001:2::10',1650))\n"
                           "print('ready',flush=True);time.sleep(600)\n"}),
            "ready"));
        // A hostile host beside them: huge answers, floods, and forged port unreachables about 198.18.0.10.
        for (const auto& [self, victim] : {std::pair{"198.18.0.11", v4}, {"2001:2::11", v6}})
            shared->daemons.push_back(std::make_unique<Background>(
                lab.in_target({"python3", std::string(GHOSTPORT_SOURCE_DIR) + "/tests/lab/udp_hostile.py",
                               "--bind", self, "1642", "--victim", victim, "--victim-ports", "53,1650,1700",
                               "--seconds", "300"}),
                "ready"));
        // The daemons bind within a moment; wait until every socket is there (at most 5 s).
        for (int i = 0; i < 100; ++i) {
            const auto ss = run(lab.in_target({"ss", "-lunH"}), std::chrono::seconds(5)).out;
            if (ss.find("198.18.0.10:53 ") != std::string::npos &&
                ss.find("198.18.0.10:1642 ") != std::string::npos &&
                ss.find("198.18.0.10:123 ") != std::string::npos &&
                ss.find("[2001:2::10]:1642 ") != std::string::npos)
                return;
            usleep(50'000);
        }
        shared->missing = "the lab daemons did not start (dnsmasq, chronyd)";
    }
    static void TearDownTestSuite() {
        delete shared;
        shared = nullptr;
    }
    void SetUp() override {
        if (!shared->missing.empty()) GP_SKIP(shared->missing);
    }

    // The scan's CSV rows, keyed "port/proto".
    static std::map<std::string, CsvRow> scan(const std::vector<std::string>& extra,
                                              RunResult* out = nullptr) {
        auto argv = scan_args(extra);
        auto r = run(shared->lab->in_scanner(argv), std::chrono::seconds(120));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::map<std::string, CsvRow> rows;
        for (auto& row : parse_csv_report(r.out)) rows[row["port"] + "/" + row["proto"]] = row;
        if (out) *out = r;
        return rows;
    }

    static void expect_lab_states(const std::map<std::string, CsvRow>& rows) {
        auto state = [&](const std::string& key) { return state_of(rows, key); };
        EXPECT_EQ(state("53/udp"), "open");
        EXPECT_EQ(state("123/udp"), "open");
        EXPECT_EQ(state("1642/udp"), "open");
        EXPECT_EQ(state("1650/udp"), "open|filtered");
        EXPECT_EQ(state("1700/udp"), "open|filtered");
        EXPECT_EQ(state("1701/udp"), "filtered");
        for (int p = 1702; p <= 1711; ++p) EXPECT_EQ(state(std::to_string(p) + "/udp"), "closed") << p;
        EXPECT_EQ(rows.size(), 16u);
    }

    static void expect_services(const std::map<std::string, CsvRow>& rows) {
        ASSERT_TRUE(rows.contains("53/udp") && rows.contains("1642/udp") && rows.contains("123/udp"));
        const auto& dns = rows.at("53/udp");
        const auto& borrowed = rows.at("1642/udp");
        EXPECT_EQ(dns.at("detected_service"), "domain");
        EXPECT_EQ(borrowed.at("detected_service"), "domain");
        EXPECT_NE(dns.at("product").find("dnsmasq"), std::string::npos) << dns.at("product");
        EXPECT_EQ(rows.at("123/udp").at("detected_service"), "ntp");
        // 1642/udp is IANA's isis-am; DNS answers there.
        EXPECT_NE(borrowed.at("labels").find("borrowed"), std::string::npos) << borrowed.at("labels");
        EXPECT_EQ(dns.at("labels").find("borrowed"), std::string::npos) << dns.at("labels");
    }
};

UdpLab::Shared* UdpLab::shared = nullptr;

TEST_F(UdpLab, EveryStateAndServiceOverIpv4AtDefaultIcmpLimits) {
    RunResult r;
    auto rows = scan({"-sU", "-n", "-p", ports, v4, "--show", "all", "--format", "csv"}, &r);
    expect_lab_states(rows);
    expect_services(rows);
}

TEST_F(UdpLab, EveryStateAndServiceOverIpv6) {
    auto rows = scan({"-sU", "-n", "-p", ports, v6, "--show", "all", "--format", "csv"});
    expect_lab_states(rows);
    expect_services(rows);
}

TEST_F(UdpLab, TcpAndUdpInOneRunKeepTheirOwnRows) {
    // dnsmasq serves 1642 over TCP too; 1650 is a TCP listener here and the silent UDP socket.
    const auto handle = shared->lab->listen({std::string(v4) + ":1650"});
    auto rows = scan({"-sU", "-sS", "-n", "-p", "T:1642,1643,1650,U:1642,1643,1650", v4, "--show", "all",
                      "--format", "csv"});
    shared->lab->stop_listening(handle);
    auto state = [&](const std::string& key) { return state_of(rows, key); };
    EXPECT_EQ(state("1642/tcp"), "open");
    EXPECT_EQ(state("1643/tcp"), "closed");
    EXPECT_EQ(state("1650/tcp"), "open");
    EXPECT_EQ(state("1642/udp"), "open");
    EXPECT_EQ(state("1643/udp"), "closed");
    EXPECT_EQ(state("1650/udp"), "open|filtered");
    ASSERT_TRUE(rows.contains("1642/udp"));
    EXPECT_EQ(rows.at("1642/udp").at("detected_service"), "domain");
    EXPECT_EQ(rows.size(), 6u);
}

// -sU with -sS under --resume, interrupted twice while the UDP part runs and resumed: the report is the one
// an uninterrupted scan writes, with no row twice.
TEST_F(UdpLab, ResumedTwiceEndsWithEveryStateOnce) {
    ScratchDir scratch("udp-resume", true);
    const std::string checkpoint = scratch / "scan.resume", out = scratch / "report.csv";
    auto first =
        shared->lab->in_scanner(scan_args({"-sU", "-sS", "-n", "-p", std::string("T:1642,1643,") + ports, v4,
                                           "--show", "all", "-q", "-o", out, "--resume", checkpoint}));
    for (int i = 0; i < 2; ++i) {
        Background scanning(
            i == 0 ? first : shared->lab->in_scanner({ghostport_binary(), "scan", "--resume", checkpoint}));
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < give_up && access(checkpoint.c_str(), F_OK) != 0)
            usleep(10'000);
        usleep(2'500'000);  // into the UDP part (the TCP part takes milliseconds)
        kill(scanning.pid(), SIGINT);
        auto r = scanning.wait(std::chrono::seconds(30));
        ASSERT_EQ(r.exit_code, 3) << "finished before it was interrupted: " << r.err;
    }
    auto last = run(shared->lab->in_scanner({ghostport_binary(), "scan", "--resume", checkpoint}),
                    std::chrono::seconds(60));
    ASSERT_EQ(last.exit_code, 0) << last.err;
    EXPECT_NE(access(checkpoint.c_str(), F_OK), 0) << "a finished scan leaves no checkpoint";
    std::map<std::string, CsvRow> rows;
    std::size_t count = 0;
    for (auto& row : parse_csv_report(read_file(out))) {
        rows[row["port"] + "/" + row["proto"]] = row;
        ++count;
    }
    EXPECT_EQ(count, 18u) << "a row twice, or one missing";
    EXPECT_EQ(rows["1642/tcp"].at("state"), "open");
    EXPECT_EQ(rows["1643/tcp"].at("state"), "closed");
    rows.erase("1642/tcp");
    rows.erase("1643/tcp");
    expect_lab_states(rows);
    expect_services(rows);
}

// --max-scan-time stops a UDP scan that the host's ICMP limit makes long (40 closed ports: 34 s), and the
// report says how many probes were left undecided.
TEST_F(UdpLab, MaxScanTimeSaysWhatWasLeftUndecided) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = run(shared->lab->in_scanner(
                     scan_args({"-sU", "-n", "-p", "U:2000-2039", v4, "--max-scan-time", "3s", "--format", "csv"})),
                 std::chrono::seconds(60));
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("stopped at --max-scan-time 3s after"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("left undecided"), std::string::npos) << r.err;
    EXPECT_LT(took, std::chrono::seconds(10));
}

// Host .11 answers 1642 with a 60,000-byte datagram and a flood, and forges port unreachables about .10's
// open, silent and dropped ports: .10's rows stay exactly as without it, .11's are its own. Over the raw path
// (IPv4 and IPv6) and the kernel-socket path.
TEST_F(UdpLab, HostileAnswersChangeOnlyTheirOwnRows) {
    for (const auto& [engine, victim, hostile] :
         {std::tuple{"syn", v4, "198.18.0.11"}, {"connect", v4, "198.18.0.11"}, {"syn", v6, "2001:2::11"}}) {
        SCOPED_TRACE(std::string(engine) + " " + victim);
        RunResult r;
        auto argv = scan_args({"-sU", "--engine", engine, "-n", "-p", "U:53,1642,1650,1700,1702-1705", victim,
                               hostile, "--show", "all", "--format", "csv"});
        r = run(shared->lab->in_scanner(argv), std::chrono::seconds(120));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        std::map<std::string, std::string> state;
        for (auto& row : parse_csv_report(r.out)) state[row["host"] + " " + row["port"]] = row["state"];
        const std::string v = victim, h = hostile;
        EXPECT_EQ(state[v + " 53"], "open");
        EXPECT_EQ(state[v + " 1642"], "open");
        EXPECT_EQ(state[v + " 1650"], "open|filtered");
        EXPECT_EQ(state[v + " 1700"], "open|filtered");
        EXPECT_EQ(state[h + " 1642"], "open");
        EXPECT_EQ(state[h + " 1700"], "open|filtered");
        for (const char* p : {"53", "1650", "1702", "1703", "1704", "1705"})
            EXPECT_EQ(state[h + " " + p], "closed") << p;
        for (const char* p : {"1702", "1703", "1704", "1705"}) EXPECT_EQ(state[v + " " + p], "closed") << p;
        EXPECT_EQ(state.size(), 16u);
    }
}

}  // namespace
}  // namespace gp_test
