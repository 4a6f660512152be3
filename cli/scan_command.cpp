// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport scan`: wires the pipeline targets -> discovery -> sweep -> identify -> labels -> report sinks.
// Start here: run_scan reads top to bottom; each step lives in its own file (scan_setup, checkpointed_scan,
// scan_report, report_output).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "cli/checkpointed_scan.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "cli/duration.hpp"
#include "cli/interrupt.hpp"
#include "cli/report_output.hpp"
#include "cli/result_collector.hpp"
#include "cli/scan_options.hpp"
#include "cli/scan_report.hpp"
#include "cli/scan_setup.hpp"
#include "cli/udp_scan.hpp"
#include "core/errors.hpp"
#include "output/progress.hpp"
#include "scanner/discovery.hpp"
#include "scanner/identify.hpp"
#include "scanner/reverse_dns.hpp"
#include "scanner/stage.hpp"
#include "scanner/sweep.hpp"

namespace ghostport::cli {

namespace {

// The stages after the sweep, fed from the engine's result hook: -sV's identify stage today.
scanner::Pipeline make_pipeline(const ScanSetup& s, ResultCollector& collector) {
    scanner::Pipeline pipeline;
    if (const Identification* id = s.identification.get())
        pipeline.add(scanner::make_identify_stage(
            id->defs, *id->matcher, id->options,
            [&targets = s.targets](const core::Address& a) { return targets.hostname(a); },
            [&collector](const core::PortResult& r, core::ServiceInfo info) {
                collector.add_service(r, std::move(info));
            }));
    return pipeline;
}

// Host discovery must pay for itself. It sends four probes to every host (echo, timestamp, SYN to 443, ACK
// to 80) and waits out a timeout after each round; with one or two ports per host, probing those ports
// directly costs no more packets and no waiting, and an answer on a port shows the host up just as well.
// So above this many ports per host discovery runs first; at or below it every address is swept (-Pn).
constexpr std::size_t discovery_pays_above = 2;

// The sweep in one of its three shapes: checkpointed (--resume), with host discovery overlapped (more than
// one address), or one walk over every pair.
SweepOutcome run_sweep(const ScanOptions& o, ScanSetup& s, ResultCollector& collector,
                       scanner::Pipeline& stages, const scanner::EngineHooks& hooks,
                       const std::atomic<bool>& stop) {
    SweepOutcome out;
    const std::size_t per_host = s.tcp ? s.ports.size() : s.udp_ports.size();  // UDP alone: its own
    out.discovered = !o.no_discovery && s.targets.size() > 1 && per_host > discovery_pays_above;
    if (!o.resume_path.empty()) {
        Checkpointed run{o,       s.resumed,      s.seed,        s.started_at, s.targets, s.ports,
                         s.shard, out.discovered, s.engine_name, s.engine_opt, s.files()};
        run.identify_again = [&stages](const core::PortResult& r) {
            if (r.proto == core::Proto::tcp) stages.take(r);
        };
        run.after_sweep = [&stages, &stop] { stages.finish(&stop); };  // checkpointed as it goes
        if (s.udp) {
            // -sU: after the TCP walk, in the same checkpoints.
            run.udp_ports = &s.udp_ports;
            run.sweep_udp = [&](const scanner::TargetSet& hosts, Checkpointed::DecidedFn decided) {
                return sweep_udp_hosts(s, collector, hooks, hosts, std::move(decided));
            };
        }
        out.stats = run.scan(*s.engine, collector, hooks, stop);
        out.host_up = std::move(run.host_up);
        out.discovery_complete = run.discovery_complete;
    } else if (out.discovered) {
        auto discovery = scanner::make_discovery(s.engine_name, discovery_options(s.engine_opt));
        scanner::SweepHooks sweep_hooks;
        sweep_hooks.engine = hooks;
        auto swept = scanner::sweep(*s.engine, *discovery, s.targets, s.ports, s.seed, s.shard, sweep_hooks);
        out.stats = swept.stats;
        out.host_up = std::move(swept.up);
        out.discovery_complete = swept.discovery_complete;
    } else {
        out.stats = s.engine->run(scanner::TargetSource(s.targets, s.ports, s.seed, s.shard), hooks);
    }
    return out;
}

// --max-scan-time: stops the scan (as a first Ctrl-C would) once `limit` has passed, unless finished first.
class ScanTimer {
  public:
    ScanTimer(std::chrono::milliseconds limit, const std::atomic<bool>& stop)
        : thread_([this, limit, &stop] {
              std::unique_lock lock(mutex_);
              if (!wake_.wait_for(lock, limit, [this] { return over_; })) {
                  fired_ = !stop.load();
                  request_stop();
              }
          }) {}
    ~ScanTimer() { finish(); }
    ScanTimer(const ScanTimer&) = delete;
    ScanTimer& operator=(const ScanTimer&) = delete;
    // Ends the timer; returns whether it stopped the scan.
    bool finish() {
        {
            std::lock_guard lock(mutex_);
            over_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
        return fired_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool over_ = false, fired_ = false;
    std::thread thread_;
};

// Writes the report (FILE.partial when interrupted) and returns the exit status. `capped`: stopped by
// --max-scan-time rather than a signal.
int deliver(const ScanOptions& o, ScanSetup& s, const core::Report& report, bool capped) {
    const bool to_file = s.file != nullptr;
    if (s.file && report.meta.partial)
        s.file = std::make_unique<output::AtomicFile>(s.output_path + ".partial", o.file_mode, s.files());
    deliver_report(report, s.format, std::move(s.file), o.quiet);
    if (report.meta.partial) {
        const auto done = report.meta.probes_done, planned = report.meta.probes_planned;
        std::fprintf(
            stderr,
            "ghostport: %s after %llu of %llu probes (%llu left undecided); the report is partial%s\n",
            capped ? fmt::format("stopped at --max-scan-time {}", o.max_scan_time).c_str() : "interrupted",
            static_cast<unsigned long long>(done), static_cast<unsigned long long>(planned),
            static_cast<unsigned long long>(planned > done ? planned - done : 0),
            to_file ? fmt::format(" ({}.partial)", s.output_path).c_str() : "");
        if (!o.resume_path.empty())
            std::fprintf(stderr, "ghostport: continue with: ghostport scan --resume %s\n",
                         o.resume_path.c_str());
        return core::exit_runtime;
    }
    if (!o.resume_path.empty()) s.files().remove(o.resume_path);  // done: nothing to resume
    return s.audit.verdict(report);
}

int run_scan(const ScanOptions& o) {
    // Everything that can be wrong with the input is checked before a single packet is sent.
    ScanSetup s = prepare_scan(o);
    if (o.discovery_only) return run_discovery_only(o, s);
    plan_walk(o, s);
    std::uint64_t planned = 0;
    if (s.tcp) planned += scanner::TargetSource(s.targets, s.ports, s.seed, s.shard).size();
    if (s.udp) planned += scanner::TargetSource(s.targets, s.udp_ports, s.seed, s.shard).size();
    core::Report report = start_report(o, s, planned);

    ResultCollector collector(s.show);
    if (const core::Report* baseline = s.audit.baseline()) {
        std::set<core::PortKey> listeners;
        for (const auto& row : baseline->rows) listeners.insert(core::key_of(row.result));
        collector.watch(std::move(listeners));
    }
    scanner::Pipeline stages = make_pipeline(s, collector);
    // Reverse DNS of every host with an open port, looked up on threads of its own while the scan goes on.
    std::unique_ptr<scanner::ReverseDns> rdns;
    if (!o.no_rdns) rdns = std::make_unique<scanner::ReverseDns>();
    output::Progress progress(!o.quiet && !o.no_progress && isatty(STDERR_FILENO));
    const auto& stop = install_interrupt_handlers();
    const auto t0 = std::chrono::steady_clock::now();
    scanner::EngineHooks hooks;
    hooks.on_result = [&](const core::PortResult& r) {
        collector.add(r);
        if (r.proto == core::Proto::tcp)
            stages.take(r);  // -sV speaks TCP; UDP answers are named as they come
        if (rdns && r.state == core::PortState::open) rdns->submit(r.host);
    };
    hooks.on_progress = [&](const scanner::EngineStats& st) {
        progress.update(st.done, st.total, st.open, std::chrono::steady_clock::now() - t0);
    };
    hooks.stop = &stop;
    // --max-scan-time: a timer that stops the scan as a first Ctrl-C would.
    std::optional<ScanTimer> cap;
    if (!o.max_scan_time.empty()) cap.emplace(parse_duration(o.max_scan_time, "--max-scan-time"), stop);

    SweepOutcome swept;
    const bool checkpointed = !o.resume_path.empty();  // then the UDP sweep is part of run_sweep's walk
    if (s.tcp || checkpointed) swept = run_sweep(o, s, collector, stages, hooks, stop);
    if (s.udp && !checkpointed && !stop.load()) {
        // UDP after TCP: on the hosts TCP found up, its progress counted on top of TCP's.
        const scanner::EngineStats before = swept.stats;
        scanner::EngineHooks udp_hooks = hooks;
        udp_hooks.on_progress = [&](const scanner::EngineStats& st) {
            progress.update(before.done + st.done, before.total + st.total, before.open + st.open,
                            std::chrono::steady_clock::now() - t0);
        };
        SweepOutcome udp = run_udp(o, s, collector, udp_hooks, s.tcp ? &swept : nullptr);
        if (s.tcp) {
            swept.stats.total += udp.stats.total;
            swept.stats.done += udp.stats.done;
            swept.stats.open += udp.stats.open;
            swept.stats.attempts += udp.stats.attempts;
        } else {
            swept = std::move(udp);
        }
    } else if (s.udp && !checkpointed) {
        swept.stats.total += scanner::TargetSource(s.targets, s.udp_ports, s.seed, s.shard).size();
    }
    const bool capped = cap && cap->finish();
    progress.finish();
    stages.finish(&stop);  // identification completes what the sweep handed it (done already with --resume)
    swept.stopped = stop.load();

    // The names the lookups found, waiting at most 300 ms for those still running: the scan is over and a
    // slow or silent DNS server must not hold the report back (the lookups began when the ports were found).
    const auto names = rdns ? rdns->names(std::chrono::steady_clock::now() + std::chrono::milliseconds(300))
                            : std::map<core::Address, std::string>{};
    finish_report(report, o, s, collector, swept, names);
    const int code = deliver(o, s, report, capped);
    if (s.privsep) end_worker(code);  // does not return (but under the sanitizers)
    return code;
}

}  // namespace

Runner add_scan_command(CLI::App& app, const std::string& command_line,
                        const std::vector<std::string>& args) {
    auto o = std::make_shared<ScanOptions>();
    o->command_line = command_line;
    o->argv = args;
    auto* cmd = app.add_subcommand("scan",
                                   "Scan TCP (and -sU: UDP) ports of hosts, label every open port with its "
                                   "rarity, and (-sV) say what answers");
    add_scan_options(*cmd, *o);
    cmd->set_config("--config", "",
                    "Read options from a TOML or INI FILE (long option names as keys); "
                    "options on the command line win")
        ->type_name("FILE");
    return [cmd, o]() -> int {
        if (!cmd->parsed()) return core::exit_usage;
        apply_config_file(*cmd);
        o->retries_given = cmd->count("--retries") > 0;
        if (!o->umask.empty()) o->file_mode = report_file_mode(parse_umask(o->umask));
        return run_scan(*o);
    };
}

}  // namespace ghostport::cli
