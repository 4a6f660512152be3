#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Service-identification benchmark: `ghostport scan -sV` side by side with `nmap -sV -T4` on 16 lab hosts,
# each serving the zoo of real Debian daemons (tests/lab/zoo.sh: ~37 TCP ports a host, several on borrowed
# numbers). Prints each tool's median wall time, ghostport/nmap, how many ports each named correctly against
# the zoo's truth, where the two disagree, ghostport's conversations per port (median and maximum), and peak
# memory (RSS) of -sV over 16 hosts x 65536 ports and over one host with 1,000 open ports.
#
#   bench/identify.sh [RUNS]     needs root, a build in build/, nmap, and the zoo's daemons
#                                (scripts/deps.sh --tests); everything runs inside gpt-<pid>- namespaces
#
# Targets (issue "scan -sV"): at most 0.3x nmap's time with every service named; RSS at most 150 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
lab=tests/lab/lab.sh
zoo=tests/lab/zoo.sh
bin=$PWD/build/ghostport
service=$PWD/build/tests/integration/gp_service
[[ -x $bin && -x $service ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
command -v nmap >/dev/null || { echo "nmap is not installed (apt-get install nmap)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "GNU time is not installed (apt-get install time)" >&2; exit 2; }
((EUID == 0)) || { echo "the namespace lab needs root" >&2; exit 2; }

hosts=16
name="gpt-$$-"
work=$(mktemp -d /tmp/gpt-bench-XXXXXX)
chmod 755 "$work"
out="$work/out"  # a SYN scan writes its report as the user it drops to (nobody)
mkdir -m 1777 "$out"
cleanup() {
    "$zoo" stop "$work/zoo" >/dev/null 2>&1 || true
    "$lab" down "$name" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$lab" up "$name" "$hosts" >/dev/null
mkdir -p "$work/zoo"
"$zoo" start "${name}t" "$work/zoo" >/dev/null
"$zoo" manifest "$work/zoo" >"$work/truth.tsv"
ports=$(cut -f1 "$work/truth.tsv" | paste -sd, -)
range="198.18.0.10-$((10 + hosts - 1))"
echo "lab: $hosts hosts x $(wc -l <"$work/truth.tsv") zoo ports ($ports)"

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
elapsed() { local t0=$1 t1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }

declare -A med
for tool in ghostport nmap; do
    times=()
    for ((r = 0; r < runs; r++)); do
        t0=$(date +%s.%N)
        case $tool in
            ghostport) timeout 600 ip netns exec "${name}s" "$bin" scan "$range" -sV -Pn -n -p "$ports" \
                           --no-progress -q --format json -o "$out/g.json" ;;
            nmap) timeout 1800 ip netns exec "${name}s" nmap -sV -T4 -Pn -n -p "$ports" "$range" \
                      -oX "$work/n.xml" >/dev/null ;;
        esac
        times+=("$(elapsed "$t0")")
        # nmap needs most of a minute here: once is enough for its median.
        [[ $tool == nmap ]] && break
    done
    med[$tool]=$(printf '%s\n' "${times[@]}" | median)
done

python3 - "$work/truth.tsv" "$out/g.json" "$work/n.xml" "$hosts" "${med[ghostport]}" "${med[nmap]}" <<'PY'
import json, sys, statistics, xml.etree.ElementTree as ET
truth_file, gjson, nxml, hosts, gsec, nsec = sys.argv[1:7]
truth = {}
for line in open(truth_file):
    f = (line.rstrip("\n").split("\t") + [""] * 6)[:6]
    truth[f[0]] = f
g = {}
conv = []
for line in open(gjson):
    rec = json.loads(line) if line.strip().startswith("{") else None
    if not rec or rec.get("record") != "port":
        continue
    g[(rec["host"], str(rec["port"]))] = rec
    if rec.get("conversations") is not None:
        conv.append(rec["conversations"])
n = {}
for host in ET.parse(nxml).getroot().iter("host"):
    addr = host.find("address").get("addr")
    for p in host.iter("port"):
        s = p.find("service")
        name = s.get("name", "") if s is not None else ""
        if s is not None and s.get("tunnel") == "ssl" and name not in ("ssl", "https"):
            name = "ssl/" + name
        prod = s.get("product", "") if s is not None else ""
        n[(addr, p.get("portid"))] = (name, prod, s.get("method", "") if s is not None else "")
total = g_ok = n_ok = 0
disagree = {}
for (host, port), rec in sorted(g.items()):
    t = truth.get(port)
    if not t:
        continue
    total += 1
    want = ("ssl/" if t[4] == "yes" else "") + t[1]
    got = ("ssl/" if rec.get("tls") and not rec["tls"].startswith("STARTTLS") else "") + rec.get("detected_service", "")
    g_ok += got == want and rec.get("product", "") == t[2]
    nn = n.get((host, port), ("", "", ""))
    n_ok += nn[0] in (want, t[1]) or (t[1] == "http" and nn[0] in ("ssl/https", "https"))
    key = (port, want, got + " " + rec.get("product", ""), nn[0] + " " + nn[1] + (" (guessed from the port)" if nn[2] == "table" else ""))
    if got != want or nn[0] not in (want, t[1]):
        disagree[key] = disagree.get(key, 0) + 1
gs, ns = float(gsec), float(nsec)
print(f"{'tool':10} {'median_s':>9} {'named right':>12}")
print(f"{'ghostport':10} {gs:9.2f} {g_ok:6}/{total}")
print(f"{'nmap':10} {ns:9.2f} {n_ok:6}/{total}")
print(f"ratio ghostport/nmap: {gs / ns:.3f}  (target <= 0.3)")
if conv:
    print(f"conversations per port: median {statistics.median(conv):g}, max {max(conv)}")
if disagree:
    print("disagreements (port, truth, ghostport, nmap, hosts):")
    for (port, want, got, nm), count in sorted(disagree.items(), key=lambda kv: int(kv[0][0])):
        print(f"  {port:>5}  truth {want:14} ghostport {got:32} nmap {nm:40} x{count}")
PY

# Memory: -sV over every port of the 16 hosts (the zoo's ports open on each), then one host with 1,000 open
# ports that answer nothing useful (gp_service: half close at once, half stay silent).
rss() {  # prints peak RSS in MB of the command
    /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
    echo "$(($(tail -1 "$work/rss") / 1024))"
}
echo "peak RSS, -sV over $hosts hosts x 65536 ports: $(rss timeout 900 ip netns exec "${name}s" "$bin" scan "$range" \
    -sV -Pn -n -p- --no-progress -q --format csv -o "$out/all.csv") MB (target <= 150)"
specs=()
for ((p = 20000; p < 21000; p++)); do
    specs+=("198.18.0.11:$p=$([[ $((p % 2)) == 0 ]] && echo close || echo silent)")
done
ip netns exec "${name}t" "$service" --seconds 900 "${specs[@]}" >"$work/service.out" &
for _ in $(seq 100); do grep -q ready "$work/service.out" 2>/dev/null && break; sleep 0.05; done
echo "peak RSS, -sV over 1 host with 1,000 open ports: $(rss timeout 900 ip netns exec "${name}s" "$bin" scan \
    198.18.0.11 -sV -Pn -n -p 20000-20999 --port-threshold 2000 --no-progress -q --format csv -o "$out/k.csv") MB (target <= 150)"
kill %1 2>/dev/null || true
