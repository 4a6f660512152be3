#!/usr/bin/env bash
# The README's second command: install dependencies, build, and run the whole test suite (unit + namespace lab).
# The lab tests need root; they skip without it, except with CI=true, where a skip is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --tests
scripts/build.sh
ctest --test-dir build --output-on-failure --timeout 300 "$@"
