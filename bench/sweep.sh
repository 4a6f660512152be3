#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Subnet-sweep benchmarks, bench/syn.sh's "sweep16" and "sweep" scenarios (see that script for the labs, the
# peers' settings and the environment variables), printing the median time, packets sent, recall, false open
# ports and ghostport's time over each peer's:
# - sweep16: one port (80) over a /16 where 64 hosts listen; ghostport (default flags, and -Pn) against zmap
#   at 100k and 1M pps (ZMAP_RATES). Issue 16's target: the default run at most 0.6x zmap's time, with every
#   open pair found.
# - sweep: a /24 where 20 hosts are up, every port; ghostport (host discovery, then every port of each live
#   host as soon as it answers) against `nmap -sS -p- -T4` (its own discovery) and `masscan -p0-65535` (no
#   discovery: all 256 addresses).
#
#   bench/sweep.sh [RUNS]     needs root and a build in build/; everything runs inside gpt-<pid>- namespaces
#
# SCENARIOS=sweep16 runs one of them. masscan needs 16.8M probes in "sweep": only its faster rates are tried (MASSCAN_RATES, default 100000 1000000).
set -euo pipefail
export SCENARIOS=${SCENARIOS:-sweep16 sweep}
export MASSCAN_RATES=${MASSCAN_RATES:-100000 1000000}
export TIMEOUT=${TIMEOUT:-600}
exec "$(dirname "$0")/syn.sh" "$@"
