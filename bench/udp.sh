#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# UDP benchmark: `ghostport scan -sU` against `nmap -sU -T4` on the 100 most common UDP ports (both tools take
# them from nmap-services) of 1 lab host and of 16, each host in a namespace of its own so that each has its
# own ICMP budget at the kernel's default limits (one port unreachable a second per peer after a burst of 6).
# Every host runs dnsmasq on 53; every other port is closed. Prints each tool's wall time, how many closed
# ports it called open|filtered (or anything but closed), whether it found 53 open, and the ratio.
#
#   bench/udp.sh [RUNS]        needs root, a build in build/, nmap and dnsmasq (scripts/deps.sh --tests)
#
# The floor: 99 closed ports, 6 told at once, the rest one a second: about 93 s on one host and, the hosts
# running side by side, on 16. Targets: no wrong state; at most 2x nmap's time on one host and 1.25x on 16.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
bin=$PWD/build/ghostport
[[ -x $bin ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
for tool in nmap dnsmasq ip; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (scripts/deps.sh --tests)" >&2; exit 2; }
done
((EUID == 0)) || { echo "the namespace lab needs root" >&2; exit 2; }
[[ -r /usr/share/nmap/nmap-services ]] || { echo "nmap-common is not installed" >&2; exit 2; }

prefix="gpt-$$-"
scanner="${prefix}s"
work=$(mktemp -d /tmp/gpt-bench-XXXXXX)
hosts_up=0
cleanup() {
    for ns in $(ip netns list | awk '{ print $1 }' | grep "^$prefix" || true); do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# host i (0-based): namespace ${prefix}hI, 198.18.(10+i).2, reached from the scanner's 198.18.(10+i).1/24.
addr() { echo "198.18.$((10 + $1)).2"; }
make_lab() {  # hosts
    cleanup
    mkdir -p "$work"
    ip netns add "$scanner"
    ip -n "$scanner" link set lo up
    for ((i = 0; i < $1; i++)); do
        local ns="${prefix}h$i"
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        ip link add "${prefix}a$i" netns "$scanner" type veth peer name "${prefix}b$i" netns "$ns"
        ip -n "$scanner" addr add "198.18.$((10 + i)).1/24" dev "${prefix}a$i"
        ip -n "$ns" addr add "$(addr "$i")/24" dev "${prefix}b$i"
        ip -n "$scanner" link set "${prefix}a$i" up
        ip -n "$ns" link set "${prefix}b$i" up
        # The kernel's defaults, stated: a fresh namespace has them already.
        ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=1000 net.ipv4.icmp_msgs_per_sec=1000
        ip netns exec "$ns" dnsmasq --conf-file=/dev/null --port=53 --listen-address="$(addr "$i")" \
            --bind-interfaces --no-resolv --no-hosts --user=root --pid-file="$work/dnsmasq$i.pid"
    done
    hosts_up=$1
}

targets() { for ((i = 0; i < hosts_up; i++)); do addr "$i"; done; }

# run_tool TOOL -> "seconds wrong found53"
run_tool() {
    local tool=$1 t0 t1 wrong found
    t0=$(date +%s.%N)
    case $tool in
        ghostport)
            timeout 1200 ip netns exec "$scanner" "$bin" scan -sU --show all --format csv --no-progress -q \
                -n $(targets) >"$work/g.csv"
            t1=$(date +%s.%N)
            # columns: host, hostname, port, proto, state, ...
            wrong=$(awk -F, 'NR > 1 && $4 == "udp" && $3 != 53 && $5 != "closed"' "$work/g.csv" | wc -l)
            found=$(awk -F, 'NR > 1 && $4 == "udp" && $3 == 53 && $5 == "open"' "$work/g.csv" | wc -l) ;;
        nmap)
            timeout 1200 ip netns exec "$scanner" nmap -sU -T4 --top-ports 100 -n -Pn $(targets) \
                -oG "$work/n.gnmap" >/dev/null
            t1=$(date +%s.%N)
            wrong=$(grep -oE 'Ports: .*' "$work/n.gnmap" | tr ',' '\n' |
                awk -F/ '{ gsub(/^(Ports: )? */, "", $1) } $1 != 53 && $2 != "closed" && $2 != ""' | wc -l)
            found=$(grep -oE '(Ports: | )53/open/udp' "$work/n.gnmap" | wc -l) ;;
    esac
    echo "$(echo "$t1 - $t0" | bc -l) $wrong $found"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-10s %-10s %9s %14s %8s %6s\n' hosts tool median_s closed_as_other dns53 ratio
for hosts in 1 16; do
    make_lab "$hosts"
    declare -A med=()
    for tool in ghostport nmap; do
        times=() worst=0 found_min=$hosts
        for ((r = 0; r < runs; r++)); do
            read -r secs wrong found < <(run_tool "$tool")
            times+=("$secs")
            ((wrong > worst)) && worst=$wrong
            ((found < found_min)) && found_min=$found
        done
        med[$tool]=$(printf '%s\n' "${times[@]}" | median)
        ratio=""
        [[ $tool == nmap ]] && ratio=$(echo "scale=2; ${med[ghostport]} / ${med[nmap]}" | bc -l)
        printf '%-10s %-10s %9.1f %14s %8s %6s\n' "$hosts" "$tool" "${med[$tool]}" "$worst" \
            "$found_min/$hosts" "$ratio"
    done
done
