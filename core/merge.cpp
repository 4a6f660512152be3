// SPDX-License-Identifier: GPL-2.0-or-later
// Joining shard reports: the same-scan checks, then the union of rows and metadata (rules in merge.hpp).
#include "core/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

#include "core/errors.hpp"

namespace ghostport::core {

namespace {

using RowKey = std::tuple<Address, std::uint16_t, Proto>;

// A report's "K/N"; a report of a whole scan (shard "") is shard 1/1.
ShardSpec shard_of(const MergeInput& in) {
    if (in.report.meta.shard.empty()) return {1, 1};
    if (auto s = parse_shard_spec(in.report.meta.shard)) return *s;
    throw InputError(fmt::format("{}: bad shard '{}' in the summary", in.path, in.report.meta.shard));
}

InputError not_same_scan(const MergeInput& a, const MergeInput& b, std::string_view field,
                         const std::string& detail) {
    return InputError(fmt::format("{} and {} are not shards of one scan: different {} ({})", a.path, b.path,
                                  field, detail));
}

std::string quoted(const std::string& word) {
    return join_command_line({word});
}

// The first word where two command lines differ, for the error message.
std::string first_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const std::size_t common = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < common; ++i)
        if (a[i] != b[i]) return fmt::format("{} vs {}", quoted(a[i]), quoted(b[i]));
    if (a.size() > common) return fmt::format("{} vs nothing", quoted(a[common]));
    return fmt::format("nothing vs {}", quoted(b[common]));
}

// Throws unless every input is a shard of the scan of the first one, and no shard comes twice.
void check_same_scan(const std::vector<MergeInput>& inputs) {
    const MergeInput* first = nullptr;
    ShardSpec first_shard;
    std::vector<std::string> first_words;
    std::map<std::uint64_t, const MergeInput*> seen;  // by K
    for (const auto& in : inputs) {
        const ReportMeta& m = in.report.meta;
        if (!has_scan_metadata(m))
            throw InputError(fmt::format(
                "{}: a CSV report has no scan metadata to check; write shard reports with --format json "
                "(or merge anyway with --unchecked)",
                in.path));
        const ShardSpec shard = shard_of(in);
        if (!first) {
            first = &in;
            first_shard = shard;
            first_words = normalized_command_line(m.command_line);
        } else {
            const ReportMeta& f = first->report.meta;
            if (m.seed != f.seed)
                throw not_same_scan(*first, in, "seed", fmt::format("{} vs {}", f.seed, m.seed));
            if (shard.n != first_shard.n)
                throw not_same_scan(*first, in, "shard",
                                    fmt::format("{} vs {} shards", first_shard.n, shard.n));
            if (m.ports_per_host != f.ports_per_host)
                throw not_same_scan(*first, in, "ports_per_host",
                                    fmt::format("{} vs {}", f.ports_per_host, m.ports_per_host));
            if (m.hosts_targeted != f.hosts_targeted)
                throw not_same_scan(*first, in, "hosts_targeted",
                                    fmt::format("{} vs {}", f.hosts_targeted, m.hosts_targeted));
            const auto words = normalized_command_line(m.command_line);
            if (words != first_words)
                throw not_same_scan(*first, in, "command_line", first_difference(first_words, words));
        }
        if (auto [it, inserted] = seen.emplace(shard.k, &in); !inserted)
            throw InputError(fmt::format("{} and {} are the same shard {}/{} of one scan", it->second->path,
                                         in.path, shard.k, shard.n));
    }
}

// A CSV report's counts are those of its rows (it has no summary).
void count_rows_as_meta(Report& report) {
    ReportMeta& m = report.meta;
    std::set<Address> hosts;
    std::set<std::uint16_t> ports;
    for (const auto& row : report.rows) {
        m.open += row.result.state == PortState::open;
        m.closed += row.result.state == PortState::closed;
        m.filtered += row.result.state == PortState::filtered;
        if (row.result.state != PortState::filtered) hosts.insert(row.result.host);
        if (row.result.state != PortState::all_open) ports.insert(row.result.port);
    }
    m.hosts_up = hosts.size();
    std::set<Address> targeted;
    for (const auto& row : report.rows) targeted.insert(row.result.host);
    m.hosts_targeted = targeted.size();
    m.ports_per_host = ports.size();
    m.probes_planned = m.probes_done = report.rows.size();
}

// Whether the report lists every open and closed result it counts, so its responsive hosts are in its rows.
// A host collapsed to one all-open row lost its open rows (only open ones), hence the <= then.
bool lists_every_answer(const Report& report) {
    std::uint64_t open = 0, closed = 0, all_open = 0;
    for (const auto& row : report.rows) {
        open += row.result.state == PortState::open;
        closed += row.result.state == PortState::closed;
        all_open += row.result.state == PortState::all_open;
    }
    const ReportMeta& m = report.meta;
    return closed == m.closed && (open == m.open || (all_open > 0 && open <= m.open));
}

// Higher is better evidence: an answer beats none.
int evidence(PortState s) {
    switch (s) {
        case PortState::open:
        case PortState::all_open:
            return 2;
        case PortState::closed:
            return 1;
        case PortState::filtered:
        case PortState::open_filtered:
            return 0;
    }
    return 0;
}

std::vector<ReportRow> merged_rows(std::vector<MergeInput>& inputs) {
    std::vector<ReportRow> rows;
    std::map<RowKey, std::size_t> index;
    for (auto& in : inputs) {
        for (auto& row : in.report.rows) {
            const RowKey key{row.result.host, row.result.port, row.result.proto};
            auto [it, inserted] = index.emplace(key, rows.size());
            if (inserted) {
                rows.push_back(std::move(row));
                continue;
            }
            ReportRow& kept = rows[it->second];
            const int a = evidence(row.result.state), b = evidence(kept.result.state);
            if (a > b || (a == b && row.result.scanned_at > kept.result.scanned_at)) std::swap(kept, row);
            // Two listener rows: what -sV found on the one that lost is kept when the winner has none.
            if (evidence(kept.result.state) == 2 && evidence(row.result.state) == 2 &&
                !kept.service.identified() && row.service.identified())
                kept.service = std::move(row.service);
        }
    }
    return rows;
}

std::string joined(const std::vector<std::uint64_t>& ks) {
    std::string out;
    for (auto k : ks) out += (out.empty() ? "" : ",") + std::to_string(k);
    return out;
}

}  // namespace

bool has_scan_metadata(const ReportMeta& meta) {
    return meta.started_at != std::chrono::system_clock::time_point{} || !meta.engine.empty() ||
           !meta.command_line.empty();
}

std::optional<ShardSpec> parse_shard_spec(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto number = [](std::string_view s, std::uint64_t& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc{} && p == s.data() + s.size();
    };
    ShardSpec s;
    if (!number(text.substr(0, slash), s.k) || !number(text.substr(slash + 1), s.n) || s.k < 1 || s.k > s.n)
        return std::nullopt;
    return s;
}

std::vector<std::string> without_options(std::vector<std::string> words,
                                         const std::vector<std::string_view>& options) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string_view w = words[i];
        if (w == "--") {  // the rest are positional
            out.insert(out.end(), words.begin() + static_cast<std::ptrdiff_t>(i), words.end());
            break;
        }
        bool drop = false, drop_next = false;
        for (std::string_view o : options) {
            const bool is_long = o.starts_with("--");
            if (w == o) {
                drop = drop_next = true;
            } else if (is_long && w.starts_with(o) && w.size() > o.size() && w[o.size()] == '=') {
                drop = true;
            } else if (!is_long && w.starts_with(o) && !w.starts_with("--")) {
                drop = true;  // -oFILE, -o=FILE
            }
            if (drop) break;
        }
        if (!drop) out.emplace_back(w);
        if (drop_next) ++i;
    }
    return out;
}

std::vector<std::string> normalized_command_line(std::string_view command_line) {
    auto words = split_command_line(command_line);
    if (!words.empty()) words.erase(words.begin());  // the program path
    return without_options(std::move(words), {"--shard", "-o", "--output"});
}

MergeResult merge_reports(std::vector<MergeInput> inputs, const MergeOptions& options) {
    if (inputs.empty()) throw InputError("no report to merge");
    if (!options.unchecked) check_same_scan(inputs);
    for (auto& in : inputs)
        if (!has_scan_metadata(in.report.meta)) count_rows_as_meta(in.report);

    MergeResult result;
    Report& out = result.report;
    ReportMeta& m = out.meta;

    // Which shards are here: known when every input has metadata and the same N.
    std::set<std::uint64_t> present;
    bool coverage_known = true;
    for (const auto& in : inputs) {
        const auto& shard = in.report.meta.shard;
        const auto spec = shard.empty() ? std::optional<ShardSpec>(ShardSpec{1, 1}) : parse_shard_spec(shard);
        if (!has_scan_metadata(in.report.meta) || !spec ||
            (result.shard_count != 0 && spec->n != result.shard_count)) {
            coverage_known = false;
            break;
        }
        result.shard_count = spec->n;
        present.insert(spec->k);
    }
    if (!coverage_known) {
        result.shard_count = 0;
        present.clear();
    }
    for (std::uint64_t k = 1; k <= result.shard_count; ++k)
        if (!present.contains(k)) result.missing_shards.push_back(k);
    if (!result.missing_shards.empty())
        m.shard = fmt::format("{}/{}", joined({present.begin(), present.end()}), result.shard_count);

    // Metadata: the first input with a summary names the scan; counts are summed.
    const MergeInput* first = nullptr;
    for (const auto& in : inputs)
        if (has_scan_metadata(in.report.meta)) {
            first = &in;
            break;
        }
    if (first) {
        const ReportMeta& f = first->report.meta;
        m.command_line = join_command_line(without_options(split_command_line(f.command_line), {"--shard"}));
        m.seed = f.seed;
    }
    bool every_answer_listed = true;
    std::uint64_t largest_hosts_up = 0;
    for (const auto& in : inputs) {
        const ReportMeta& im = in.report.meta;
        if (!im.engine.empty() && ("," + m.engine + ",").find("," + im.engine + ",") == std::string::npos)
            m.engine += (m.engine.empty() ? "" : ",") + im.engine;
        if (im.started_at != std::chrono::system_clock::time_point{} &&
            (m.started_at == std::chrono::system_clock::time_point{} || im.started_at < m.started_at))
            m.started_at = im.started_at;
        m.finished_at = std::max(m.finished_at, im.finished_at);
        if (options.unchecked) {
            m.hosts_targeted = std::max(m.hosts_targeted, im.hosts_targeted);
            m.ports_per_host = std::max(m.ports_per_host, im.ports_per_host);
        } else {
            m.hosts_targeted = im.hosts_targeted;
            m.ports_per_host = im.ports_per_host;
        }
        m.probes_planned += im.probes_planned;
        m.probes_done += im.probes_done;
        m.open += im.open;
        m.closed += im.closed;
        m.filtered += im.filtered;
        m.partial = m.partial || im.partial;
        m.service_scan = m.service_scan || im.service_scan;
        largest_hosts_up = std::max(largest_hosts_up, im.hosts_up);
        every_answer_listed = every_answer_listed && lists_every_answer(in.report);
        if (m.baseline_source.empty() && !im.baseline_source.empty()) {
            m.baseline_source = im.baseline_source;
            m.baseline_started_at = im.baseline_started_at;
        }
    }
    m.partial = m.partial || !result.missing_shards.empty();
    if (!result.missing_shards.empty() && inputs.size() > 0) {
        // The missing shards' probes are planned and not done: estimated as the present shards' average.
        const std::uint64_t n = inputs.size() + result.missing_shards.size();
        m.probes_planned = (m.probes_planned * n + inputs.size() - 1) / inputs.size();
    }

    out.rows = merged_rows(inputs);
    std::set<Address> responsive;
    for (const auto& row : out.rows) {
        if (row.result.state != PortState::filtered) responsive.insert(row.result.host);
        m.added += row.change == Change::added;
        m.gone += row.change == Change::gone;
        m.changed += row.change == Change::changed;
        m.unchanged += row.change == Change::unchanged;
        m.expected += (row.label.labels & label_expected) != 0;
    }
    m.hosts_up = every_answer_listed ? responsive.size()
                                     : std::max<std::uint64_t>(largest_hosts_up, responsive.size());
    // Each shard counted only its own hosts: count again over the whole scan.
    count_hosts_open(out.rows, m.hosts_up);
    return result;
}

}  // namespace ghostport::core
