#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SYN-engine benchmark: ghostport (`--engine syn`, default flags otherwise) side by side with masscan (several
# --rate values, with and without --retries 2) and `nmap -sS` (-T4, and -T5 --min-rate 50000), all inside
# namespace labs. Scenarios, each at 0% and 3% random loss (both directions):
#   1host     veth lab, 198.18.0.10, every port (1-65535); listeners on 22 80 443 3306 8080 1642 50000
#   256host   veth lab, 198.18.0.10 ... 198.18.1.9, the top 1000 ports (nmap's --top-ports 1000 set, which is
#             ghostport's too); the same listeners on every host
#   latency   lab.sh latency + gp_responder: 198.19.0.0/24 (256 hosts, RTT 20-200 ms, 10% down) x the top
#             1000 ports; loss is the responder's --loss
#   sweep     veth lab, a /24 (198.18.0.0/24) where 20 hosts are up (198.18.0.10 ... 198.18.0.29), every port:
#             ghostport and nmap find the live hosts first (their own host discovery, no -Pn), masscan has
#             none and probes all 256 addresses x 0-65535 (bench/sweep.sh runs it and sweep16). The other
#             scenarios give both ghostport and nmap -Pn: they measure port scanning.
#   latency64 the latency lab with 64 hosts (198.19.0.0/26, RTT 20-200 ms, 10% down) x 1026 ports (1-1024,
#             1642, 50000), against `nmap -sS -T5 --min-rate 50000` only; issue 16 measures it at 2% loss:
#             SCENARIOS=latency64 LOSSES=2 bench/syn.sh
#   sweep16   veth lab, one port (80) over a /16 (198.18.0.0/16) where 64 hosts listen (198.18.0.10 ...
#             198.18.0.73): ghostport with its default host discovery and with -Pn, against zmap (several
#             --rate values, --cooldown-time 1; zmap has no host discovery). The scanner namespace reaches the
#             whole /16 through one gateway, the target namespace's veth end (its address 198.18.0.1/32, a
#             route to 198.18.0.10 on the link and 198.18.0.0/16 via it), as zmap assumes (--gateway-mac):
#             every probe goes to one MAC and the 65472 addresses nobody owns are dropped silently there,
#             with no ARP per address on either tool's path. nmap and masscan are not run here.
# Per scenario and tool: median wall time of RUNS runs, median packets sent (the TX counter of the scanner
# side interface: the veth end, or the TUN device), worst recall, false open ports, and ghostport's median
# over the peer's; the fastest peer configuration with 100% recall in every run is named.
#
#   bench/syn.sh [RUNS]      needs root and a build in build/; everything runs inside gpt-<pid>- namespaces
#
# Environment: GHOSTPORT_ENGINE (default syn; connect to test the bench itself), GHOSTPORT_BIN (default
# build/ghostport: another build to compare, e.g. one of an older commit in a git worktree), SCENARIOS (default
# "1host 256host latency"), LOSSES (default "0 3"), MASSCAN_RATES (default "10000 100000 1000000"),
# MASSCAN_WAIT (default 1 s on the veth lab, 2 s on the latency lab), ZMAP_RATES (sweep16; default
# "100000 1000000"), TIMEOUT (per run, default 900 s), VERBOSE (1: every run's time on stderr).
# A peer that is not installed is skipped with a message; a tool that fails prints n/a with the reason.
#
# masscan 1.3.2 (Debian 12) notes:
# - It sends from 198.18.0.2, an address of the lab's subnet that the scanner namespace's kernel does not own
#   (masscan answers ARP for it itself), as masscan's documentation advises. With the kernel's own
#   198.18.0.1 it missed 1-5 of 7 open ports in most full-range runs on the veth lab, at any rate; with
#   198.18.0.2, none in ten runs at 100000 and 1000000 pps.
# - libpcap's TPACKET_V3 ring only wakes masscan's receive thread when a packet arrives, so on a silent lab
#   link masscan does not exit after --wait (seconds, or never on the TUN device). Real networks always
#   carry something: a 10 Hz keepalive datagram is sent toward the scanner namespace during every run of
#   every tool (veth: from the target side to an address nobody has, so nothing answers and nothing counts
#   as sent; TUN: from the scanner side into the TUN, and those packets are subtracted from the count). The
#   loop that sends it starts no process per tick: on this 2-CPU machine a `sleep` and an `mv` ten times a
#   second stalled the TUN responder often enough to cost ghostport 0.1-0.2 s a run on latency64.
# - --retries N sends each probe N+1 times back to back and also walks N x rate extra indices, so it sends
#   (probes + N x rate) x (N+1) packets (masscan issues #574, #599, fixed after 1.3.2).
# - It answers most of the targets' RST+ACKs with a RST of its own, so it sends up to twice the probes even
#   without retries.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/syn.sh [RUNS]" >&2; exit 2; }
engine=${GHOSTPORT_ENGINE:-syn}
scenarios=${SCENARIOS:-1host 256host latency}
losses=${LOSSES:-0 3}
masscan_rates=${MASSCAN_RATES:-10000 100000 1000000}
zmap_rates=${ZMAP_RATES:-100000 1000000}
limit=${TIMEOUT:-900}
verbose=${VERBOSE:-0}
lab=$PWD/tests/lab/lab.sh
bin=${GHOSTPORT_BIN:-$PWD/build/ghostport}
listen=$PWD/build/tests/integration/gp_listen
responder=$PWD/build/tests/integration/gp_responder
[[ -x $bin && -x $listen && -x $responder ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
((EUID == 0)) || { echo "the namespace lab needs root" >&2; exit 2; }
for tool in ip nft bc; do command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }; done
have_masscan=1 have_nmap=1 have_zmap=1
command -v masscan >/dev/null || { have_masscan=0; echo "masscan is not installed (apt-get install -y masscan): skipped"; }
command -v nmap >/dev/null || { have_nmap=0; echo "nmap is not installed (apt-get install -y nmap): skipped"; }
if [[ " ${scenarios} " == *" sweep16 "* ]] && ! command -v zmap >/dev/null; then
    have_zmap=0
    echo "zmap is not installed (apt-get install -y zmap): skipped"
fi

name="gpt-$$-"
dev="${name}r"  # the latency lab's TUN device
work=$(mktemp -d /tmp/gpt-bench-XXXXXX)
mkfifo "$work/never"
cleanup() { "$lab" down "$name" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

open_ports=(22 80 443 3306 8080 1642 50000)
responder_world=(--seed 1 --hosts 198.19.0.0/24)
latency64_ports=1-1024,1642,50000  # 1026 ports
top_list=""  # the top 1000 ports, computed below when a scenario needs them
bg_pids=()

in_scanner() { ip netns exec "${name}s" "$@"; }
tx_packets() { in_scanner cat "/sys/class/net/$ifc/statistics/tx_packets"; }
# The keepalive's ticks so far: it appends a byte per datagram (no process of its own per tick).
ticks() { if [[ -f $work/ticks ]]; then stat -c %s "$work/ticks"; else echo 0; fi; }
# The keepalive loop (see the header), in bash alone: `read -t 0.1` on a FIFO nobody writes ($1) is its sleep,
# and a byte appended to $2 (when given) counts each datagram.
# shellcheck disable=SC2016  # expanded by the inner bash
keepalive_loop='exec 4<>"$1"; while :; do echo >&3 || true; [[ -z $2 ]] || printf x >>"$2"; read -rt 0.1 -u 4 _ || true; done'

# Expands "1,3-4,6" into one port a line.
expand_ports() { tr , '\n' | awk -F- 'NF == 2 { for (p = $1; p <= $2; p++) print p; next } NF == 1 { print $1 }'; }

# The top 1000 ports as a masscan/gp_responder list: nmap's own list, else ghostport's (a --show all scan of
# one lab host). The two are the same set (nmap-services ordering, nmap's tie-breaks).
top_ports_list() {
    if ((have_nmap)); then
        nmap -sS --top-ports 1000 -v -oG - 2>/dev/null | sed -n 's/.*TCP(1000;\([^)]*\)).*/\1/p'
    else
        "$lab" up "$name" 1 >/dev/null
        timeout 120 ip netns exec "${name}s" "$bin" scan 198.18.0.10 --top-ports 1000 --engine connect \
            --show all --format csv --no-progress -q |
            awk -F, '$1 == "198.18.0.10" && $3 ~ /^[0-9]+$/ { print $3 }' | sort -n | paste -sd,
        "$lab" down "$name"
    fi
}

stop_background() {
    local pid
    for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${bg_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    bg_pids=()
}

# Builds the lab of a scenario and writes $work/truth (host:port lines, sorted). Sets targets (one spec),
# nmap_targets (nmap arguments), ifc (the interface whose TX counter is read), tick_in_tx, and the ports.
make_lab() {  # scenario loss
    local scenario=$1 loss=$2 hosts i p h endpoints=()
    stop_background
    "$lab" down "$name" >/dev/null 2>&1 || true
    rm -f "$work/ticks"
    case $scenario in
        1host | 256host | sweep | sweep16)
            hosts=1 targets=198.18.0.10 nmap_targets=(198.18.0.10) nmap_discovery=(-Pn) gp_discovery=(-Pn)
            gp_ports=(-p 1-65535) nmap_ports=(-p-) masscan_ports=1-65535 listening=("${open_ports[@]}")
            if [[ $scenario == 256host ]]; then
                hosts=256 targets=198.18.0.10-198.18.1.9 nmap_targets=(-iL "$work/hosts")
                gp_ports=(--top-ports 1000) nmap_ports=(--top-ports 1000) masscan_ports=$top_list
            fi
            if [[ $scenario == sweep ]]; then
                hosts=20 targets=198.18.0.0/24 nmap_targets=(198.18.0.0/24) nmap_discovery=() gp_discovery=()
                masscan_ports=0-65535
            fi
            if [[ $scenario == sweep16 ]]; then
                hosts=64 targets=198.18.0.0/16 gp_discovery=() gp_ports=(-p 80) zmap_port=80 listening=(80)
            fi
            "$lab" up "$name" "$hosts"
            if [[ $scenario == sweep16 ]]; then
                # The /16 behind one gateway (see the header): no on-link /23, so no ARP per target address.
                ip -n "${name}s" addr del 198.18.0.1/23 dev "${name}a"
                ip -n "${name}s" addr add 198.18.0.1/32 dev "${name}a"
                ip -n "${name}s" route add 198.18.0.10/32 dev "${name}a"
                ip -n "${name}s" route add 198.18.0.0/16 via 198.18.0.10 dev "${name}a" src 198.18.0.1
                zmap_link=(--interface "${name}a" --source-ip 198.18.0.1
                    --gateway-mac "$(ip -n "${name}t" -br link show "${name}b" | awk '{ print $3 }')")
                # zmap's default blacklist excludes 198.18.0.0/15 (RFC 2544), which is all this lab has.
                : >"$work/zmap-blacklist"
            fi
            [[ $loss != 0 ]] && "$lab" firewall "$name" "loss=$loss"
            : >"$work/hosts"
            for ((i = 0; i < hosts; i++)); do
                h="198.18.$(((10 + i) / 256)).$(((10 + i) % 256))"
                echo "$h" >>"$work/hosts"
                for p in "${listening[@]}"; do endpoints+=("$h:$p"); done
            done
            printf '%s\n' "${endpoints[@]}" >"$work/listening"
            if [[ $scenario == 256host ]]; then
                awk -F: 'NR == FNR { top[$1] = 1; next } $2 in top' "$work/top" "$work/listening" >"$work/truth"
            else
                cp "$work/listening" "$work/truth"
            fi
            timeout $((limit * 40)) ip netns exec "${name}t" "$listen" --seconds $((limit * 40)) "${endpoints[@]}" \
                >"$work/listen.out" &
            bg_pids+=($!)
            for _ in $(seq 100); do grep -q ready "$work/listen.out" 2>/dev/null && break; sleep 0.05; done
            grep -q ready "$work/listen.out" || { echo "gp_listen did not start" >&2; exit 3; }
            ifc="${name}a" tick_in_tx=0 masscan_wait=${MASSCAN_WAIT:-1}
            masscan_link=(--adapter "$ifc" --adapter-ip 198.18.0.2
                --router-mac "$(ip -n "${name}t" -br link show "${name}b" | awk '{ print $3 }')")
            # Keepalive for masscan's pcap (see the header): to 198.18.1.254, which the scanner side's MAC
            # stands for but nobody owns, so the scanner drops it without an answer.
            ip -n "${name}t" neigh add 198.18.1.254 lladdr "$(ip -n "${name}s" -br link show "$ifc" | awk '{ print $3 }')" \
                dev "${name}b" nud permanent
            timeout $((limit * 40)) ip netns exec "${name}t" bash -c "exec 3>/dev/udp/198.18.1.254/9; $keepalive_loop" \
                keepalive "$work/never" "" 2>/dev/null &
            bg_pids+=($!)
            ;;
        latency | latency64)
            targets=198.19.0.0/24 nmap_targets=(198.19.0.0/24) nmap_discovery=(-Pn) gp_discovery=(-Pn)
            gp_ports=(--top-ports 1000) nmap_ports=(--top-ports 1000) masscan_ports=$top_list
            local world=("${responder_world[@]}" --loss "$loss") truth_ports=$top_list
            if [[ $scenario == latency64 ]]; then
                targets=198.19.0.0/26 nmap_targets=(198.19.0.0/26) truth_ports=$latency64_ports
                gp_ports=(-p "$latency64_ports") nmap_ports=(-p "$latency64_ports") masscan_ports=$latency64_ports
                world=(--seed 1 --hosts 198.19.0.0/26 --loss "$loss")
            fi
            "$lab" up "$name" 1
            "$lab" latency "$name" "$dev"
            "$responder" --truth "$truth_ports" "${world[@]}" | sort >"$work/truth"
            timeout $((limit * 40)) ip netns exec "${name}s" "$responder" --dev "$dev" --seconds $((limit * 40)) \
                "${world[@]}" >"$work/responder.out" 2>"$work/responder.err" &
            bg_pids+=($!)
            for _ in $(seq 100); do grep -q ready "$work/responder.out" 2>/dev/null && break; sleep 0.05; done
            grep -q ready "$work/responder.out" || { echo "gp_responder did not start" >&2; exit 3; }
            ifc=$dev tick_in_tx=1 masscan_wait=${MASSCAN_WAIT:-2}
            masscan_link=(--adapter "$ifc" --adapter-ip 198.18.0.2)
            # Keepalive for masscan's pcap, out through the TUN to an address outside the responder's block;
            # the count is kept so that these packets come off the TX counter.
            timeout $((limit * 40)) ip netns exec "${name}s" bash -c "exec 3>/dev/udp/198.19.255.254/9; $keepalive_loop" \
                keepalive "$work/never" "$work/ticks" 2>/dev/null &
            bg_pids+=($!)
            ;;
    esac
    sort -o "$work/truth" "$work/truth"
    sleep 0.3
}

# The tool configurations of a scenario, as "label|kind|extra arguments".
configs() {  # scenario
    echo "ghostport-$engine|ghostport|"
    if [[ $1 == latency64 ]]; then
        ((have_nmap)) && echo "nmap-T5-mr50000|nmap|-T5 --min-rate 50000"
        return
    fi
    if [[ $1 == sweep16 ]]; then
        echo "ghostport-$engine-Pn|ghostport|-Pn"
        if ((have_zmap)); then
            local rate
            for rate in $zmap_rates; do echo "zmap-r$rate|zmap|--rate $rate"; done
        fi
        return
    fi
    if ((have_masscan)); then
        local rate
        for rate in $masscan_rates; do
            echo "masscan-r$rate|masscan|--rate $rate"
            echo "masscan-r$rate-rt2|masscan|--rate $rate --retries 2"
        done
    fi
    if ((have_nmap)); then
        echo "nmap-T4|nmap|-T4"
        echo "nmap-T5-mr50000|nmap|-T5 --min-rate 50000"
    fi
}

# run_tool KIND EXTRA: one run; sets secs, pkts, rc and writes $work/found (host:port lines, sorted).
run_tool() {
    local kind=$1 t0 t1 tx0 tick0 extra
    read -ra extra <<<"$2"
    rc=0
    : >"$work/found"
    tx0=$(tx_packets) tick0=$(ticks)
    t0=$(date +%s.%N)
    case $kind in
        ghostport)
            timeout "$limit" ip netns exec "${name}s" "$bin" scan "$targets" "${gp_ports[@]}" "${gp_discovery[@]}" \
                "${extra[@]}" --engine "$engine" \
                --format csv --no-progress -q >"$work/g.csv" 2>"$work/err" || rc=$?
            t1=$(date +%s.%N)
            awk -F, '$1 ~ /^[0-9.]+$/ && $3 ~ /^[0-9]+$/ && $5 == "open" { print $1 ":" $3 }' "$work/g.csv" \
                >"$work/found" ;;
        masscan)
            # In $work: masscan drops paused.conf into the current directory when interrupted.
            (cd "$work" && timeout "$limit" ip netns exec "${name}s" masscan "$targets" -p "$masscan_ports" \
                "${extra[@]}" "${masscan_link[@]}" --wait "$masscan_wait" -oL "$work/m.txt") \
                >/dev/null 2>"$work/err" || rc=$?
            t1=$(date +%s.%N)
            awk '$1 == "open" && $2 == "tcp" { print $4 ":" $3 }' "$work/m.txt" 2>/dev/null >"$work/found" || true ;;
        zmap)
            # One probe per address; answers are awaited 1 s after the last probe (the lab's RTT is
            # microseconds). Output: the addresses that answered SYN-ACK.
            timeout "$limit" ip netns exec "${name}s" zmap "$targets" -p "$zmap_port" "${extra[@]}" "${zmap_link[@]}" \
                --blacklist-file "$work/zmap-blacklist" --cooldown-time 1 --quiet -o "$work/z.txt" \
                >/dev/null 2>"$work/err" || rc=$?
            t1=$(date +%s.%N)
            awk -v port="$zmap_port" '/^[0-9.]+$/ { print $1 ":" port }' "$work/z.txt" 2>/dev/null >"$work/found" || true ;;
        nmap)
            timeout "$limit" ip netns exec "${name}s" nmap -sS "${extra[@]}" -n "${nmap_discovery[@]}" "${nmap_ports[@]}" \
                "${nmap_targets[@]}" -oG "$work/n.gnmap" >/dev/null 2>"$work/err" || rc=$?
            t1=$(date +%s.%N)
            { grep -oE 'Host: [0-9.]+ .*Ports: .*' "$work/n.gnmap" 2>/dev/null || true; } | awk '{
                host = $2; line = $0; sub(/.*Ports: /, "", line); sub(/\t.*/, "", line); n = split(line, ps, ", ");
                for (i = 1; i <= n; i++) { split(ps[i], f, "/"); if (f[2] == "open") print host ":" f[1] } }' \
                >"$work/found" ;;
    esac
    sort -u -o "$work/found" "$work/found"
    secs=$(echo "$t1 - $t0" | bc -l)
    pkts=$(($(tx_packets) - tx0))
    ((tick_in_tx)) && pkts=$((pkts - ($(ticks) - tick0)))
    return 0
}

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

if [[ " $scenarios " == *" 256host "* || " $scenarios " == *" latency "* ]]; then
    top_list=$(top_ports_list)
    echo "$top_list" | expand_ports >"$work/top"
    (($(wc -l <"$work/top") == 1000)) || { echo "could not get the top 1000 ports" >&2; exit 3; }
fi

row() { printf '%-16s %-22s %9s %10s %8s %6s %7s  %s\n' "$@"; }
echo "ghostport engine: $engine; runs: $runs; per-run timeout: ${limit}s; $(nproc) CPUs"
row scenario tool median_s packets recall false ratio note
for scenario in $scenarios; do
    for loss in $losses; do
        label="$scenario-$loss%"
        make_lab "$scenario" "$loss"
        total=$(wc -l <"$work/truth")
        gp_median="" best="" best_secs=""
        while IFS='|' read -r tool kind extra; do
            times=() packets=() worst_recall=100 falses=0 note="" n=$runs failed="" timed_out=0
            for ((r = 0; r < n; r++)); do
                run_tool "$kind" "$extra"
                if ((rc != 0 && rc != 124)); then
                    failed="exit $rc: $(grep -m1 -v '^\s*$' "$work/err" | cut -c1-100 || true)"
                    break
                fi
                ((rc == 124)) && timed_out=1 note="timed out after ${limit}s (partial results); "
                # A configuration needing minutes per run is run once.
                (($(echo "$secs > 120" | bc -l))) && n=1
                times+=("$secs") packets+=("$pkts")
                ((verbose)) && printf '  %s run %d: %.3f s, %s packets\n' "$tool" $((r + 1)) "$secs" "$pkts" >&2
                hit=$(comm -12 "$work/truth" "$work/found" | wc -l)
                false_open=$(comm -13 "$work/truth" "$work/found" | wc -l)
                recall=$(echo "100 * $hit / $total" | bc -l)
                (($(echo "$recall < $worst_recall" | bc -l))) && worst_recall=$recall
                falses=$((falses + false_open))
            done
            if [[ -n $failed ]]; then
                row "$label" "$tool" n/a n/a n/a n/a - "$failed"
                continue
            fi
            ((n < runs)) && note+="1 run: too slow to repeat"
            med=$(printf '%s\n' "${times[@]}" | median)
            med_pkts=$(printf '%s\n' "${packets[@]}" | median)
            ratio="-"
            if [[ $kind == ghostport ]]; then
                [[ -z $gp_median ]] && gp_median=$med  # the default configuration's, not -Pn's
            else
                # A peer that timed out took longer than its time: the ratio is an upper bound.
                [[ -n $gp_median ]] && ratio=$( ((timed_out)) && printf '<'; printf '%.2f' "$(echo "$gp_median / $med" | bc -l)")
                if ((!timed_out)) && (($(echo "$worst_recall >= 100" | bc -l))) &&
                    [[ -z $best_secs || $(echo "$med < $best_secs" | bc -l) == 1 ]]; then
                    best=$tool best_secs=$med
                fi
            fi
            row "$label" "$tool" "$(printf '%.2f' "$med")" "$med_pkts" \
                "$(printf '%.2f%%' "$worst_recall")" "$falses" "$ratio" "$note"
        done < <(configs "$scenario")
        summary="  $label: $total open endpoints scanned; "
        if [[ -z $best ]]; then
            summary+="no peer configuration reached 100% recall in every run"
        else
            summary+="fastest peer with 100% recall in every run: $best ($(printf '%.2f' "$best_secs") s)"
            [[ -n $gp_median ]] &&
                summary+="; ghostport-$engine / it = $(printf '%.2f' "$(echo "$gp_median / $best_secs" | bc -l)")"
        fi
        echo "$summary"
    done
done
stop_background
echo "median_s: median wall time of $runs runs; packets: median packets sent by the scanner side (its interface's"
echo "TX counter: probes, retries, the scanner's RSTs and handshake ACKs, ARP); recall: worst of the runs; false: open"
echo "ports reported that are not open, summed over runs; ratio: ghostport median / this peer's median (<: the peer"
echo "timed out, so it is an upper bound)."
