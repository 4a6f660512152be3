// `ghostport scan`: wires targets -> scheduler/engine -> collector -> registry labels -> report sinks.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include "cli/audit.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "cli/duration.hpp"
#include "cli/interrupt.hpp"
#include "cli/privileges.hpp"
#include "cli/report_output.hpp"
#include "cli/result_collector.hpp"
#include "cli/resume_file.hpp"
#include "cli/shard_env.hpp"
#include "core/errors.hpp"
#include "core/report.hpp"
#include "output/atomic_file.hpp"
#include "output/format.hpp"
#include "output/progress.hpp"
#include "output/table.hpp"
#include "registry/labeler.hpp"
#include "registry/prevalence.hpp"
#include "registry/registry.hpp"
#include "registry/registry_source.hpp"
#include "scanner/discovery.hpp"
#include "scanner/engine.hpp"
#include "scanner/port_spec.hpp"
#include "scanner/reverse_dns.hpp"
#include "scanner/sweep.hpp"
#include "scanner/target_spec.hpp"

namespace ghostport::cli {

namespace {

struct ScanOptions {
    scanner::TargetOptions targets;
    std::string ports = "all";
    std::size_t top_ports = 0;
    std::string engine = "auto";
    std::string timeout = "1s";
    unsigned retries = 2;
    bool retries_given = false;  // --retries on the command line: exactly that many, never adapted
    double max_rate = 0, min_rate = 0;
    std::uint64_t port_threshold = 1000;
    unsigned concurrency = 0;
    std::optional<std::uint64_t> seed;
    std::string shard;
    std::string output_path;
    std::string format;
    std::vector<std::string> show{"open"};
    bool quiet = false, no_progress = false;
    std::optional<std::string> registry_file, prevalence_file;
    AuditOptions audit;
    bool no_discovery = false, discovery_only = false, no_rdns = false;
    std::string resume_path;
    std::uint64_t max_targets = 1ull << 32;
    bool yes = false;
    bool no_drop_privileges = false;
    std::optional<std::string> drop_user;
    std::string umask;              // --umask, octal; "" = reports and checkpoints are 0600
    unsigned file_mode = 0600;      // from --umask
    std::vector<std::string> argv;  // the arguments after the program name, for the resume file
    std::string command_line;
};

ShowStates parse_show(const std::vector<std::string>& items) {
    ShowStates s{false, false, false};
    for (const auto& item : items) {
        if (item == "open")
            s.open = true;
        else if (item == "closed")
            s.closed = true;
        else if (item == "filtered")
            s.filtered = true;
        else if (item == "all")
            s = {true, true, true};
        else
            throw core::InputError(fmt::format("bad --show '{}': use open, closed, filtered or all", item));
    }
    return s;
}

// The rows --show asks for, and every row compared with the baseline (a gone listener is closed now).
std::vector<core::ReportRow> shown_rows(std::vector<core::ReportRow> rows, const ShowStates& show) {
    std::erase_if(rows, [&](const core::ReportRow& r) {
        if (r.change != core::Change::none) return false;
        switch (r.result.state) {
            case core::PortState::open:
                return !show.open;
            case core::PortState::closed:
                return !show.closed;
            case core::PortState::filtered:
                return !show.filtered;
            case core::PortState::all_open:
                return false;
        }
        return true;
    });
    return rows;
}

// "auto" is syn when this process may send raw packets, else connect (said once on standard error).
std::string choose_engine(const std::string& requested, bool quiet) {
    if (requested != "auto") {
        if (requested == "syn" && !scanner::syn_engine_permitted())
            throw core::RuntimeError(
                "--engine syn needs root or CAP_NET_RAW (raw sockets); use --engine connect");
        return requested;
    }
    if (scanner::syn_engine_permitted()) return "syn";
    if (!quiet)
        std::fprintf(stderr,
                     "ghostport: no raw-socket permission (root or CAP_NET_RAW): using the connect engine\n");
    return "connect";
}

// The label of a host that answered SYN-ACK on more than --port-threshold ports.
core::ServiceLabel all_open_label(std::uint64_t open_ports, std::size_t ports_scanned) {
    core::ServiceLabel label;
    label.description = fmt::format(
        "answered SYN-ACK on {} of {} ports: a tarpit or an IPS answering everything; ports not listed",
        open_ports, ports_scanned);
    return label;
}

// "022" -> 022; throws InputError for anything but 1 to 4 octal digits.
unsigned parse_umask(const std::string& text) {
    if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos)
        throw core::InputError(fmt::format("bad --umask '{}': give an octal mask such as 022 or 077", text));
    return static_cast<unsigned>(std::stoul(text, nullptr, 8)) & 0777;
}

scanner::DiscoveryOptions discovery_options(const scanner::EngineOptions& e) {
    scanner::DiscoveryOptions d;
    d.timeout = e.timeout;
    d.retries = 1;
    d.max_rate = e.max_rate;
    return d;
}

// A scan under --resume: one walk whose position is checkpointed every 2 s and at the end. With discovery,
// the live hosts are found first (all of them, so that a resumed run walks the same hosts in the same
// order) and kept in the checkpoint; the sweep is then one walk over them.
struct Checkpointed {
    static constexpr auto interval = std::chrono::seconds(2);

    const ScanOptions& o;
    const std::optional<ResumeState>& resumed;
    std::uint64_t seed;
    std::chrono::system_clock::time_point started_at;
    const scanner::TargetSet& targets;
    const std::vector<std::uint16_t>& ports;
    scanner::Shard shard;
    bool discover;
    const std::string& engine_name;
    const scanner::EngineOptions& engine_opt;
    std::vector<bool> host_up{};
    bool discovery_complete = true;

    scanner::EngineStats scan(scanner::Engine& engine, ResultCollector& collector,
                              const scanner::EngineHooks& hooks, const std::atomic<bool>& stop) {
        ResumeState state;
        state.argv = o.argv;
        state.seed = seed;
        state.started_at = started_at;
        scanner::TargetSet live_set;
        const scanner::TargetSet* walk_hosts = &targets;
        if (discover) {
            std::vector<core::Address> live;
            if (resumed && resumed->live_hosts) {
                live = *resumed->live_hosts;
            } else {
                std::mutex mutex;
                scanner::make_discovery(engine_name, discovery_options(engine_opt))
                    ->run(
                        targets,
                        [&](const scanner::HostUp& h) {
                            std::lock_guard lock(mutex);
                            live.push_back(h.host);
                        },
                        &stop);
                if (stop.load()) {
                    discovery_complete = false;
                    save_resume_file(o.resume_path, state,
                                     o.file_mode);  // no live hosts yet: discovery runs again
                    host_up.assign(targets.size(), false);
                    return {};
                }
            }
            host_up.assign(targets.size(), false);
            for (const auto& a : live) {
                live_set.add(scanner::AddressRange::single(a));
                if (auto i = targets.index_of(a)) host_up[*i] = true;
            }
            live_set.finalize();
            walk_hosts = &live_set;
            state.live_hosts = std::move(live);
        }
        const std::uint64_t low = resumed ? resumed->low : 0;
        scanner::TargetSource walk(*walk_hosts, ports, seed, shard, low);
        collector.track([&walk](const core::PortResult& r) { return walk.position_of(r.host, r.port); },
                        core::WalkMark(low, resumed ? resumed->above : decltype(resumed->above){}));
        if (resumed) collector.restore(resumed->results, resumed->counts, resumed->responsive);

        auto save = [&] {
            auto snap = collector.snapshot();
            state.low = snap.low;
            state.above = std::move(snap.above);
            state.counts = snap.counts;
            state.responsive = std::move(snap.responsive);
            state.results = std::move(snap.results);
            save_resume_file(o.resume_path, state, o.file_mode);
        };
        save();
        std::mutex mutex;
        std::condition_variable wake;
        bool finished = false;
        std::exception_ptr checkpoint_error;
        std::thread checkpointer([&] {
            std::unique_lock lock(mutex);
            while (!wake.wait_for(lock, interval, [&] { return finished; })) {
                lock.unlock();
                try {
                    save();
                } catch (...) {
                    checkpoint_error = std::current_exception();
                }
                lock.lock();
                if (checkpoint_error) break;
            }
        });
        scanner::EngineStats stats;
        try {
            stats = engine.run(walk, hooks);
        } catch (...) {
            {
                std::lock_guard lock(mutex);
                finished = true;
            }
            wake.notify_all();
            checkpointer.join();
            throw;
        }
        {
            std::lock_guard lock(mutex);
            finished = true;
        }
        wake.notify_all();
        checkpointer.join();
        if (checkpoint_error) std::rethrow_exception(checkpoint_error);
        // The final position: where an interrupted scan got to, or the whole scan, so that a report that
        // cannot be written (a full disk) is still recoverable with --resume.
        save();
        stats.total += walk.skipped();
        stats.done += walk.skipped();
        return stats;
    }
};

// --discovery-only: which hosts are up, one line each, then a summary; no port is probed.
int run_discovery_only(const ScanOptions& o, const scanner::TargetSet& targets,
                       const std::string& engine_name, const scanner::EngineOptions& engine_opt) {
    auto discovery = scanner::make_discovery(engine_name, discovery_options(engine_opt));
    const auto& stop = install_interrupt_handlers();
    std::mutex mutex;
    std::vector<scanner::HostUp> up;
    const auto t0 = std::chrono::steady_clock::now();
    discovery->run(
        targets,
        [&](const scanner::HostUp& h) {
            std::lock_guard lock(mutex);
            up.push_back(h);
        },
        &stop);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
    std::sort(up.begin(), up.end(), [](auto& a, auto& b) { return a.host < b.host; });
    for (const auto& h : up) {
        const std::string& name = targets.hostname(h.host);
        std::printf("%s%s up %s %.3f ms\n", h.host.to_string().c_str(),
                    name.empty() ? "" : fmt::format(" ({})", name).c_str(),
                    std::string(scanner::to_string(h.reason)).c_str(), h.rtt_us / 1000.0);
    }
    if (!o.quiet)
        std::printf("%zu host%s up of %llu, in %.2f s\n", up.size(), up.size() == 1 ? "" : "s",
                    static_cast<unsigned long long>(targets.size()), took.count());
    std::fflush(stdout);
    if (stop.load()) {
        std::fprintf(stderr, "ghostport: interrupted; the host list is partial\n");
        return core::exit_runtime;
    }
    return core::exit_ok;
}

// The raw engines read packets strangers send: before any is read, keep only CAP_NET_RAW (privileges.hpp).
// From here on files are created as the user dropped to, so their folders must be writable by it.
void drop_to_least_privilege(const ScanOptions& o, const std::string& output_path) {
    const DropTarget target = drop_target(o.drop_user);
    if (!drop_privileges(target)) return;
    for (const auto& [path, what] : {std::pair{output_path, "-o"}, std::pair{o.resume_path, "--resume"}})
        if (!folder_writable(path))
            throw core::RuntimeError(fmt::format(
                "{} {}: {} cannot create files in that folder once the SYN engine has dropped root; make it "
                "writable by {}, choose --drop-user, or give --no-drop-privileges",
                what, path, target.user, target.user));
}

int run_scan(const ScanOptions& o) {
    // Everything that can be wrong with the input is checked before a single packet is sent.
    const ShowStates show = parse_show(o.show);
    // --resume FILE with a checkpoint in it: the interrupted scan's seed and start go on.
    const std::optional<ResumeState> resumed =
        o.resume_path.empty() ? std::nullopt : load_resume_file(o.resume_path);
    const auto started_at = resumed ? resumed->started_at : std::chrono::system_clock::now();
    const std::string output_path = expand_time_patterns(o.output_path, started_at);
    const output::Format format = choose_format(o.format, output_path);
    const Audit audit = Audit::prepare(o.audit, o.quiet);
    scanner::EngineOptions engine_opt;
    engine_opt.timeout = parse_duration(o.timeout, "--timeout");
    engine_opt.retries = o.retries;
    // Unless told a number, the SYN engine adds tries when it measures loss (see retry_budget.hpp).
    engine_opt.max_retries = o.retries_given ? o.retries : std::max(o.retries, 6u);
    engine_opt.max_rate = o.max_rate;
    engine_opt.min_rate = o.min_rate;
    if (o.min_rate > 0 && o.max_rate > 0 && o.min_rate > o.max_rate)
        throw core::InputError(fmt::format("--min-rate {} is above --max-rate {}", o.min_rate, o.max_rate));
    engine_opt.concurrency = o.concurrency;
    const std::string engine_name = choose_engine(o.engine, o.quiet);
    auto engine = scanner::make_engine(engine_name, engine_opt);

    auto registry_choice = registry::locate_registry(o.registry_file, registry::SearchEnv::from_process());
    auto registry = registry::Registry::load(registry_choice.path);
    std::optional<registry::Prevalence> prevalence;
    if (auto p = registry::locate_prevalence(o.prevalence_file)) prevalence = registry::Prevalence::load(*p);

    std::vector<std::uint16_t> ports;
    if (o.top_ports > 0) {
        if (!prevalence)
            throw core::InputError(
                "--top-ports needs a prevalence file (install nmap-common or give --prevalence)");
        ports = prevalence->top_ports(o.top_ports, core::Proto::tcp);
    } else {
        ports = scanner::parse_ports(o.ports);
    }
    auto targets = scanner::build_targets(o.targets, scanner::system_resolver());
    if (engine_name == "syn" && !o.no_drop_privileges) drop_to_least_privilege(o, output_path);
    if (o.discovery_only) return run_discovery_only(o, targets, engine_name, engine_opt);
    // A scan this large is more often a typo (a /8 for a /24) than a plan: it needs --yes.
    const auto pairs = static_cast<unsigned __int128>(targets.size()) * ports.size();
    if (pairs > o.max_targets && !o.yes)
        throw core::InputError(fmt::format(
            "{} hosts x {} ports is {} host x port pairs, more than --max-targets {}; add --yes to scan them",
            targets.size(), ports.size(),
            static_cast<long double>(pairs) > 1.8e19L ? std::string("over 2^64")
                                                      : std::to_string(static_cast<std::uint64_t>(pairs)),
            o.max_targets));
    scanner::Shard shard;
    const std::string shard_spec = o.shard.empty() ? o.shard : resolve_shard(o.shard, [](const char* name) {
        return static_cast<const char*>(std::getenv(name));
    });
    if (!shard_spec.empty()) {
        shard = scanner::parse_shard(shard_spec);
        if (!o.seed)
            throw core::InputError("--shard needs --seed: every shard must walk the same shuffled order");
    }
    const std::uint64_t seed = resumed  ? resumed->seed
                               : o.seed ? *o.seed
                                        : std::random_device{}() * 0x100000001ull ^ std::random_device{}();
    scanner::TargetSource source(targets, ports, seed, shard);

    // Open the report file before scanning, so an unwritable destination fails now rather than after the
    // scan.
    std::unique_ptr<output::AtomicFile> file;
    if (!output_path.empty()) file = std::make_unique<output::AtomicFile>(output_path, o.file_mode);

    core::Report report;
    auto& meta = report.meta;
    meta.command_line = o.command_line;
    meta.engine = engine_name;
    meta.seed = seed;
    meta.shard = shard_spec;
    meta.registry_source = registry.source();
    meta.registry_snapshot = registry.snapshot_date();
    meta.prevalence_source = prevalence ? prevalence->source() : "";
    meta.hosts_targeted = targets.size();
    meta.ports_per_host = ports.size();
    meta.probes_planned = source.size();
    meta.started_at = started_at;
    meta.registry_stale = registry::snapshot_is_stale(meta.registry_snapshot, meta.started_at);
    if (meta.registry_stale && !o.quiet)
        std::fprintf(
            stderr,
            "ghostport: registry snapshot %s is older than a year (%s); run `ghostport registry update`\n",
            meta.registry_snapshot.c_str(), meta.registry_source.c_str());

    const bool progress_on = !o.quiet && !o.no_progress && isatty(STDERR_FILENO);
    output::Progress progress(progress_on);
    ResultCollector collector(show);
    if (const core::Report* baseline = audit.baseline()) {
        std::set<std::pair<core::Address, std::uint16_t>> listeners;
        for (const auto& row : baseline->rows) listeners.emplace(row.result.host, row.result.port);
        collector.watch(std::move(listeners));
    }
    const auto& stop = install_interrupt_handlers();
    const auto t0 = std::chrono::steady_clock::now();
    scanner::EngineHooks hooks;
    // Reverse DNS of every host with an open port, looked up on threads of its own while the scan goes on.
    std::unique_ptr<scanner::ReverseDns> rdns;
    if (!o.no_rdns) rdns = std::make_unique<scanner::ReverseDns>();
    hooks.on_result = [&](const core::PortResult& r) {
        collector.add(r);
        if (rdns && r.state == core::PortState::open) rdns->submit(r.host);
    };
    hooks.on_progress = [&](const scanner::EngineStats& s) {
        progress.update(s.done, s.total, s.open, std::chrono::steady_clock::now() - t0);
    };
    hooks.stop = &stop;
    // More than one address: discover which are up and sweep those, overlapped (scanner/sweep.hpp).
    const bool discover = !o.no_discovery && targets.size() > 1;
    scanner::EngineStats stats;
    std::vector<bool> host_up;  // with discovery: per target, found up
    bool discovery_complete = true;
    if (!o.resume_path.empty()) {
        Checkpointed run{o,     resumed, seed,     started_at,  targets,
                         ports, shard,   discover, engine_name, engine_opt};
        stats = run.scan(*engine, collector, hooks, stop);
        host_up = std::move(run.host_up);
        discovery_complete = run.discovery_complete;
        meta.probes_planned = stats.total;
    } else if (discover) {
        auto discovery = scanner::make_discovery(engine_name, discovery_options(engine_opt));
        scanner::SweepHooks sweep_hooks;
        sweep_hooks.engine = hooks;
        auto swept = scanner::sweep(*engine, *discovery, targets, ports, seed, shard, sweep_hooks);
        stats = swept.stats;
        host_up = std::move(swept.up);
        discovery_complete = swept.discovery_complete;
        meta.probes_planned = stats.total;
    } else {
        stats = engine->run(source, hooks);
    }
    progress.finish();

    meta.finished_at = std::chrono::system_clock::now();
    meta.probes_done = stats.done;
    meta.partial = stats.done < stats.total || !discovery_complete;
    meta.hosts_up = collector.responsive_hosts();
    if (discover) {
        // Up: found by discovery, or answered on a port (a host may ignore every discovery probe).
        meta.hosts_up = 0;
        for (std::uint64_t i = 0; i < targets.size(); ++i)
            meta.hosts_up += host_up[i] || collector.responded(targets.at(i));
    }
    meta.open = collector.count(core::PortState::open);
    meta.closed = collector.count(core::PortState::closed);
    meta.filtered = collector.count(core::PortState::filtered);

    // The names the lookups found, waiting at most a second for those still running: the scan is over and
    // a slow DNS server must not hold the report back.
    const auto names = rdns ? rdns->names(std::chrono::steady_clock::now() + std::chrono::seconds(1))
                            : std::map<core::Address, std::string>{};
    const auto all_open = collector.collapse_all_open(o.port_threshold);
    registry::Labeler labeler(registry, prevalence ? &*prevalence : nullptr);
    report.rows = labeler.label(collector.take_results(), meta.hosts_up);
    for (auto& row : report.rows) {
        row.hostname = targets.hostname(row.result.host);
        if (row.hostname.empty()) {
            if (auto it = names.find(row.result.host); it != names.end()) row.hostname = it->second;
        }
        if (row.result.state == core::PortState::all_open)
            row.label = all_open_label(all_open.at(row.result.host), ports.size());
    }
    // Every probed (host, port) of a baseline listener has a row (the collector watched them), so a listener
    // with no row was not probed by this scan (another target set or shard, or an interrupted scan), unless
    // discovery found its host down: then it is gone.
    std::vector<bool> port_scanned(65536, false);
    for (std::uint16_t p : ports) port_scanned[p] = true;
    audit.annotate(report, [&](const core::PortResult& r) {
        if (!discover || !discovery_complete || !port_scanned[r.port]) return false;
        const auto index = targets.index_of(r.host);
        return index && !host_up[*index];
    });
    report.rows = shown_rows(std::move(report.rows), show);

    const bool to_file = file != nullptr;
    if (file && meta.partial)
        file = std::make_unique<output::AtomicFile>(output_path + ".partial", o.file_mode);
    deliver_report(report, format, std::move(file), o.quiet);
    if (meta.partial) {
        std::fprintf(stderr, "ghostport: interrupted after %llu of %llu probes; the report is partial%s\n",
                     static_cast<unsigned long long>(meta.probes_done),
                     static_cast<unsigned long long>(meta.probes_planned),
                     to_file ? fmt::format(" ({}.partial)", output_path).c_str() : "");
        if (!o.resume_path.empty())
            std::fprintf(stderr, "ghostport: continue with: ghostport scan --resume %s\n",
                         o.resume_path.c_str());
        return core::exit_runtime;
    }
    if (!o.resume_path.empty()) std::filesystem::remove(o.resume_path);  // done: nothing to resume
    return audit.verdict(report);
}

}  // namespace

Runner add_scan_command(CLI::App& app, const std::string& command_line,
                        const std::vector<std::string>& args) {
    auto o = std::make_shared<ScanOptions>();
    o->command_line = command_line;
    o->argv = args;
    auto* cmd =
        app.add_subcommand("scan", "Scan TCP ports of hosts and label every open port with its rarity");
    cmd->add_option("targets", o->targets.targets,
                    "Hosts: IPv4/IPv6 literals, hostnames, CIDR blocks (198.18.0.0/24), IPv4 ranges "
                    "(198.18.1.10-20, 198.18.1.10-198.18.2.5)");
    cmd->add_option("--input-list", o->targets.input_files,
                    "-iL FILE: read targets from FILE (one per line, # comments, - = stdin)");
    cmd->add_option("--exclude", o->targets.excludes, "Exclude targets (SPEC[,SPEC...])");
    cmd->add_option("--exclude-file", o->targets.exclude_files, "Exclude the targets listed in FILE");
    auto* ports = cmd->add_option("-p,--ports", o->ports,
                                  "Ports: 22,80,1000-2000, or well-known (0-1023), registered (1024-49151), "
                                  "dynamic (49152-65535), all (1-65535; port 0 only when named)")
                      ->capture_default_str();
    cmd->add_option("--top-ports", o->top_ports,
                    "Scan the N ports most often found open (needs the prevalence file)")
        ->excludes(ports)
        ->check(CLI::PositiveNumber);
    cmd->add_option("--engine", o->engine,
                    "Scan engine: syn (raw SYN packets; needs root or CAP_NET_RAW), connect (full TCP "
                    "connections; no privilege), auto (syn when permitted, else connect)")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "syn", "connect"}));
    cmd->add_option("--timeout", o->timeout,
                    "Initial and maximum probe timeout (500ms, 2s); it adapts to each host's measured RTT")
        ->capture_default_str();
    cmd->add_option("--retries", o->retries,
                    "Extra tries for a probe that got no answer (unless this is given, syn raises it up to 6 "
                    "when it measures loss)")
        ->capture_default_str()
        ->check(CLI::Range(0u, 20u));
    cmd->add_option("--max-rate", o->max_rate,
                    "At most N probes per second (default: syn adapts its rate to drops; connect is "
                    "unlimited)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--min-rate", o->min_rate,
                    "syn: at least N probes per second, even when drops say slow down")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--port-threshold", o->port_threshold,
                    "A host with more open ports than N is reported once as all-open (a tarpit or an IPS)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--concurrency", o->concurrency,
                    "Probes in flight (default: sized from the open-file limit)")
        ->check(CLI::Range(1u, 1u << 20));
    cmd->add_option("--seed", o->seed, "Seed of the shuffled probe order (default: random)");
    cmd->add_option("--shard", o->shard,
                    "K/N: scan only the K-th of N slices of the shuffled walk (same --seed on every shard; "
                    "the N reports together cover every probe once); auto: K and N from a Slurm job array, "
                    "auto/N: K from a Kubernetes Indexed Job");
    cmd->add_option("-o,--output", o->output_path,
                    "Write the report to FILE (atomically); strftime patterns expand (audit-%Y%m%d.csv)");
    cmd->add_option(
        "--format", o->format,
        "Report format: table, csv, json, xml (nmap's, for ndiff and importers) or html (default: "
        "from -o's extension, else table)");
    cmd->add_option("--show", o->show, "States to report: open, closed, filtered, all")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_flag("-q,--quiet", o->quiet, "No progress and no notices; with -o, no table on standard output");
    cmd->add_flag("--no-progress", o->no_progress, "No progress line on standard error");
    cmd->add_option("--registry", o->registry_file,
                    "IANA service-names-port-numbers.csv (or services(5)) to label with");
    cmd->add_option("--prevalence", o->prevalence_file, "Open-frequency file in nmap-services format");
    auto* no_discovery = cmd->add_flag("--no-discovery", o->no_discovery,
                                       "-Pn: skip host discovery and sweep every targeted address");
    cmd->add_flag(
           "--discovery-only", o->discovery_only,
           "-sn: only find which hosts are up (ICMP echo and timestamp, SYN to 443, ACK to 80; connect: "
           "a few common ports) and list them")
        ->excludes(no_discovery);
    cmd->add_flag("-n,--no-rdns", o->no_rdns,
                  "No reverse DNS: by default the hostname of a host with open ports that was given as an "
                  "address is looked up (PTR, or /etc/hosts), without slowing the scan");
    cmd->add_option(
           "--max-targets", o->max_targets,
           "Refuse a scan of more than N host x port pairs unless --yes is given (a /8 typed for a /24)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--yes", o->yes, "Scan even beyond --max-targets");
    cmd->add_option("--drop-user", o->drop_user,
                    "syn as root: the user to run as once the raw sockets may be opened (default: the user "
                    "who ran sudo, else nobody); only CAP_NET_RAW is kept")
        ->excludes(cmd->add_flag("--no-drop-privileges", o->no_drop_privileges,
                                 "Keep every privilege (debugging): by default the SYN engine runs as "
                                 "--drop-user with CAP_NET_RAW alone"));
    cmd->add_option(
        "--umask", o->umask,
        "Create reports and checkpoints with 0666 less this octal mask (default: 0600, owner only)");
    cmd->add_option("--resume", o->resume_path,
                    "Checkpoint the scan to FILE (every 2 s and on Ctrl-C/SIGTERM); when FILE holds one, "
                    "continue that scan instead (its own options)");
    add_audit_options(*cmd, o->audit, true);
    cmd->set_config("--config", "",
                    "Read options from a TOML or INI FILE (long option names as keys); "
                    "options on the command line win");
    return [cmd, o]() -> int {
        if (!cmd->parsed()) return core::exit_usage;
        apply_config_file(*cmd);
        o->retries_given = cmd->count("--retries") > 0;
        if (!o->umask.empty()) o->file_mode = 0666 & ~parse_umask(o->umask);
        return run_scan(*o);
    };
}

}  // namespace ghostport::cli
