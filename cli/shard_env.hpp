// SPDX-License-Identifier: GPL-2.0-or-later
// --shard auto: the shard index and count from the batch scheduler that started this process, so a scan
// split into N shards runs as a Kubernetes Indexed Job or a Slurm job array with no wrapper script.
#pragma once

#include <functional>
#include <string>

namespace ghostport::cli {

using GetEnv = std::function<const char*(const char*)>;

// Turns a --shard value into "K/N" (1-based K), reading the environment for the auto forms:
//   "K/N"     as given;
//   "auto"    Slurm job array: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT (and SLURM_ARRAY_TASK_MIN, the
//             first task id, 0 when unset) give K = ID - MIN + 1 of N = COUNT; with JOB_COMPLETION_INDEX set
//             and no Slurm variables, an error asking for auto/N;
//   "auto/N"  Kubernetes Indexed Job with N completions: JOB_COMPLETION_INDEX (0-based) gives K = INDEX + 1;
//             without it, the Slurm variables as for "auto" (their count must then be N).
// Throws core::InputError naming the variable that is missing or bad.
std::string resolve_shard(const std::string& spec, const GetEnv& getenv);

}  // namespace ghostport::cli
