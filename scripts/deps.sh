#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what ghostport needs on Debian 12, as root, with no prompts. Idempotent: does nothing when all is there.
#   build:    cmake, ninja, g++, Boost (Asio), libpcap, CLI11, fmt, libcurl, nlohmann-json, GoogleTest, PCRE2
#             (matching service answers, -sV) and OpenSSL (TLS handshakes and certificates, SSH key exchange)
#   run time: nmap-common (observed open-frequency, for rarity), ipv6toolkit (an IANA registry snapshot)
#   tests:    iproute2 and nftables (the namespace lab); bench: nmap (the peer it is measured against), GNU
#             time (peak memory) and python3 (bench/identify.sh reads both tools' reports)
#   --tests adds what only the test suite needs: ndiff and python3-libnmap (read the XML reports), chromium
#           (renders the HTML), libcap2-bin (setcap: the file-capabilities test), and the daemons of the -sV zoo (tests/lab/zoo.sh),
#           which only ever run inside a test's namespace: the install must not start them as system services,
#           so a policy-rc.d that refuses every start (exit 101) stands while apt-get runs, and debconf is
#           preseeded where a package would ask. vsftpd and proftpd conflict (ftp-server): vsftpd only.
#           Left out: rabbitmq-server (Erlang) and zookeeperd (Java) as too heavy; inn2, whose
#           post-install fails on a machine without a fully qualified host name.
#           The UDP daemons of the payload lab (tests/probes/udp_lab_test.cpp) come with it, on the same terms:
#           each runs only inside that test's namespace with a configuration of the test's own.
#           And what --package needs, since the suite builds and installs the package (tests/integration/package_test.cpp).
#   --package: debhelper, dpkg-dev and lintian (scripts/package.sh), libcap2-bin and adduser (its postinst),
#             systemd (systemd-analyze: the package test checks the audit unit's exposure)
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libboost-dev libpcap-dev libcli11-dev libfmt-dev libcurl4-openssl-dev
          nlohmann-json3-dev googletest libgtest-dev libpcre2-dev libssl-dev nmap-common ipv6toolkit iproute2
          nftables nmap bc time python3 ca-certificates)
if [[ "${1:-}" == "--tests" || "${1:-}" == "--package" ]]; then
    packages+=(debhelper dpkg-dev lintian libcap2-bin adduser systemd)
fi
if [[ "${1:-}" == "--tests" ]]; then
    packages+=(ndiff python3-libnmap chromium libcap2-bin)
    zoo=(openssh-server nginx apache2-bin lighttpd vsftpd exim4-daemon-light dovecot-imapd dovecot-pop3d
         dnsmasq-base mariadb-server postgresql redis-server memcached slapd mosquitto rsync ngircd prosody
         inetutils-inetd inetutils-telnetd dante-server tinyproxy cups-daemon prometheus-node-exporter
         tigervnc-standalone-server samba etcd-server xrdp squid git netcat-openbsd openssl curl)
    packages+=("${zoo[@]}")
    udp=(chrony snmpd rpcbind tftpd-hpa coturn avahi-daemon minissdpd openvpn krb5-kdc unbound bind9
         strongswan-charon kamailio ngtcp2-server libcoap3-bin)
    packages+=("${udp[@]}")
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
# No package may start its daemon on this machine: invoke-rc.d asks policy-rc.d, and 101 means "not allowed".
# An existing policy-rc.d (a container's own) is left as it is; ours is removed however the install ends.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# ghostport deps.sh: no service starts during the install\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi
# Answers for the packages that would ask: slapd without a database of its own (the zoo writes its own),
# exim4 for local delivery only.
debconf-set-selections <<'DEBCONF'
slapd slapd/no_configuration boolean true
exim4-config exim4/dc_eximconfig_configtype select local delivery only; not on a network
krb5-config krb5-config/default_realm string GHOSTPORT.TEST
krb5-config krb5-config/add_servers_realm string GHOSTPORT.TEST
krb5-config krb5-config/add_servers boolean false
krb5-config krb5-config/read_conf boolean true
minissdpd minissdpd/start_daemon boolean false
minissdpd minissdpd/listen string lo
DEBCONF
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
