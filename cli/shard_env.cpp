// SPDX-License-Identifier: GPL-2.0-or-later
// --shard auto: the shard index and count from Kubernetes' or Slurm's environment variables.
#include "cli/shard_env.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/errors.hpp"

namespace ghostport::cli {

namespace {

// The variable as a decimal number, nullopt when unset; InputError when set but not a number.
std::optional<std::uint64_t> number_var(const GetEnv& getenv, const char* name) {
    const char* value = getenv(name);
    if (!value) return std::nullopt;
    const std::string_view text(value);
    std::uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || n > (1ull << 32))
        throw core::InputError(
            fmt::format("--shard auto: {}='{}' is not a number", name, text.substr(0, 40)));
    return n;
}

std::optional<std::string> from_slurm(const GetEnv& getenv) {
    const auto id = number_var(getenv, "SLURM_ARRAY_TASK_ID");
    const auto count = number_var(getenv, "SLURM_ARRAY_TASK_COUNT");
    if (!id && !count) return std::nullopt;
    if (!id || !count)
        throw core::InputError(fmt::format("--shard auto: {} is set but {} is not",
                                           id ? "SLURM_ARRAY_TASK_ID" : "SLURM_ARRAY_TASK_COUNT",
                                           id ? "SLURM_ARRAY_TASK_COUNT" : "SLURM_ARRAY_TASK_ID"));
    const std::uint64_t min = number_var(getenv, "SLURM_ARRAY_TASK_MIN").value_or(0);
    if (*id < min || *id - min >= *count)
        throw core::InputError(fmt::format(
            "--shard auto: SLURM_ARRAY_TASK_ID {} is outside the array ({} tasks from {}); use a plain "
            "--array=0-{} with no step",
            *id, *count, min, *count ? *count - 1 : 0));
    return fmt::format("{}/{}", *id - min + 1, *count);
}

}  // namespace

std::string resolve_shard(const std::string& spec, const GetEnv& getenv) {
    if (spec == "auto") {
        if (auto slurm = from_slurm(getenv)) return *slurm;
        if (getenv("JOB_COMPLETION_INDEX"))
            throw core::InputError(
                "--shard auto: JOB_COMPLETION_INDEX is set but Kubernetes does not say the count: give "
                "--shard auto/N with N the Job's completions");
        throw core::InputError(
            "--shard auto: no scheduler variables (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or "
            "JOB_COMPLETION_INDEX with --shard auto/N)");
    }
    if (!spec.starts_with("auto/")) return spec;
    const std::string_view count_text = std::string_view(spec).substr(5);
    std::uint64_t count = 0;
    auto [ptr, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (count_text.empty() || ec != std::errc{} || ptr != count_text.data() + count_text.size() || count == 0)
        throw core::InputError(fmt::format("bad --shard '{}': auto/N needs a count N >= 1", spec));
    if (const auto index = number_var(getenv, "JOB_COMPLETION_INDEX")) {
        if (*index >= count)
            throw core::InputError(fmt::format(
                "--shard {}: JOB_COMPLETION_INDEX {} is not below the count {}", spec, *index, count));
        return fmt::format("{}/{}", *index + 1, count);
    }
    if (auto slurm = from_slurm(getenv)) {
        if (!slurm->ends_with(fmt::format("/{}", count)))
            throw core::InputError(
                fmt::format("--shard {}: the Slurm array has another count ({})", spec, *slurm));
        return *slurm;
    }
    throw core::InputError(fmt::format(
        "--shard {}: JOB_COMPLETION_INDEX is not set (run it as a Kubernetes Indexed Job) and no Slurm array "
        "variables either",
        spec));
}

}  // namespace ghostport::cli
