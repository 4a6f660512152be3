#!/usr/bin/env bash
# Installs what ghostport needs on Debian 12, as root, with no prompts. Idempotent: does nothing when all is there.
#   build:    cmake, ninja, g++, Boost (Asio), libpcap, CLI11, fmt, libcurl, nlohmann-json, GoogleTest
#   run time: nmap-common (observed open-frequency, for rarity), ipv6toolkit (an IANA registry snapshot)
#   tests:    iproute2 and nftables (the namespace lab); bench: nmap (the peer it is measured against)
#   --tests adds what only the test suite needs: ndiff (reads the XML reports), chromium (renders the HTML),
#           and libcap2-bin (setcap: the file-capabilities test)
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libboost-dev libpcap-dev libcli11-dev libfmt-dev libcurl4-openssl-dev
          nlohmann-json3-dev googletest libgtest-dev nmap-common ipv6toolkit iproute2 nftables nmap bc
          ca-certificates)
if [[ "${1:-}" == "--tests" ]]; then
    packages+=(ndiff chromium libcap2-bin)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
if ((EUID != 0)); then
    echo "deps.sh: installing ${missing[*]} needs root (run it with sudo)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
