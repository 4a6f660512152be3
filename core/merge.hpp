// SPDX-License-Identifier: GPL-2.0-or-later
// Joins the reports of the shards of one scan (`ghostport scan --seed S --shard K/N`) into one report: checks
// that they are shards of the same scan, then unites their rows and metadata. No registry: the caller
// re-labels the merged rows (hosts_open and fleet-wide depend on the whole scan).
//
// Rules:
// - An input with metadata (a JSON report) is checked against the first such input; all must be the same
//   scan: the same seed, the same N of "K/N" (no shard counts as "1/1"), the same ports_per_host and
//   hosts_targeted, and the same command line once the program path, --shard's value and -o/--output's
//   value are removed (normalized_command_line). No two inputs may be the same shard K. (probes_planned is
//   not checked: with host discovery it depends on the hosts a shard found up.) Any mismatch is a
//   core::InputError naming the two files and the field, on one line.
// - An input with no metadata (a CSV report) is refused with an error suggesting --format json, unless
//   `unchecked` is set: then no check is made at all and each input's rows are merged as they are (the counts
//   of a CSV input are those of its rows).
// - Rows are deduplicated by (host, port, proto); of two rows for one key the one with an answer wins
//   (open/all-open over closed over filtered and open|filtered), then the later scanned_at, then the earlier
//   input. Everything else of a row (hostname, label, service, change, expect note) is kept as it was, except
//   that of two listener rows (open/all-open) the winner takes the other's service (what -sV found) when it
//   has none.
// - Metadata: probes_done, open, closed, filtered and open_filtered are summed; probes_planned is the sum of
// the
//   inputs', plus for each missing shard the present shards' average (so it shows as probes not done);
//   hosts_up is recomputed from the rows (hosts with an open, closed or all-open row) when every input lists
//   all its open and closed results
//   (--show all or open,closed), else it is the largest of the inputs' and the rows' count; started_at is the
//   earliest, finished_at the latest; the command line is the first input's with --shard removed; seed,
//   engine, hosts_targeted and ports_per_host are the first input's (engines that differ are joined: "syn,
//   connect"). shard is "" when all N shards are present; when some are missing, partial is set and shard
//   names the present ones ("1,3/4"). partial is also set when any input was partial; service_scan when any
//   input's is. The baseline
//   source and start are the first input's that has one; the change and expected counts are recounted from
//   the merged rows. The registry fields are left for the caller.
// - hosts_open and the fleet-wide label of every row are recomputed over the merged rows and hosts_up
//   (count_hosts_open): a shard only saw its own hosts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command_line.hpp"
#include "core/report.hpp"

namespace ghostport::core {

struct MergeInput {
    std::string path;  // named in error messages
    Report report;
};

struct MergeOptions {
    bool unchecked = false;  // --unchecked: accept CSV inputs and make no same-scan check
};

struct MergeResult {
    Report report;
    std::uint64_t shard_count = 0;              // N of the inputs' "K/N"; 0 when unknown (unchecked mixes)
    std::vector<std::uint64_t> missing_shards;  // 1-based K of the shards no input covers, ascending
};

// Merges the inputs (at least one) by the rules above; throws core::InputError when they are not shards of
// one scan.
MergeResult merge_reports(std::vector<MergeInput> inputs, const MergeOptions& options);

// Whether a report carries a scan's metadata (a JSON report's summary); a CSV report does not.
bool has_scan_metadata(const ReportMeta& meta);

// "K/N" (1-based K) parsed; nullopt unless 1 <= K <= N.
struct ShardSpec {
    std::uint64_t k = 0, n = 0;
};
std::optional<ShardSpec> parse_shard_spec(std::string_view text);

// The words without the given options and their values. A long option "--shard" matches "--shard V" and
// "--shard=V"; a short one "-o" matches "-o V", "-oV" and "-o=V".
std::vector<std::string> without_options(std::vector<std::string> words,
                                         const std::vector<std::string_view>& options);

// The words of a scan's command line that must be the same on every shard: without the program path (shards
// may run ghostport from different places), --shard's value and -o/--output's value.
std::vector<std::string> normalized_command_line(std::string_view command_line);

}  // namespace ghostport::core
