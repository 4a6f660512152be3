#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's second command: install dependencies, build, and run the whole test suite (unit + namespace lab).
# The lab tests need root; they skip without it, except with CI=true, where a skip is a failure.
#   scripts/test.sh [CTEST ARGS]           the RelWithDebInfo build in build/
#   scripts/test.sh --asan [CTEST ARGS]    the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
#                                          (CMakePresets.json "asan", in build-asan/; every finding is fatal)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --tests
if [[ ${1:-} == --asan ]]; then
    shift
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j 2
    exec ctest --preset asan "$@"
fi
scripts/build.sh
ctest --test-dir build --output-on-failure --timeout 300 "$@"
