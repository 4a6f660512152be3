// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/csv.hpp"

namespace gp_test {

namespace {

std::string temp_path(const char* tag) {
    static std::atomic<int> counter{0};
    return "/tmp/gpt-" + std::to_string(getpid()) + "-" + tag + "-" + std::to_string(counter++);
}

// fork + exec with stdin from `in_fd`, stdout/stderr to files.
int spawn(const std::vector<std::string>& argv, int in_fd, const std::string& out, const std::string& err) {
    int pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        dup2(in_fd, 0);
        int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(e, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    return pid;
}

int wait_exit(int pid, std::chrono::steady_clock::time_point deadline) {
    int status = 0;
    while (true) {
        int rc = waitpid(pid, &status, WNOHANG);
        if (rc == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (std::chrono::steady_clock::now() >= deadline) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::string unique_lab_name() {
    static std::atomic<int> counter{0};
    return "gpt-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-";
}

std::string lab_script() {
    return std::string(GHOSTPORT_SOURCE_DIR) + "/tests/lab/lab.sh";
}

void must(const std::vector<std::string>& argv) {
    auto r = run(argv, std::chrono::seconds(30));
    if (r.exit_code != 0) {
        std::string cmd;
        for (auto& a : argv) cmd += a + " ";
        throw std::runtime_error("lab command failed: " + cmd + ": " + r.err);
    }
}

}  // namespace

RunResult run(const std::vector<std::string>& argv, std::chrono::seconds limit, const std::string& input) {
    auto in_path = temp_path("in"), out_path = temp_path("out"), err_path = temp_path("err");
    { std::ofstream(in_path) << input; }
    int in_fd = open(in_path.c_str(), O_RDONLY);
    int pid = spawn(argv, in_fd, out_path, err_path);
    close(in_fd);
    RunResult r;
    r.exit_code = wait_exit(pid, std::chrono::steady_clock::now() + limit);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    unlink(in_path.c_str());
    unlink(out_path.c_str());
    unlink(err_path.c_str());
    return r;
}

Background::Background(const std::vector<std::string>& argv, const std::string& wait_for)
    : out_file_(temp_path("bgout")), err_file_(temp_path("bgerr")) {
    int devnull = open("/dev/null", O_RDONLY);
    pid_ = spawn(argv, devnull, out_file_, err_file_);
    close(devnull);
    if (wait_for.empty()) return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (read_file(out_file_).find(wait_for) != std::string::npos) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("background process never printed '" + wait_for + "': " + read_file(err_file_));
}

RunResult Background::wait(std::chrono::seconds limit) {
    RunResult r;
    r.exit_code = wait_exit(pid_, std::chrono::steady_clock::now() + limit);
    pid_ = -1;
    r.out = read_file(out_file_);
    r.err = read_file(err_file_);
    return r;
}

Background::~Background() {
    if (pid_ > 0) {
        kill(-pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    unlink(out_file_.c_str());
    unlink(err_file_.c_str());
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

ScratchDir::ScratchDir(const std::string& tag, bool owner_only)
    : path_((std::filesystem::temp_directory_path() / ("gpt-" + std::to_string(getpid()) + "-" + tag))
                .string()) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
    std::filesystem::permissions(
        path_, owner_only ? std::filesystem::perms::owner_all
                          : std::filesystem::perms::all | std::filesystem::perms::sticky_bit);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::map<std::string, std::string> process_status(int pid) {
    std::map<std::string, std::string> fields;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const auto value = line.find_first_not_of(" \t", colon + 1);
        fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
    }
    return fields;
}

LoopbackNamespace::LoopbackNamespace(const std::string& tag)
    : name_("gpt-" + std::to_string(::getpid()) + "-" + tag) {
    using namespace std::chrono_literals;
    run({"ip", "netns", "del", name_}, 10s);
    const auto add = run({"ip", "netns", "add", name_}, 10s);
    ok_ = add.exit_code == 0 &&
          run({"ip", "netns", "exec", name_, "ip", "link", "set", "lo", "up"}, 10s).exit_code == 0 &&
          run({"ip", "netns", "exec", name_, "sysctl", "-qw", "net.ipv4.ip_unprivileged_port_start=0"}, 10s)
                  .exit_code == 0;
    if (!ok_) why_ = add.err;
}

LoopbackNamespace::~LoopbackNamespace() {
    run({"ip", "netns", "del", name_}, std::chrono::seconds(10));
}

std::set<std::string> ss_listener_keys(const std::string& ss) {
    std::set<std::string> out;
    std::istringstream lines(ss);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string netid, state, recv, send, local;
        if (!(fields >> netid >> state >> recv >> send >> local)) continue;
        const auto colon = local.rfind(':');
        std::string host = local.substr(0, colon);
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        // users:(("name",pid=N,fd=F),("name",pid=M,fd=G))
        std::vector<std::pair<int, std::string>> owners;
        for (std::size_t at = line.find("(\""); at != std::string::npos; at = line.find("(\"", at + 1)) {
            const auto name_end = line.find('"', at + 2);
            if (name_end == std::string::npos || line.compare(name_end, 6, "\",pid=") != 0) continue;
            owners.emplace_back(std::atoi(line.c_str() + name_end + 6),
                                line.substr(at + 2, name_end - at - 2));
        }
        std::sort(owners.begin(), owners.end());
        std::string pids, procs;
        for (const auto& [pid, proc] : owners) {
            pids += (pids.empty() ? "" : ",") + std::to_string(pid);
            procs += (procs.empty() ? "" : ",") + proc;
        }
        out.insert(netid + " " + host + ":" + local.substr(colon + 1) + " pids=" + pids + " procs=" + procs);
    }
    return out;
}

std::string lab_unavailable_reason() {
    static const std::string reason = [] {
        if (geteuid() != 0) return std::string("needs root (CAP_NET_ADMIN) to create network namespaces");
        for (const char* tool : {"ip", "nft"}) {
            auto r = run({"sh", "-c", std::string("command -v ") + tool}, std::chrono::seconds(5));
            if (r.exit_code != 0) return std::string(tool) + " is not installed (iproute2, nftables)";
        }
        auto probe = "gpt-" + std::to_string(getpid()) + "-probe";
        auto r = run({"ip", "netns", "add", probe}, std::chrono::seconds(10));
        if (r.exit_code != 0) return "cannot create a network namespace: " + r.err;
        run({"ip", "netns", "del", probe}, std::chrono::seconds(10));
        return std::string();
    }();
    return reason;
}

Lab::Lab(int hosts) : name_(unique_lab_name()) {
    must({lab_script(), "up", name_, std::to_string(hosts)});
}

Lab::~Lab() {
    listeners_.clear();
    run({lab_script(), "down", name_}, std::chrono::seconds(30));
}

void Lab::firewall(const std::vector<std::string>& rules) {
    std::vector<std::string> argv{lab_script(), "firewall", name_};
    argv.insert(argv.end(), rules.begin(), rules.end());
    must(argv);
}

void Lab::icmp_default() {
    must({lab_script(), "icmp-default", name_});
}

std::vector<std::string> Lab::in_target(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"ip", "netns", "exec", name_ + "t"});
    return argv;
}

void Lab::latency(const std::string& dev) {
    must({lab_script(), "latency", name_, dev});
}

std::size_t Lab::listen(const std::vector<std::string>& endpoints) {
    std::vector<std::string> argv{"ip", "netns", "exec", name_ + "t", listener_binary(), "--seconds", "600"};
    argv.insert(argv.end(), endpoints.begin(), endpoints.end());
    listeners_.push_back(std::make_unique<Background>(argv, "ready"));
    return listeners_.size() - 1;
}

void Lab::stop_listening(std::size_t handle) {
    // Destroying the Background kills the listener and waits for it, so its sockets are closed on return.
    if (handle < listeners_.size()) listeners_[handle].reset();
}

std::vector<std::string> Lab::in_scanner(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"ip", "netns", "exec", name_ + "s"});
    return argv;
}

std::set<std::string> ResponderTruth::of(const std::string& state) const {
    auto it = by_state.find(state);
    return it == by_state.end() ? std::set<std::string>() : it->second;
}

ResponderTruth responder_truth(const std::vector<std::string>& options, const std::string& ports) {
    std::vector<std::string> argv{responder_binary(), "--truth-all", ports};
    argv.insert(argv.end(), options.begin(), options.end());
    auto r = run(argv, std::chrono::seconds(30));
    if (r.exit_code != 0) throw std::runtime_error("gp_responder --truth-all failed: " + r.err);
    ResponderTruth t;
    std::istringstream in(r.out);
    std::string key, state;
    int rtt = 0;
    while (in >> key >> state >> rtt) {  // "HOST:PORT STATE RTT_MS"
        t.by_state[state].insert(key);
        t.rtt_ms[key.substr(0, key.rfind(':'))] = rtt;
    }
    return t;
}

std::unique_ptr<Background> start_responder(Lab& lab, const std::vector<std::string>& options, int seconds) {
    const std::string dev = lab.name() + "r";
    lab.latency(dev);
    std::vector<std::string> argv{responder_binary(), "--dev", dev, "--seconds", std::to_string(seconds)};
    argv.insert(argv.end(), options.begin(), options.end());
    return std::make_unique<Background>(lab.in_scanner(argv), "ready");
}

std::string ghostport_binary() {
    return GHOSTPORT_BINARY;
}
std::string listener_binary() {
    return GP_LISTEN_BINARY;
}
std::string responder_binary() {
    return GP_RESPONDER_BINARY;
}
std::string service_binary() {
    return GP_SERVICE_BINARY;
}

std::string test_registry() {
    std::string p = std::string(GHOSTPORT_SHARED_DIR) + "/data/iana/service-names-port-numbers.csv";
    return access(p.c_str(), R_OK) == 0 ? p : "";
}

std::vector<std::string> with_registry(std::vector<std::string> argv) {
    if (auto reg = test_registry(); !reg.empty()) argv.insert(argv.end(), {"--registry", reg});
    return argv;
}

std::vector<std::string> scan_args(const std::vector<std::string>& extra) {
    std::vector<std::string> argv{ghostport_binary(), "scan", "--no-progress"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return with_registry(std::move(argv));
}

std::set<std::string> keys(const std::vector<CsvRow>& rows, const std::string& state) {
    std::set<std::string> out;
    for (const auto& r : rows)
        if (r.at("state") == state) out.insert(r.at("host") + ":" + r.at("port"));
    return out;
}

std::vector<CsvRow> parse_csv_report(const std::string& text) {
    ghostport::core::CsvReader reader(text);
    std::vector<std::string> header, fields;
    std::vector<CsvRow> rows;
    if (!reader.next(header)) return rows;
    while (reader.next(fields)) {
        CsvRow row;
        for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<std::string> PerEngine::args(std::vector<std::string> extra) const {
    extra.push_back("--engine");
    extra.push_back(GetParam());
    return scan_args(extra);
}

}  // namespace gp_test
