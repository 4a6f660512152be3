#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every libFuzzer target (tests/fuzz/) for a set time under ASan + UBSan + LeakSanitizer and prints, per
# target, the executions, executions per second, peak memory, corpus size and verdict.
#
#   bench/fuzz.sh [SECONDS] [TARGET...]   default 600 s each, every target, one after another
#
# Environment: PARALLEL=N runs N targets at once (default 1: the fuzzers then leave a core free);
# UPDATE_CORPUS=1 merges what the run found that adds coverage into tests/fuzz/corpus/TARGET (minimised with
# -merge=1), to commit. No packets are sent: the targets are pure parsers fed from memory.
#
# Builds the "fuzz" CMake preset (clang, build-fuzz/) when needed. Per target, build-fuzz/fuzz-run/TARGET/
# holds the working corpus (seeded from tests/fuzz/corpus/TARGET), the log, and any crash-*, leak-* or
# timeout-* input; a target with one fails the script (exit 1). Replay a crash with
# build-fuzz/fuzz/TARGET_fuzz FILE, then keep it in tests/fuzz/corpus/TARGET as a regression test
# (fuzz_corpus.TARGET in CTest replays that folder in every build).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
all=(reply target_spec port_spec iana_csv services report_csv report_json expect config service_defs service_match sock_diag)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (${all[*]})" >&2; exit 2; }
done
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (apt-get install clang)" >&2; exit 2; }

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j 2 >/dev/null

run_one() {
    local t=$1 seconds=$2 dir=build-fuzz/fuzz-run/$1
    mkdir -p "$dir/corpus"
    rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
    # -rss_limit_mb: an input that makes a parser hold 2 GiB is a finding, not a slow run.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        build-fuzz/fuzz/"$t"_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "tests/fuzz/corpus/$t" \
        >"$dir/log" 2>&1 && echo ok >"$dir/verdict" || echo FAILED >"$dir/verdict"
}
export -f run_one
printf '%s\n' "${targets[@]}" | xargs -P "${PARALLEL:-1}" -I{} bash -c "run_one {} $seconds"

status=0
printf '%-12s %10s %14s %10s %8s %8s  %s\n' target seconds executions exec/s rss_mb corpus verdict
for t in "${targets[@]}"; do
    dir=build-fuzz/fuzz-run/$t
    stat() { grep -o "^stat::$1: *[0-9]*" "$dir/log" | grep -o '[0-9]*$' || echo "?"; }
    verdict=$(cat "$dir/verdict")
    found=$(ls "$dir" | grep -E '^(crash|leak|timeout|oom)-' || true)
    [[ -z $found ]] || verdict="FAILED: $dir/$(echo "$found" | head -1)"
    [[ $verdict == ok ]] || status=1
    printf '%-12s %10s %14s %10s %8s %8s  %s\n' "$t" "$seconds" "$(stat number_of_executed_units)" \
        "$(stat average_exec_per_sec)" "$(stat peak_rss_mb)" "$(ls "$dir/corpus" | wc -l)" "$verdict"
    if [[ ${UPDATE_CORPUS:-0} == 1 && $verdict == ok ]]; then
        build-fuzz/fuzz/"$t"_fuzz -merge=1 "tests/fuzz/corpus/$t" "$dir/corpus" >/dev/null 2>&1
    fi
done
exit $status
