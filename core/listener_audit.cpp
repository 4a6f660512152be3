// SPDX-License-Identifier: GPL-2.0-or-later
// The audits of a listener report: baseline comparison, the expect allowlist, --fail-on findings.
#include "core/listener_audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <tuple>

namespace ghostport::core {

namespace {

using Key = std::tuple<std::string, Proto, Address, std::uint16_t>;

Key key_of(const Listener& l) {
    return {l.netns, l.proto, l.address, l.port};
}

struct KeyInfo {
    std::vector<std::string> exes;  // union of the rows' executables, sorted
    bool known = false;             // some row of the key has a visible owner with an executable
    const ListenerRow* first = nullptr;
};

std::map<Key, KeyInfo> index(const std::vector<ListenerRow>& rows) {
    std::map<Key, KeyInfo> out;
    for (const auto& row : rows) {
        if (row.change == Change::gone) continue;
        auto& info = out[key_of(row.listener)];
        if (!info.first) info.first = &row;
        for (auto& exe : executables(row.listener)) info.exes.push_back(std::move(exe));
    }
    for (auto& [key, info] : out) {
        std::sort(info.exes.begin(), info.exes.end());
        info.exes.erase(std::unique(info.exes.begin(), info.exes.end()), info.exes.end());
        info.known = !info.exes.empty();
    }
    return out;
}

std::string joined(const std::vector<std::string>& exes) {
    std::string out;
    for (const auto& e : exes) {
        if (!out.empty()) out += ',';
        out += escape_name(e);
    }
    return out;
}

std::string endpoint(const Listener& l) {
    const std::string a = l.address.to_string();
    return l.address.is_v4() ? fmt::format("{}:{}", a, l.port) : fmt::format("[{}]:{}", a, l.port);
}

}  // namespace

DiffCounts compare_listeners(std::vector<ListenerRow>& rows, const std::vector<ListenerRow>& baseline) {
    DiffCounts counts;
    const auto before = index(baseline);
    const auto now = index(rows);
    for (auto& row : rows) {
        const auto it = before.find(key_of(row.listener));
        if (it == before.end()) {
            row.change = Change::added;
            row.change_detail = "was not listening";
            ++counts.added;
            continue;
        }
        const auto& mine = now.at(key_of(row.listener));
        if (mine.known && it->second.known && mine.exes != it->second.exes) {
            row.change = Change::changed;
            row.change_detail = fmt::format("exe {} -> {}", joined(it->second.exes), joined(mine.exes));
            ++counts.changed;
        } else {
            row.change = Change::unchanged;
            row.change_detail.clear();
            ++counts.unchanged;
        }
    }
    for (const auto& old : baseline) {
        if (old.change == Change::gone || now.contains(key_of(old.listener))) continue;
        ListenerRow gone = old;
        gone.change = Change::gone;
        gone.change_detail = "was listening";
        gone.outside = Outside::none;
        gone.expect_note.clear();
        gone.label.labels &= ~Labels{label_expected};
        rows.push_back(std::move(gone));
        ++counts.gone;
    }
    return counts;
}

bool expect_matches(const ExpectEntry& entry, const Listener& l, const std::string& hostname) {
    ReportRow row;
    row.result.host = l.address;
    row.result.port = l.port;
    row.result.proto = l.proto;
    row.result.state = PortState::open;
    row.hostname = hostname;
    // Bound to all addresses: reachable at whichever address the line names (of the family, or any family
    // for a dual-stack socket).
    if (exposure_of(l) == Exposure::all && entry.kind == ExpectEntry::HostKind::prefix &&
        (entry.network.family == l.address.family || l.dual_stack))
        row.result.host = entry.network;
    // A name line names this machine when it is this machine's own hostname (its configuration, not a PTR
    // record): then it matches whatever address the socket is bound to. Otherwise it matches by the
    // addresses the name resolved to (ExpectList::resolve_names).
    if (entry.kind == ExpectEntry::HostKind::name && !hostname.empty() &&
        std::equal(entry.name.begin(), entry.name.end(), hostname.begin(), hostname.end(),
                   [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                   })) {
        ExpectEntry any = entry;
        any.kind = ExpectEntry::HostKind::any;
        return any.matches_port(row);
    }
    return entry.matches_port(row);
}

std::uint64_t apply_expect(const ExpectList& list, std::vector<ListenerRow>& rows,
                           const std::string& hostname) {
    std::uint64_t labelled = 0;
    for (auto& row : rows) {
        for (const auto& entry : list.entries()) {
            if (!expect_matches(entry, row.listener, hostname)) continue;
            row.label.labels |= label_expected;
            row.expect_note = entry.note;
            ++labelled;
            break;
        }
    }
    return labelled;
}

ReportRow as_report_row(const ListenerRow& row) {
    ReportRow r;
    r.result.host = row.listener.address;
    r.result.port = row.listener.port;
    r.result.proto = row.listener.proto;
    r.result.state = PortState::open;
    r.label = row.label;
    r.change = row.change;
    r.change_detail = row.change_detail;
    r.expect_note = row.expect_note;
    return r;
}

std::vector<ListenerFinding> listener_findings(const std::vector<ListenerRow>& rows, const FailOn& fail_on) {
    FailOn f = fail_on;
    f.borrowed = false;
    std::vector<ListenerFinding> out;
    for (const auto& row : rows) {
        auto why = f.reasons(as_report_row(row));
        if (!why.empty()) out.push_back({&row, std::move(why)});
    }
    return out;
}

std::string finding_text(const ListenerFinding& f) {
    const Listener& l = f.row->listener;
    std::string who;
    for (const auto& o : l.owners) {
        if (!who.empty()) who += ", ";
        who += fmt::format("pid {} {} user {} exe {}{}", o.pid, escape_name(o.process), escape_name(o.user),
                           o.exe.empty() ? std::string("?") : escape_name(o.exe),
                           o.exe_deleted ? " (deleted)" : "");
    }
    if (who.empty()) who = "no process visible";
    const std::optional<double> rarity = f.row->label.rarity;
    return fmt::format("{} {} ({}) {} rarity {}: {}", to_string(l.proto), endpoint(l),
                       namespace_text(l.netns), who,
                       rarity ? fmt::format("{:.1f}", *rarity) : std::string("unknown"), f.why);
}

}  // namespace ghostport::core
