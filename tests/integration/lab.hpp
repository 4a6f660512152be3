// SPDX-License-Identifier: GPL-2.0-or-later
// Integration-test support: run the real binary, and build the namespace lab (tests/lab/lab.sh) RAII-style.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include "tests/skip.hpp"

namespace gp_test {

struct RunResult {
    int exit_code = -1;  // -1 when killed at the time limit or by a signal
    std::string out, err;
};

// Runs argv (no shell) with the given stdin text; kills it after `limit`.
RunResult run(const std::vector<std::string>& argv, std::chrono::seconds limit = std::chrono::seconds(120),
              const std::string& input = "");

// A child process kept running in the background (listeners, interrupted scans); killed on destruction.
class Background {
  public:
    // Starts argv; when `wait_for` is non-empty, waits (up to 10 s) until that line appears on its stdout.
    Background(const std::vector<std::string>& argv, const std::string& wait_for = "");
    ~Background();
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    int pid() const { return pid_; }
    // Waits up to `limit` for the process to exit; returns its exit code (-1 on timeout/signal).
    RunResult wait(std::chrono::seconds limit);

  private:
    int pid_ = -1;
    int out_fd_ = -1;
    std::string out_file_, err_file_;
};

// A network namespace gpt-<pid>-<tag> with only its loopback, up, and every port open to every user
// (net.ipv4.ip_unprivileged_port_start=0, so nobody may bind 642); removed on destruction. Needs root.
class LoopbackNamespace {
  public:
    explicit LoopbackNamespace(const std::string& tag);
    ~LoopbackNamespace();
    LoopbackNamespace(const LoopbackNamespace&) = delete;
    LoopbackNamespace& operator=(const LoopbackNamespace&) = delete;
    const std::string& name() const { return name_; }
    bool ok() const { return ok_; }
    const std::string& why() const { return why_; }  // what `ip netns add` said when it failed

  private:
    std::string name_;
    bool ok_ = false;
    std::string why_;
};

// The listening sockets `ss -ltnupH` printed, one key each: "tcp 127.0.0.1:1643 pids=1,2 procs=a,b" (the
// address without brackets; pids sorted, processes in pid order): the oracle the listener tests compare
// ghostport's rows with.
std::set<std::string> ss_listener_keys(const std::string& ss);

// Why the lab cannot be built here ("" when it can): not root, or no network namespaces.
std::string lab_unavailable_reason();

// The lab: namespaces "<name>s" (scanner, 198.18.0.1 / 2001:2::1) and "<name>t" (hosts 198.18.0.10... and
// 2001:2::10...). The name is unique per process and per lab; everything is removed on destruction.
class Lab {
  public:
    explicit Lab(int hosts);
    ~Lab();
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;

    // lab.sh firewall rules, e.g. {"drop=2001", "reset=2002", "prohibit=2003", "loss=3"}.
    void firewall(const std::vector<std::string>& rules);
    // lab.sh latency: a TUN device `dev` in the scanner namespace with 198.18.0.0/15 (but the veth's /23) and
    // 2001:2:0:ff::/64 routed to it, for gp_responder (run it with in_scanner, or start_responder); `dev`
    // starts with "gpt-" and fits IFNAMSIZ (name() + "r" does).
    void latency(const std::string& dev);
    // Starts listeners in the target namespace on "198.18.0.10:22", "[2001:2::10]:22", ...; returns a handle
    // for stop_listening.
    std::size_t listen(const std::vector<std::string>& endpoints);
    // Stops the listeners one listen() call started (their ports answer RST from then on).
    void stop_listening(std::size_t handle);
    // The kernel's default ICMP rate limits in the target namespace (one error a second per peer after a
    // burst of 6, IPv4 and IPv6), which the lab otherwise turns off so that TCP tests run at full speed.
    void icmp_default();
    // argv prefixed with `ip netns exec <target ns>`: a daemon for the target hosts.
    std::vector<std::string> in_target(std::vector<std::string> argv) const;
    // argv prefixed with `ip netns exec <scanner ns>`.
    std::vector<std::string> in_scanner(std::vector<std::string> argv) const;
    const std::string& name() const { return name_; }

  private:
    std::string name_;
    std::vector<std::unique_ptr<Background>> listeners_;
};

// A scratch folder /tmp/gpt-<pid>-<tag>, removed with everything in it on destruction. Mode 01777 like /tmp:
// a SYN scan run as root writes its files as the user it drops to (nobody).
class ScratchDir {
  public:
    // Mode 1777 (any user may create files, as daemons dropped to their own users do), or 0700 when
    // `owner_only`: a folder no other user may write, as --resume and --baseline latest:DIR require.
    explicit ScratchDir(const std::string& tag, bool owner_only = false);
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

// The whole content of the file at `path` ("" when it cannot be read).
std::string read_file(const std::string& path);

// The fields of /proc/PID/status ("Uid" -> "0\t0\t0\t0"), empty when the process is gone.
std::map<std::string, std::string> process_status(int pid);

// gp_responder's truth table (tests/lab/responder.cpp), as `--truth-all` prints it.
struct ResponderTruth {
    std::map<std::string, std::set<std::string>> by_state;  // open, closed, filtered, down -> "host:port"
    std::map<std::string, int> rtt_ms;                      // host -> its RTT
    // The pairs in `state` (none when no pair is).
    std::set<std::string> of(const std::string& state) const;
};
// Runs `gp_responder --truth-all PORTS OPTIONS...`; throws when it fails.
ResponderTruth responder_truth(const std::vector<std::string>& options, const std::string& ports);
// Makes the TUN device name() + "r" in `lab` (Lab::latency) and starts `gp_responder --dev` on it in the
// scanner namespace with `options`, for at most `seconds`; returns once it is ready.
std::unique_ptr<Background> start_responder(Lab& lab, const std::vector<std::string>& options,
                                            int seconds = 120);

// Paths set by CMake.
std::string ghostport_binary();
std::string listener_binary();
std::string responder_binary();
std::string service_binary();  // gp_service: plain and hostile TCP services (tests/lab/service.cpp)
// The registry tests use: the 2025 snapshot in ../shared when present, else "" (the binary's own search).
std::string test_registry();

// argv with `--registry <test_registry()>` appended when the 2025 snapshot is present.
std::vector<std::string> with_registry(std::vector<std::string> argv);
// `ghostport scan --no-progress` with the test registry and `extra` arguments.
std::vector<std::string> scan_args(const std::vector<std::string>& extra);

// Base of the tests that run once per engine (the test parameter: "syn" or "connect").
class PerEngine : public ::testing::TestWithParam<std::string> {
  protected:
    // scan_args(extra) with --engine <the parameter>.
    std::vector<std::string> args(std::vector<std::string> extra) const;
};

// One parsed CSV report: rows keyed by header name.
using CsvRow = std::map<std::string, std::string>;
std::vector<CsvRow> parse_csv_report(const std::string& text);
// "host:port" of every row in `state` (open, closed, filtered).
std::set<std::string> keys(const std::vector<CsvRow>& rows, const std::string& state);

}  // namespace gp_test

// Skips a test that needs the lab when it cannot be built, except in CI (CI=true), where it fails.
#define GP_REQUIRE_LAB()                                                            \
    do {                                                                            \
        auto gp_reason = gp_test::lab_unavailable_reason();                         \
        if (!gp_reason.empty()) GP_SKIP("namespace lab unavailable: " + gp_reason); \
    } while (0)
