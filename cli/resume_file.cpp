// SPDX-License-Identifier: GPL-2.0-or-later
// --resume FILE: reading and writing a scan's checkpoint (JSON, through nlohmann/json).
#include "cli/resume_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "core/errors.hpp"
#include "output/atomic_file.hpp"

namespace ghostport::cli {

namespace {

using nlohmann::json;
constexpr int format_version = 2;  // 2: protocols and open|filtered (1: TCP only)

std::int64_t millis(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point from_millis(std::int64_t ms) {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

core::Address address_of(const json& j) {
    const auto a = core::Address::parse(j.get<std::string>());
    if (!a) throw std::invalid_argument("bad address");
    return *a;
}

core::Proto proto_of(const json& j) {
    const auto text = j.get<std::string>();
    if (text == "tcp") return core::Proto::tcp;
    if (text == "udp") return core::Proto::udp;
    throw std::invalid_argument("bad protocol");
}

ResumeState parse(const json& j) {
    const int version = j.is_object() ? j.value("ghostport_resume", 0) : 0;
    if (version != 1 && version != format_version) throw std::invalid_argument("not a ghostport resume file");
    ResumeState s;
    s.argv = j.at("argv").get<std::vector<std::string>>();
    if (s.argv.empty() || s.argv.front() != "scan") throw std::invalid_argument("no scan arguments");
    s.seed = j.at("seed").get<std::uint64_t>();
    if (j.contains("live_hosts")) {
        std::vector<core::Address> live;
        for (const auto& a : j.at("live_hosts")) live.push_back(address_of(a));
        s.live_hosts = std::move(live);
    }
    s.low = j.at("low").get<std::uint64_t>();
    for (const auto& run : j.at("above")) {
        const auto a = run.at(0).get<std::uint64_t>(), b = run.at(1).get<std::uint64_t>();
        if (a <= s.low || b <= a) throw std::invalid_argument("bad run of decided positions");
        s.above.emplace_back(a, b);
    }
    const auto counts = j.at("counts").get<std::vector<std::uint64_t>>();
    if (counts.size() != (version == 1 ? 4 : s.counts.size())) throw std::invalid_argument("bad counts");
    std::copy(counts.begin(), counts.end(), s.counts.begin());
    for (const auto& a : j.at("responsive")) s.responsive.push_back(address_of(a));
    for (const auto& r : j.at("results")) {
        core::PortResult p;
        p.host = address_of(r.at(0));
        p.port = r.at(1).get<std::uint16_t>();
        const auto state = r.at(2).get<unsigned>(), reason = r.at(3).get<unsigned>();
        // Version 1 knew only the first four states and reasons (TCP).
        const unsigned states = version == 1 ? 4 : core::port_state_count;
        const unsigned reasons = version == 1 ? 4 : core::reason_count;
        if (state >= states || reason >= reasons) throw std::invalid_argument("bad state");
        p.state = static_cast<core::PortState>(state);
        p.reason = static_cast<core::Reason>(reason);
        p.rtt_us = r.at(4).get<std::uint32_t>();
        p.scanned_at = from_millis(r.at(5).get<std::int64_t>());
        if (version > 1) p.proto = proto_of(r.at(6));
        s.results.push_back(p);
    }
    if (j.contains("services")) {
        for (const auto& entry : j.at("services")) {
            core::ServiceInfo info;
            for (std::size_t i = 0; i < core::service_string_fields.size(); ++i)
                info.*core::service_string_fields[i] = entry.at("fields").at(i).get<std::string>();
            info.soft = entry.value("soft", false);
            info.cert_self_signed = entry.value("self_signed", false);
            info.conversations = entry.value("conversations", std::uint8_t{0});
            const core::Proto proto =
                entry.contains("proto") ? proto_of(entry.at("proto")) : core::Proto::tcp;
            s.services[{address_of(entry.at("host")), entry.at("port").get<std::uint16_t>(), proto}] =
                std::move(info);
        }
    }
    s.started_at = from_millis(j.at("started_at").get<std::int64_t>());
    return s;
}

}  // namespace

std::optional<ResumeState> load_resume_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::InputError(fmt::format("{}: cannot read the resume file", path));
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return parse(json::parse(text.str()));
    } catch (const std::exception& e) {
        throw core::InputError(fmt::format("{}: not a usable resume file ({})", path, e.what()));
    }
}

void save_resume_file(const std::string& path, const ResumeState& s, unsigned mode,
                      output::FileAccess& files) {
    json j;
    j["ghostport_resume"] = format_version;
    j["argv"] = s.argv;
    j["seed"] = s.seed;
    if (s.live_hosts) {
        json live = json::array();
        for (const auto& a : *s.live_hosts) live.push_back(a.to_string());
        j["live_hosts"] = std::move(live);
    }
    j["low"] = s.low;
    json above = json::array();
    for (const auto& [a, b] : s.above) above.push_back({a, b});
    j["above"] = std::move(above);
    j["counts"] = s.counts;
    json responsive = json::array();
    for (const auto& a : s.responsive) responsive.push_back(a.to_string());
    j["responsive"] = std::move(responsive);
    json results = json::array();
    for (const auto& r : s.results)
        results.push_back({r.host.to_string(), r.port, static_cast<unsigned>(r.state),
                           static_cast<unsigned>(r.reason), r.rtt_us, millis(r.scanned_at),
                           std::string(core::to_string(r.proto))});
    j["results"] = std::move(results);
    if (!s.services.empty()) {
        json services = json::array();
        for (const auto& [key, info] : s.services) {
            json fields = json::array();
            for (auto member : core::service_string_fields) fields.push_back(info.*member);
            services.push_back({{"host", std::get<0>(key).to_string()},
                                {"port", std::get<1>(key)},
                                {"proto", std::string(core::to_string(std::get<2>(key)))},
                                {"fields", std::move(fields)},
                                {"soft", info.soft},
                                {"self_signed", info.cert_self_signed},
                                {"conversations", info.conversations}});
        }
        j["services"] = std::move(services);
    }
    j["started_at"] = millis(s.started_at);
    output::AtomicFile file(path, mode, files);
    file.stream() << j.dump() << '\n';
    file.commit();
}

void check_trusted_file(const std::string& path, std::string_view what) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw core::InputError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
    const uid_t me = ::getuid();
    if (!S_ISREG(st.st_mode))
        throw core::InputError(
            fmt::format("{} {}: not a regular file (a symlink or other): refused", what, path));
    if (st.st_uid != me || (st.st_mode & 077) != 0)
        throw core::InputError(fmt::format(
            "{} {}: owned by uid {} with mode {:04o}; only a file of your own (uid {}) with mode 0600 is "
            "trusted, since its contents decide what this run does",
            what, path, st.st_uid, st.st_mode & 07777, me));
    std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (folder.empty()) folder = ".";
    struct stat dir {};
    if (::stat(folder.c_str(), &dir) != 0)
        throw core::InputError(fmt::format("{} {}: {}", what, folder.string(), std::strerror(errno)));
    if ((dir.st_uid != me && dir.st_uid != 0) || (dir.st_mode & 022) != 0)
        throw core::InputError(fmt::format(
            "{} {}: its folder {} (owner uid {}, mode {:04o}) may be written by another user, who could "
            "swap the file; keep it in a folder only you can write",
            what, path, folder.string(), dir.st_uid, dir.st_mode & 07777));
}

std::optional<std::vector<std::string>> resumed_arguments(const std::vector<std::string>& args) {
    if (args.empty() || args.front() != "scan") return std::nullopt;
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string path;
        std::size_t taken = 1;
        if (args[i] == "--resume" && i + 1 < args.size()) {
            path = args[i + 1];
            taken = 2;
        } else if (args[i].starts_with("--resume=")) {
            path = args[i].substr(9);
        } else {
            continue;
        }
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return std::nullopt;
        check_trusted_file(path, "--resume");
        auto state = load_resume_file(path);
        if (!state) return std::nullopt;
        // The stored arguments go on; the ones given now must agree with them.
        for (std::size_t k = 1; k < args.size(); ++k) {
            if (k >= i && k < i + taken) continue;
            if (std::find(state->argv.begin(), state->argv.end(), args[k]) == state->argv.end())
                throw core::InputError(fmt::format(
                    "--resume {}: the checkpointed scan was started without '{}'; a resumed scan goes on "
                    "with its own arguments, so give only --resume FILE (or start a new scan)",
                    path, args[k]));
        }
        return state->argv;
    }
    return std::nullopt;
}

}  // namespace ghostport::cli
