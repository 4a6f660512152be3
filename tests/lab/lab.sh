#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The namespace lab: a scanner namespace and a target namespace joined by one veth pair, with no link to
# the host's interfaces. Target hosts are addresses in 198.18.0.0/23 and 2001:2::/64 on the target side.
#
#   lab.sh up NAME HOSTS            create NAMEs (scanner: 198.18.0.1/23, 2001:2::1/64) and NAMEt with HOSTS
#                                   (1-256) addresses 198.18.0.10 ... 198.18.0.255, 198.18.1.0 ... (up to
#                                   198.18.1.9) and 2001:2::10 ... 2001:2::10f (host i is 16+i in hex)
#   lab.sh firewall NAME [drop=P,P] [reset=P,P] [prohibit=P,P] [udrop=P,P] [uprohibit=P,P] [loss=PCT]
#                                   nftables in NAMEt: drop, reject with TCP reset, reject with ICMP
#                                   admin-prohibited (TCP ports; udrop and uprohibit: UDP ports), and random
#                                   loss in both directions (numgen)
#   lab.sh icmp-default NAME        the kernel's default ICMP rate limits in NAMEt (one error per second per
#                                   peer after a burst of 6), which `up` turns off for the TCP tests
#   lab.sh latency NAME DEV         a persistent TUN device DEV (a name starting with gpt-) in NAMEs, up, with
#                                   198.18.0.0/15 (less the veth's /23) and 2001:2:0:ff::/64 routed to it: gp_responder --dev DEV
#                                   plays the hosts there
#   lab.sh down NAME                remove both namespaces (and so the veth pair and every rule)
#
# NAME must start with "gpt-" and is unique per run (e.g. gpt-<pid>-). Needs root (CAP_NET_ADMIN).
set -euo pipefail

cmd=${1:?usage: lab.sh up|firewall|latency|icmp-default|down NAME ...}
name=${2:?lab name}
[[ $name == gpt-* ]] || { echo "lab.sh: lab names start with gpt-" >&2; exit 2; }
s=${name}s t=${name}t

up() {
    local hosts=${1:?number of target hosts}
    if [[ ! $hosts =~ ^[0-9]+$ ]] || ((hosts < 1 || hosts > 256)); then
        echo "lab.sh: 1-256 hosts" >&2
        exit 2
    fi
    ip netns add "$s"
    ip netns add "$t"
    ip link add "${name}a" netns "$s" type veth peer name "${name}b" netns "$t"
    ip -n "$s" link set lo up
    ip -n "$t" link set lo up
    ip -n "$s" addr add 198.18.0.1/23 dev "${name}a"
    ip -n "$s" addr add 2001:2::1/64 dev "${name}a" nodad
    # One `ip` process for every target address: 512 separate ones take seconds.
    local i n
    for ((i = 0; i < hosts; i++)); do
        n=$((10 + i))
        echo "addr add 198.18.$((n / 256)).$((n % 256))/23 dev ${name}b"
        printf 'addr add 2001:2::%x/64 dev %s nodad\n' $((16 + i)) "${name}b"
    done | ip -n "$t" -batch -
    ip -n "$s" link set "${name}a" up
    ip -n "$t" link set "${name}b" up
    # Answer from closed ports at full speed: no RST rate limit inside the lab.
    ip netns exec "$t" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 || true
}

firewall() {
    local rules="" kind ports
    for arg in "$@"; do
        kind=${arg%%=*} ports=${arg#*=}
        case $kind in
            drop) rules+="tcp dport { $ports } drop"$'\n' ;;
            reset) rules+="tcp dport { $ports } reject with tcp reset"$'\n' ;;
            prohibit) rules+="tcp dport { $ports } reject with icmpx type admin-prohibited"$'\n' ;;
            udrop) rules+="udp dport { $ports } drop"$'\n' ;;
            uprohibit) rules+="udp dport { $ports } reject with icmpx type admin-prohibited"$'\n' ;;
            loss) loss=$ports ;;
            *) echo "lab.sh: unknown firewall rule $arg" >&2; exit 2 ;;
        esac
    done
    local lossrule=""
    [[ -n ${loss:-} && ${loss:-0} != 0 ]] && lossrule="numgen random mod 100 < $loss drop"
    ip netns exec "$t" nft -f - <<NFT
table inet gpt_lab {
    chain input {
        type filter hook input priority 0; policy accept;
        $lossrule
        $rules
    }
    chain output {
        type filter hook output priority 0; policy accept;
        $lossrule
    }
}
NFT
}

latency() {
    local dev=${1:?TUN device name}
    [[ $dev == gpt-* ]] || { echo "lab.sh: device names start with gpt-" >&2; exit 2; }
    ip -n "$s" tuntap add dev "$dev" mode tun
    # A deep queue, so a burst of SYNs waits for the responder instead of being dropped.
    ip -n "$s" link set "$dev" txqueuelen 10000 up
    # The whole benchmarking range; the veth's 198.18.0.0/23 stays more specific.
    ip -n "$s" route add 198.18.0.0/15 dev "$dev"
    # IPv6 inside the lab's 2001:2::/48, apart from the veth's 2001:2::/64; a TUN device needs no neighbours.
    ip -n "$s" -6 route add 2001:2:0:ff::/64 dev "$dev"
}

down() {
    # Killing the namespaces' processes first lets the namespaces go at once.
    for ns in "$s" "$t"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
}

case $cmd in
    up) up "${3:-}" ;;
    firewall) shift 2; firewall "$@" ;;
    latency) latency "${3:-}" ;;
    icmp-default) ip netns exec "$t" sysctl -qw net.ipv4.icmp_ratelimit=1000 net.ipv6.icmp.ratelimit=1000 ;;
    down) down ;;
    *) echo "lab.sh: unknown command $cmd" >&2; exit 2 ;;
esac
