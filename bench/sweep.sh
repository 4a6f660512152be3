#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Subnet-sweep benchmark: a /24 of the namespace lab where 20 hosts are up, every port. ghostport (host
# discovery, then every port of each live host as soon as it answers) side by side with `nmap -sS -p- -T4`
# (its own discovery) and `masscan -p0-65535` (no discovery: all 256 addresses), printing the median time,
# packets sent, recall, false open ports and ghostport's time over each peer's. It is bench/syn.sh's "sweep"
# scenario, run alone; see that script for the lab, the peers' settings and the environment variables.
#
#   bench/sweep.sh [RUNS]     needs root and a build in build/; everything runs inside gpt-<pid>- namespaces
#
# masscan needs 16.8M probes here: only its faster rates are tried (MASSCAN_RATES, default 100000 1000000).
set -euo pipefail
export SCENARIOS=sweep
export MASSCAN_RATES=${MASSCAN_RATES:-100000 1000000}
export TIMEOUT=${TIMEOUT:-600}
exec "$(dirname "$0")/syn.sh" "$@"
