// SPDX-License-Identifier: GPL-2.0-or-later
// Everything a scan needs, prepared and checked before a single packet is sent.
#include "cli/scan_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>

#include "cli/checkpointed_scan.hpp"
#include "cli/duration.hpp"
#include "cli/interrupt.hpp"
#include "cli/privileges.hpp"
#include "cli/report_output.hpp"
#include "cli/shard_env.hpp"
#include "core/errors.hpp"
#include "probes/udp_payloads.hpp"
#include "registry/registry_source.hpp"
#include "scanner/discovery.hpp"
#include "scanner/fd_limit.hpp"
#include "scanner/port_spec.hpp"
#include "scanner/target_spec.hpp"
#include "scanner/udp_engine.hpp"

namespace ghostport::cli {

namespace {

// "auto" is syn when this process may send raw packets, else connect (said once on standard error).
std::string choose_engine(const std::string& requested, bool quiet, bool udp) {
    if (requested != "auto") {
        if (requested == "syn" && !scanner::syn_engine_permitted())
            throw core::RuntimeError(
                "--engine syn needs root or CAP_NET_RAW (raw sockets); use --engine connect");
        return requested;
    }
    if (scanner::syn_engine_permitted()) return "syn";
    if (!quiet)
        std::fprintf(
            stderr, "ghostport: no raw-socket permission (root or CAP_NET_RAW): using the connect engine%s\n",
            udp ? " (UDP through the kernel's sockets: ICMP errors come back through IP_RECVERR)" : "");
    return "connect";
}

// Packets and banners come from strangers: before any is read, a privileged process splits in two and
// goes on as the unprivileged worker (privsep.hpp). The report and checkpoint files stay the invoking
// user's: the privileged part creates and renames them, and only them.
std::unique_ptr<PrivsepClient> separate(const ScanOptions& o, const std::string& output_path) {
    PrivsepPlan plan;
    plan.worker = drop_target(o.drop_user);
    for (const auto& path : {output_path, output_path.empty() ? "" : output_path + ".partial", o.resume_path})
        if (!path.empty()) plan.files.emplace_back(path);
    return separate_privileges(plan);
}

// -sV's definitions, loaded and compiled (a bad entry is an InputError naming file and line).
std::unique_ptr<Identification> load_identification(const ScanOptions& o) {
    auto id = std::make_unique<Identification>();
    id->defs = probes::ServiceDefs::load(locate_service_probes(o.service_probes));
    id->matcher = std::make_unique<probes::Matcher>(id->defs);
    id->options.intensity = o.version_intensity;
    id->options.timeout = parse_duration(o.version_timeout, "--version-timeout");
    id->options.port_threshold = o.port_threshold;
    return id;
}

// -sU's payload definitions, compiled, and the UDP engine that sends them (a bad entry is an InputError
// naming file and line).
std::unique_ptr<UdpPart> load_udp(const std::string& engine_name, const scanner::EngineOptions& opt) {
    auto part = std::make_unique<UdpPart>();
    part->defs = probes::ServiceDefs::load(locate_udp_payloads(std::nullopt));
    part->matcher = std::make_unique<probes::Matcher>(part->defs);
    const probes::ServiceDefs* defs = &part->defs;
    part->engine = scanner::make_udp_engine(engine_name, opt, [defs](std::uint16_t port) {
        std::vector<scanner::UdpPayload> out;
        for (std::size_t i : probes::udp_probe_order(*defs, port))
            out.push_back({i, probes::datagram_bytes(*defs, i)});
        return out;
    });
    return part;
}

}  // namespace

std::string no_prevalence_notice(bool refused) {
    return fmt::format(
        "no prevalence data ({}): rarity unknown; install nmap-common or pass --prevalence FILE",
        refused ? "--no-prevalence" : "no --prevalence FILE and no /usr/share/nmap/nmap-services");
}

std::string udp_duration_notice(std::size_t udp_ports) {
    constexpr std::size_t notice_above = 1000, burst = 6;
    if (udp_ports <= notice_above) return "";
    const std::uint64_t seconds = udp_ports - burst;  // one a second after the burst
    const std::uint64_t hours = seconds / 3600, minutes = seconds % 3600 / 60;
    const std::string took = hours > 0 ? fmt::format("{} h {:02} min", hours, minutes)
                                       : fmt::format("{} min", std::max<std::uint64_t>(minutes, 1));
    return fmt::format(
        "-sU on {} ports per host: a host that rations ICMP port unreachable like Linux (one a second) needs "
        "up to about {} to tell its closed ones apart; hosts are scanned side by side",
        udp_ports, took);
}

std::string locate_service_probes(const std::optional<std::string>& given) {
    if (given) return *given;
    if (const char* env = std::getenv("GHOSTPORT_SERVICE_PROBES"); env && *env) return env;
    const std::string places[] = {std::string(GHOSTPORT_DATA_DIR) + "/tcp_services.txt",
                                  std::string(GHOSTPORT_SOURCE_DIR) + "/probes/tcp_services.txt"};
    for (const auto& p : places) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(p, ec)) return p;
    }
    throw core::InputError(fmt::format(
        "-sV: no service probe definitions found (looked for {} and {}); give --service-probes FILE",
        places[0], places[1]));
}

PortChoice choose_ports(const ScanOptions& o, const registry::Prevalence* prevalence) {
    constexpr std::size_t default_udp_ports = 100;
    PortChoice c;
    std::optional<scanner::PortPlan> plan;
    if (!o.ports.empty()) plan = scanner::parse_port_plan(o.ports);
    if (plan && plan->udp_prefixed && !o.udp)
        throw core::InputError(fmt::format("-p '{}' names UDP ports (U:) but UDP is not scanned: add -sU",
                                           o.ports.substr(0, 60)));
    c.udp = o.udp;
    c.tcp = !o.udp || o.tcp || (plan && plan->tcp_prefixed);
    if (o.top_ports > 0) {
        if (!prevalence)
            throw core::InputError(
                "--top-ports needs a prevalence file (install nmap-common or give --prevalence)");
        if (c.tcp) c.tcp_ports = prevalence->top_ports(o.top_ports, core::Proto::tcp);
        if (c.udp) c.udp_ports = prevalence->top_ports(o.top_ports, core::Proto::udp);
    } else if (plan) {
        if (c.tcp) c.tcp_ports = std::move(plan->tcp);
        if (c.udp) c.udp_ports = std::move(plan->udp);
    } else {
        if (c.tcp) c.tcp_ports = scanner::parse_ports("all");
        if (c.udp) {
            if (!prevalence)
                throw core::InputError(
                    "-sU without -p scans the 100 most common UDP ports, which needs the prevalence file: "
                    "install nmap-common (or give --prevalence FILE), or name the ports with -p");
            c.udp_ports = prevalence->top_ports(default_udp_ports, core::Proto::udp);
        }
    }
    if (c.tcp && c.tcp_ports.empty())
        throw core::InputError(
            plan ? fmt::format("-p '{}' names no TCP port, but TCP is scanned too (-sS, -sT or --engine): "
                               "add T:PORTS",
                               o.ports.substr(0, 60))
                 : std::string("the prevalence file lists no TCP port"));
    if (c.udp && c.udp_ports.empty())
        throw core::InputError(
            plan ? fmt::format("-p '{}' names no UDP port for -sU: add U:PORTS", o.ports.substr(0, 60))
                 : std::string("the prevalence file lists no UDP port: give -p"));
    return c;
}

std::string locate_udp_payloads(const std::optional<std::string>& given) {
    if (given) return *given;
    if (const char* env = std::getenv("GHOSTPORT_UDP_PAYLOADS"); env && *env) return env;
    const std::string places[] = {std::string(GHOSTPORT_DATA_DIR) + "/udp_payloads.txt",
                                  std::string(GHOSTPORT_SOURCE_DIR) + "/probes/udp_payloads.txt"};
    for (const auto& p : places) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(p, ec)) return p;
    }
    throw core::InputError(
        fmt::format("-sU: no UDP payload definitions found (looked for {} and {})", places[0], places[1]));
}

ScanSetup prepare_scan(const ScanOptions& o) {
    ScanSetup s;
    s.show = parse_show(o.show, o.udp);
    s.resumed = o.resume_path.empty() ? std::nullopt : load_resume_file(o.resume_path);
    s.started_at = s.resumed ? s.resumed->started_at : std::chrono::system_clock::now();
    s.output_path = expand_time_patterns(o.output_path, s.started_at);
    s.format = choose_format(o.format, s.output_path);
    s.audit = Audit::prepare(o.audit, o.quiet);
    s.audit.check_service_scan(o.identify);
    auto& e = s.engine_opt;
    e.timeout = parse_duration(o.timeout, "--timeout");
    e.retries = o.retries;
    // Unless told a number, the SYN engine adds tries when it measures loss (see retry_budget.hpp).
    e.max_retries = o.retries_given ? o.retries : std::max(o.retries, 6u);
    e.max_rate = o.max_rate;
    e.min_rate = o.min_rate;
    if (o.min_rate > 0 && o.max_rate > 0 && o.min_rate > o.max_rate)
        throw core::InputError(fmt::format("--min-rate {} is above --max-rate {}", o.min_rate, o.max_rate));
    e.concurrency = o.concurrency;
    s.engine_name = choose_engine(o.engine, o.quiet, o.udp);

    // The prevalence file is read on a thread of its own while the registry is (two files of about 1 MB,
    // tens of milliseconds each before the first probe). The registry's error, if any, is the one told.
    std::future<std::optional<registry::Prevalence>> prevalence;
    if (!o.no_prevalence) {
        if (auto p = registry::locate_prevalence(o.prevalence_file))
            prevalence = std::async(std::launch::async, [path = *p] {
                return std::optional<registry::Prevalence>(registry::Prevalence::load(path));
            });
    }
    auto registry_choice = registry::locate_registry(o.registry_file, registry::SearchEnv::from_process());
    s.registry = std::make_unique<registry::Registry>(registry::load_registry(std::move(registry_choice)));
    if (prevalence.valid()) s.prevalence = prevalence.get();
    s.audit.check_prevalence(s.prevalence.has_value());
    {
        // Before the notice below: a scan that cannot start says so in one line.
        PortChoice ports = choose_ports(o, s.prevalence ? &*s.prevalence : nullptr);
        s.tcp = ports.tcp;
        s.udp = ports.udp;
        s.ports = std::move(ports.tcp_ports);
        s.udp_ports = std::move(ports.udp_ports);
    }
    if (!s.prevalence && !o.quiet)
        std::fprintf(stderr, "ghostport: %s\n", no_prevalence_notice(o.no_prevalence).c_str());
    if (const std::string notice = udp_duration_notice(s.udp_ports.size()); !notice.empty() && !o.quiet)
        std::fprintf(stderr, "ghostport: %s\n", notice.c_str());
    if (o.identify) {
        s.identification = load_identification(o);
        // A connect sweep and the conversations share the open-file limit: the engine gets half of it.
        if (e.concurrency == 0 && s.engine_name == "connect")
            e.concurrency = std::max(1u, scanner::concurrency_for(scanner::raise_fd_limit(), 0) / 2);
    }
    s.targets = scanner::build_targets(o.targets, scanner::system_resolver());
    if (!o.no_drop_privileges && privileged_process()) {
        s.privsep = separate(o, s.output_path);
        e.raw = s.privsep.get();
    }
    s.engine = scanner::make_engine(s.engine_name, e);
    if (s.udp) s.udp_part = load_udp(s.engine_name, e);
    return s;
}

void plan_walk(const ScanOptions& o, ScanSetup& s) {
    // A scan this large is more often a typo (a /8 for a /24) than a plan: it needs --yes.
    // A TCP and a UDP probe of one port are two pairs.
    const std::size_t ports = s.ports.size() + s.udp_ports.size();
    const auto pairs = static_cast<unsigned __int128>(s.targets.size()) * ports;
    if (pairs > o.max_targets && !o.yes)
        throw core::InputError(fmt::format(
            "{} hosts x {} ports is {} host x port pairs, more than --max-targets {}; add --yes to scan them",
            s.targets.size(), ports,
            static_cast<long double>(pairs) > 1.8e19L ? std::string("over 2^64")
                                                      : std::to_string(static_cast<std::uint64_t>(pairs)),
            o.max_targets));
    s.shard_spec = o.shard.empty() ? o.shard : resolve_shard(o.shard, [](const char* name) {
        return static_cast<const char*>(std::getenv(name));
    });
    if (!s.shard_spec.empty()) {
        s.shard = scanner::parse_shard(s.shard_spec);
        if (!o.seed)
            throw core::InputError("--shard needs --seed: every shard must walk the same shuffled order");
    }
    s.seed = s.resumed ? s.resumed->seed
             : o.seed  ? *o.seed
                       : std::random_device{}() * 0x100000001ull ^ std::random_device{}();
    if (!s.output_path.empty())
        s.file = std::make_unique<output::AtomicFile>(s.output_path, o.file_mode, s.files());
}

// --discovery-only: which hosts are up, one line each, then a summary; no port is probed.
int run_discovery_only(const ScanOptions& o, const ScanSetup& s) {
    const scanner::TargetSet& targets = s.targets;
    auto discovery = scanner::make_discovery(s.engine_name, discovery_options(s.engine_opt));
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

}  // namespace ghostport::cli
