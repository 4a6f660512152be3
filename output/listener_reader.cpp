// SPDX-License-Identifier: GPL-2.0-or-later
// Reading listener reports back from CSV and JSON Lines. nlohmann/json parses the JSON.
#include "output/listener_reader.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <sstream>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "output/csv_sink.hpp"
#include "output/listener_sinks.hpp"

namespace ghostport::output {

namespace {

using core::InputError;
using nlohmann::json;

std::string_view first_line(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    text.remove_prefix(first);
    return text.substr(0, text.find('\n'));
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read it", path));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("{}: cannot read it", path));
    return buffer.str();
}

[[noreturn]] void bad(std::size_t line, std::string_view what, std::string_view value) {
    std::string shown(value.substr(0, 60));
    for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    throw InputError(fmt::format("line {}: bad {} \"{}\"", line, what, shown));
}

core::Proto proto_of(std::string_view text, std::size_t line) {
    if (text == "tcp") return core::Proto::tcp;
    if (text == "udp") return core::Proto::udp;
    bad(line, "proto", text);
}

std::uint16_t port_of(std::string_view text, std::size_t line) {
    unsigned v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || v > 65535)
        bad(line, "port", text);
    return static_cast<std::uint16_t>(v);
}

int pid_of(std::string_view text, std::size_t line) {
    int v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || v < 0)
        bad(line, "pid", text);
    return v;
}

core::Labels labels_of(std::string_view text, std::size_t line) {
    core::Labels labels = 0;
    const std::string_view all = text;
    while (!text.empty()) {
        const std::size_t semi = text.find(';');
        const auto label = core::label_named(text.substr(0, semi));
        if (!label) bad(line, "labels", all);
        labels |= *label;
        if (semi == std::string_view::npos) break;
        text.remove_prefix(semi + 1);
    }
    return labels;
}

core::Change change_of(std::string_view text, std::size_t line) {
    for (auto c : {core::Change::none, core::Change::added, core::Change::gone, core::Change::changed,
                   core::Change::unchanged})
        if (core::to_string(c) == text) return c;
    bad(line, "change", text);
}

core::Outside outside_of(std::string_view text, std::size_t line) {
    for (auto o : {core::Outside::none, core::Outside::seen, core::Outside::filtered})
        if (core::to_string(o) == text) return o;
    bad(line, "outside", text);
}

std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> out;
    if (text.empty()) return out;
    while (true) {
        const std::size_t semi = text.find(';');
        out.push_back(text.substr(0, semi));
        if (semi == std::string_view::npos) break;
        text.remove_prefix(semi + 1);
    }
    return out;
}

std::optional<double> rarity_of(std::string_view text, std::size_t line) {
    if (text == "unknown" || text.empty()) return std::nullopt;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || ptr != text.data() + text.size()) bad(line, "rarity", text);
    return v;
}

// (A template so that either type of ServiceLabel::rarity compiles: double before rarity became optional.)
template <class Label>
void set_rarity(Label& label, std::optional<double> rarity) {
    if constexpr (std::is_same_v<decltype(label.rarity), double>) {
        label.rarity = rarity.value_or(0.0);
    } else {
        label.rarity = rarity;
    }
}

// The common columns (not the owner lists) of a CSV record or JSON row.
void fill_common(core::ListenerRow& row, std::string_view proto, std::string_view address,
                 std::string_view port, std::string_view netns, std::string_view service,
                 std::string_view rarity, std::string_view labels, std::size_t line) {
    core::Listener& l = row.listener;
    l.proto = proto_of(proto, line);
    const auto a = core::Address::parse(address);
    if (!a) bad(line, "address", address);
    l.address = *a;
    l.port = port_of(port, line);
    l.netns = netns == "host" ? std::string() : core::unescape_name(netns);
    row.label.service = std::string(service);
    set_rarity(row.label, rarity_of(rarity, line));
    row.label.labels = labels_of(labels, line);
}

core::ListenerReport read_csv(std::string_view text) {
    core::ListenerReport report;
    core::CsvReader reader(text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text);
    std::vector<std::string> f;
    if (!reader.next(f)) throw InputError("line 1: no header");
    const std::size_t base = listener_field_names.size();
    if (f.size() < base || !std::equal(listener_field_names.begin(), listener_field_names.end(), f.begin()))
        throw InputError("line 1: not a listener report header (proto,address,port,pid,...)");
    std::ptrdiff_t change = -1, detail = -1, outside = -1;
    for (std::size_t i = base; i < f.size(); ++i) {
        if (f[i] == "change")
            change = static_cast<std::ptrdiff_t>(i);
        else if (f[i] == "change_detail")
            detail = static_cast<std::ptrdiff_t>(i);
        else if (f[i] == "outside")
            outside = static_cast<std::ptrdiff_t>(i);
        else
            bad(1, "header field", f[i]);
    }
    const std::size_t columns = f.size();
    while (reader.next(f)) {
        const std::size_t line = reader.line();
        if (f.size() == 1 && f[0].empty()) continue;
        if (f.size() != columns)
            throw InputError(fmt::format("line {}: {} fields, the header has {}", line, f.size(), columns));
        core::ListenerRow row;
        fill_common(row, f[0], f[1], f[2], f[9], f[11], f[13], f[14], line);
        const auto pids = split(f[3]);
        const auto processes = split(f[4]), users = split(f[5]), exes = split(f[6]), units = split(f[7]),
                   containers = split(f[8]);
        for (std::size_t i = 0; i < pids.size(); ++i) {
            core::ListenerOwner o;
            o.pid = pid_of(pids[i], line);
            auto item = [&](const std::vector<std::string_view>& list) {
                return i < list.size() ? core::unescape_name(list[i]) : std::string();
            };
            o.process = item(processes);
            o.user = item(users);
            std::string exe = i < exes.size() ? std::string(exes[i]) : std::string();
            if (exe.ends_with(" (deleted)")) {
                o.exe_deleted = true;
                exe.resize(exe.size() - 10);
            }
            o.exe = core::unescape_name(exe);
            o.unit = item(units);
            o.container = item(containers);
            row.listener.owners.push_back(std::move(o));
        }
        if (change >= 0) row.change = change_of(f[static_cast<std::size_t>(change)], line);
        if (detail >= 0) row.change_detail = f[static_cast<std::size_t>(detail)];
        if (outside >= 0) row.outside = outside_of(f[static_cast<std::size_t>(outside)], line);
        report.rows.push_back(std::move(row));
    }
    return report;
}

std::string str(const json& o, std::string_view key) {
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t num(const json& o, std::string_view key) {
    const auto it = o.find(key);
    return it != o.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

std::vector<std::string> strings(const json& o, std::string_view key) {
    std::vector<std::string> out;
    const auto it = o.find(key);
    if (it == o.end() || !it->is_array()) return out;
    for (const auto& s : *it)
        if (s.is_string()) out.push_back(s.get<std::string>());
    return out;
}

std::chrono::system_clock::time_point time_of(const json& o, std::string_view key) {
    return detail::parse_timestamp_field(str(o, key)).value_or(std::chrono::system_clock::time_point{});
}

core::ListenerReport read_json(std::string_view text) {
    core::ListenerReport report;
    bool summary = false;
    std::size_t line = 0;
    while (!text.empty()) {
        ++line;
        const std::size_t nl = text.find('\n');
        const std::string_view raw = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (raw.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        json o;
        try {
            o = json::parse(raw);
        } catch (const json::exception&) {
            throw InputError(fmt::format("line {}: not a JSON object", line));
        }
        if (!o.is_object()) throw InputError(fmt::format("line {}: not a JSON object", line));
        if (summary) throw InputError(fmt::format("line {}: a record after the summary", line));
        const std::string record = str(o, "record");
        if (record == "listener") {
            core::ListenerRow row;
            const auto port = o.find("port");
            if (port == o.end() || !port->is_number_unsigned())
                bad(line, "port", port == o.end() ? "" : port->dump());
            const auto rarity = o.find("rarity");
            const std::string rarity_text =
                rarity == o.end() || rarity->is_null() ? std::string("unknown") : rarity->dump();
            std::string labels;
            for (const auto& name : strings(o, "labels")) labels += (labels.empty() ? "" : ";") + name;
            fill_common(row, str(o, "proto"), str(o, "address"), port->dump(), str(o, "namespace"),
                        str(o, "service"), rarity_text, labels, line);
            row.listener.dual_stack = o.value("dual_stack", false);
            if (const auto owners = o.find("owners"); owners != o.end() && owners->is_array()) {
                for (const auto& j : *owners) {
                    core::ListenerOwner w;
                    const auto pid = j.find("pid");
                    if (pid == j.end() || !pid->is_number_unsigned())
                        bad(line, "pid", pid == j.end() ? "" : pid->dump());
                    w.pid = static_cast<int>(pid->get<std::uint64_t>());
                    w.process = core::unescape_name(str(j, "process"));
                    w.user = core::unescape_name(str(j, "user"));
                    w.exe = core::unescape_name(str(j, "exe"));
                    w.exe_deleted = j.value("exe_deleted", false);
                    w.unit = core::unescape_name(str(j, "unit"));
                    w.container = core::unescape_name(str(j, "container"));
                    row.listener.owners.push_back(std::move(w));
                }
            }
            row.change = change_of(str(o, "change"), line);
            row.change_detail = str(o, "change_detail");
            row.expect_note = str(o, "expect_note");
            row.outside = outside_of(str(o, "outside"), line);
            report.rows.push_back(std::move(row));
        } else if (record == "forwarded") {
            core::ForwardedPort f;
            const auto a = core::Address::parse(str(o, "host"));
            if (!a) bad(line, "host", str(o, "host"));
            f.host = *a;
            const auto port = o.find("port");
            if (port == o.end() || !port->is_number_unsigned()) bad(line, "port", "");
            f.port = port_of(port->dump(), line);
            f.proto = proto_of(str(o, "proto"), line);
            f.elsewhere = str(o, "elsewhere");
            report.forwarded.push_back(std::move(f));
        } else if (record == "listener_summary") {
            auto& m = report.meta;
            m.command_line = str(o, "command_line");
            m.started_at = time_of(o, "started_at");
            m.hostname = str(o, "hostname");
            m.registry_source = str(o, "registry_source");
            m.registry_snapshot = str(o, "registry_snapshot");
            m.registry_stale = o.value("registry_stale", false);
            m.prevalence_source = str(o, "prevalence_source");
            m.all_namespaces = o.value("all_namespaces", false);
            m.namespaces = strings(o, "namespaces");
            m.unseen = strings(o, "unseen");
            m.baseline_source = str(o, "baseline_source");
            m.baseline_started_at = time_of(o, "baseline_started_at");
            m.added = num(o, "new");
            m.gone = num(o, "gone");
            m.changed = num(o, "changed");
            m.unchanged = num(o, "unchanged");
            m.expected = num(o, "expected");
            m.against_source = str(o, "against_source");
            summary = true;
        } else {
            bad(line, "record", record);
        }
    }
    if (!summary) throw InputError("no listener_summary record: the report is truncated");
    return report;
}

}  // namespace

bool is_listener_report(std::string_view text) {
    const std::string_view line = first_line(text);
    if (line.starts_with("proto,address,port,pid,")) return true;
    if (!line.starts_with("{")) return false;
    const json o = json::parse(line, nullptr, false);
    if (!o.is_object()) return false;
    const std::string record = str(o, "record");
    return record == "listener" || record == "forwarded" || record == "listener_summary";
}

core::ListenerReport read_listener_report(std::string_view text) {
    const std::string_view line = first_line(text);
    if (line.empty()) throw InputError("empty, not a report");
    return line.starts_with("{") ? read_json(text) : read_csv(text);
}

core::ListenerReport read_listener_report_file(const std::string& path) {
    const std::string text = read_file(path);
    try {
        return read_listener_report(text);
    } catch (const InputError& e) {
        throw InputError(fmt::format("{}: {}", path, e.what()));
    }
}

bool is_listener_report_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    // A JSON first line may be longer than the head: read the whole file then.
    if (first_line(head).starts_with("{") && first_line(head).size() == head.size()) {
        std::ostringstream rest;
        rest << in.rdbuf();
        head += rest.str();
    }
    return is_listener_report(head);
}

}  // namespace ghostport::output
