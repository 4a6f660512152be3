#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The zoo: real Debian 12 daemons for the `scan -sV` lab tests, each started inside a test's own target
# namespace with its own configuration, logs and pid files in a folder the test owns. Never a system
# service, never in the root namespace. The packages come from `scripts/deps.sh --tests`.
#
#   zoo.sh start NETNS DIR [PORTMAP]  write the configs into DIR, start every daemon in namespace NETNS (one
#                                     `ip netns exec` each, in a session of its own), wait (30 s at most)
#                                     until every TCP port below accepts, then print `ready`. A daemon that
#                                     dies or never opens its port makes start stop everything it started
#                                     and fail with one line naming the daemon and the tail of its log.
#                                     PORTMAP (optional) moves ports: "KEY=PORT,KEY=PORT" with the keys below.
#   zoo.sh stop DIR                   SIGTERM to every process the zoo started (the sessions of the pids in
#                                     DIR/run, and any process carrying GHOSTPORT_ZOO=DIR in its
#                                     environment), up to 5 s for them to go, then SIGKILL. Safe to run
#                                     after a start that failed halfway, and twice.
#   zoo.sh manifest DIR               the truth table, one TSV line a TCP port, no header:
#                                     port, detected_service, product, version, tls ("yes" or ""), cert subject
#                                     Names follow NAMES.md. The version is read at start from the installed
#                                     package and written as the daemon puts it on the wire; it is empty
#                                     where the daemon sends no version before authentication, and
#                                     the product is empty where the wire names none (XMPP's
#                                     stream header, SOCKS5, RFB and SMB2 carry no product).
#
# DIR is made mode 0755 (daemons that drop privileges must reach their files in it). Every daemon binds the
# wildcard addresses (IPv4 and IPv6) so every lab host address serves it. The TLS certificate is made anew
# in DIR/tls by openssl: self-signed, CN=zoo.lab.test, SAN DNS:zoo.lab.test.
#
# Ports (KEY = default port: daemon, service; "borrowed" = a number IANA registers to something else):
#   ftp=21 vsftpd (anonymous, empty)   ssh=22 OpenSSH                    ssh-borrowed=1642 OpenSSH (isis-am)
#   telnet=23 inetutils telnetd        smtp=25 Exim                      domain=53 dnsmasq (TCP, and UDP)
#   http=80 nginx                      http-borrowed=642 nginx (esro-emsdp)
#   https=443 nginx TLS                https-unassigned=4434 nginx TLS (IANA: unassigned)
#   http-alt=8080 Apache httpd         http-alt2=8008 lighttpd (http-alt)
#   pop3=110 pop3s=995 imap=143 imaps=993 Dovecot      ldap=389 ldaps=636 OpenLDAP slapd
#   microsoft-ds=445 Samba smbd        ipp=631 CUPS                      rsync=873 rsyncd
#   socks=1080 Dante                   mqtt=1883 secure-mqtt=8883 Mosquitto
#   etcd=2379 etcd                     squid=3128 Squid (ndl-aas)        mysql=3306 MariaDB
#   rdp=3389 xrdp                      xmpp=5222 Prosody                 postgresql=5432 PostgreSQL (SSL on)
#   vnc=5900 TigerVNC Xvnc             redis=6379 Redis                  redis-dynamic=50379 Redis (dynamic)
#   irc=6667 ngIRCd (ircu)             tinyproxy=8888 Tinyproxy (ddi-tcp-1)
#   node-exporter=9100 Prometheus Node Exporter (hp-pdl-datastr)        memcached=11211 memcached
#   git=9418 git daemon
# MariaDB gets one locked account for every host ('zoo'@'%'): without it, it answers a scanner with "Host
# is not allowed to connect" instead of its greeting. PostgreSQL trusts every login but sends its version only
# after one, so its version column is empty. ZOO_TRACE=1 prints when each port opened and how long stop took;
# ZOO_TIMEOUT=N changes the 30 s readiness limit.
# Not here: vsftpd and ProFTPD conflict as packages (vsftpd only); inn2 does not install on a host without
# a fully qualified name; RabbitMQ (Erlang) and ZooKeeper (Java) are too heavy.
# Proxies (Squid denies every request, Dante blocks every SOCKS request, Tinyproxy) can reach nothing: the
# target namespace has no route out of the lab.
#
# Adding a daemon: add its package to the zoo list in scripts/deps.sh; write a start_NAME function below
# that writes its config under "$dir/NAME", calls `offer KEY DEFAULTPORT NAME SERVICE PRODUCT VERSION TLS`
# for each TCP port (the port is read back with `p KEY`) and runs it in the foreground with
# `launch NAME COMMAND...` (stdout and stderr go to DIR/log/NAME.log); add NAME to the `daemons` list.
# A daemon that has to fork into the background cannot be tracked by its session: keep it in the foreground.
set -euo pipefail

usage() {
    echo "usage: zoo.sh start NETNS DIR [KEY=PORT,...] | stop DIR | manifest DIR" >&2
    exit 2
}

cmd=${1:-}
cn=zoo.lab.test
daemons=(sshd nginx apache2 lighttpd vsftpd exim dovecot dnsmasq mariadb postgresql redis redis-dynamic
         memcached slapd mosquitto rsyncd ngircd prosody telnetd dante tinyproxy squid cups node-exporter
         xvnc xrdp smbd etcd gitd)

# The upstream version of an installed package ("1:9.2p1-2+deb12u10" -> "9.2p1"); empty when not installed.
deb_version() {
    local v
    v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) || return 0
    v=${v#*:}
    v=${v%%-*}
    v=${v%%+*}
    v=${v%%~*}
    printf '%s' "$v"
}

# The port of KEY: its PORTMAP value, else the default given to offer.
p() { printf '%s' "${port[$1]}"; }

# offer KEY DEFAULT DAEMON SERVICE PRODUCT VERSION TLS: registers one TCP port for the readiness wait and
# the manifest.
offer() {
    local key=$1 default=$2 daemon=$3 service=$4 product=$5 version=$6 tls=$7
    port[$key]=${portmap[$key]:-$default}
    local subject=""
    [[ $tls == yes ]] && subject="CN=$cn"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${port[$key]}" "$service" "$product" "$version" "$tls" "$subject" \
        >>"$dir/manifest.tsv"
    printf '%s %s\n' "${port[$key]}" "$daemon" >>"$dir/ports"
}

# launch NAME COMMAND...: runs COMMAND in the namespace, in a new session (its pid is the session id stop
# looks for), marked with GHOSTPORT_ZOO=DIR, output to DIR/log/NAME.log, pid to DIR/run/NAME.pid.
launch() {
    local name=$1
    shift
    setsid ip netns exec "$ns" env GHOSTPORT_ZOO="$dir" "$@" >>"$dir/log/$name.log" 2>&1 </dev/null &
    echo $! >"$dir/run/$name.pid"
}

# mkd OWNER PATH...: folders owned by OWNER (user, or user:group), mode 0755.
mkd() {
    local owner=$1
    shift
    install -d -m 0755 -o "${owner%%:*}" -g "$(id -gn "${owner%%:*}")" "$@"
}

as_user() {
    local user=$1
    shift
    setpriv --reuid "$user" --regid "$(id -g "$user")" --init-groups "$@"
}

start_sshd() {
    local d=$dir/sshd
    mkd root "$d"
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_ed25519_key"
    offer ssh 22 sshd ssh OpenSSH "$(deb_version openssh-server)" ""
    offer ssh-borrowed 1642 sshd ssh OpenSSH "$(deb_version openssh-server)" ""
    cat >"$d/sshd_config" <<EOF
Port $(p ssh)
Port $(p ssh-borrowed)
ListenAddress 0.0.0.0
ListenAddress ::
HostKey $d/host_ed25519_key
PidFile none
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
StrictModes no
# One daemon plays every lab host, and every scan comes from one address: the per-client limits that a real
# host would apply to one scanner are lifted so that 16 "hosts" do not share one host's budget.
MaxStartups 1000
EOF
    [[ -d /run/sshd ]] || install -d -m 0755 /run/sshd  # its privilege-separation folder
    launch sshd /usr/sbin/sshd -D -e -f "$d/sshd_config"
}

start_nginx() {
    local d=$dir/nginx v
    v=$(deb_version nginx-common)
    mkd root "$d"
    offer http 80 nginx http nginx "$v" ""
    offer http-borrowed 642 nginx http nginx "$v" ""
    offer https 443 nginx http nginx "$v" yes
    offer https-unassigned 4434 nginx http nginx "$v" yes
    cat >"$d/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $d/nginx.pid;
error_log $dir/log/nginx.log;
events { worker_connections 64; }
http {
    access_log off;
    default_type text/plain;
    server {
        listen $(p http); listen [::]:$(p http);
        listen $(p http-borrowed); listen [::]:$(p http-borrowed);
        location / { return 200 "zoo nginx\n"; }
    }
    server {
        listen $(p https) ssl; listen [::]:$(p https) ssl;
        listen $(p https-unassigned) ssl; listen [::]:$(p https-unassigned) ssl;
        server_name $cn;
        ssl_certificate $dir/tls/cert.pem;
        ssl_certificate_key $dir/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { return 200 "zoo nginx tls\n"; }
    }
}
EOF
    launch nginx /usr/sbin/nginx -p "$d/" -e "$dir/log/nginx.log" -c "$d/nginx.conf"
}

start_apache2() {
    local d=$dir/apache2 m=/usr/lib/apache2/modules
    mkd root "$d" "$d/www"
    echo "zoo apache" >"$d/www/index.html"
    offer http-alt 8080 apache2 http "Apache httpd" "$(deb_version apache2-bin)" ""
    cat >"$d/apache2.conf" <<EOF
ServerRoot $d
ServerName $cn
Listen $(p http-alt)
PidFile $d/apache2.pid
DefaultRuntimeDir $d
ErrorLog $dir/log/apache2.log
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule mime_module $m/mod_mime.so
LoadModule dir_module $m/mod_dir.so
TypesConfig /etc/mime.types
User www-data
Group www-data
DocumentRoot $d/www
DirectoryIndex index.html
<Directory $d/www>
    Require all granted
</Directory>
EOF
    launch apache2 /usr/sbin/apache2 -f "$d/apache2.conf" -DFOREGROUND
}

start_lighttpd() {
    local d=$dir/lighttpd
    mkd root "$d" "$d/www"
    echo "zoo lighttpd" >"$d/www/index.html"
    offer http-alt2 8008 lighttpd http lighttpd "$(deb_version lighttpd)" ""
    cat >"$d/lighttpd.conf" <<EOF
server.document-root = "$d/www"
server.port = $(p http-alt2)
server.bind = "0.0.0.0"
\$SERVER["socket"] == "[::]:$(p http-alt2)" { }
server.username = "www-data"
server.groupname = "www-data"
index-file.names = ( "index.html" )
EOF
    launch lighttpd /usr/sbin/lighttpd -D -f "$d/lighttpd.conf"
}

start_vsftpd() {
    local d=$dir/vsftpd
    mkd root "$d" "$d/empty"
    offer ftp 21 vsftpd ftp vsftpd "$(deb_version vsftpd)" ""
    cat >"$d/vsftpd.conf" <<EOF
listen=NO
listen_ipv6=YES
listen_port=$(p ftp)
background=NO
anonymous_enable=YES
anon_root=$d/empty
no_anon_password=YES
local_enable=NO
write_enable=NO
secure_chroot_dir=$d/empty
nopriv_user=nobody
xferlog_enable=NO
vsftpd_log_file=$dir/log/vsftpd.xfer.log
seccomp_sandbox=NO
EOF
    launch vsftpd /usr/sbin/vsftpd "$d/vsftpd.conf"
}

start_exim() {
    local d=$dir/exim
    mkd root "$d"
    mkd Debian-exim "$d/spool" "$d/log"
    offer smtp 25 exim smtp "Exim smtpd" "$(deb_version exim4-daemon-light)" ""
    cat >"$d/exim.conf" <<EOF
primary_hostname = $cn
daemon_smtp_ports = $(p smtp)
spool_directory = $d/spool
log_file_path = $d/log/%slog
pid_file_path = $d/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = refuse
begin acl
refuse:
  deny
begin routers
begin transports
EOF
    launch exim /usr/sbin/exim4 -C "$d/exim.conf" -bdf
}

start_dovecot() {
    local d=$dir/dovecot
    mkd root "$d" "$d/run" "$d/state"
    : >"$d/passwd"
    offer pop3 110 dovecot pop3 "Dovecot pop3d" "" ""
    offer imap 143 dovecot imap "Dovecot imapd" "" ""
    offer imaps 993 dovecot imap "Dovecot imapd" "" yes
    offer pop3s 995 dovecot pop3 "Dovecot pop3d" "" yes
    cat >"$d/dovecot.conf" <<EOF
base_dir = $d/run
state_dir = $d/state
instance_name = gpzoo
protocols = imap pop3
listen = *, ::
log_path = $dir/log/dovecot.log
ssl = yes
ssl_cert = <$dir/tls/cert.pem
ssl_key = <$dir/tls/key.pem
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:~/Maildir
# One daemon plays every lab host (see sshd's MaxStartups): room for many logins at once, each on its own
# process, and no per-address connection cap.
default_process_limit = 1000
default_client_limit = 4000
mail_max_userip_connections = 1000
passdb {
  driver = passwd-file
  args = $d/passwd
}
userdb {
  driver = passwd-file
  args = $d/passwd
}
# Logins served by long-lived processes (Dovecot's "high-performance mode"): with one process per
# connection, a hundred scans at once from every lab host make a new TLS login wait seconds.
service imap-login {
  service_count = 0
  process_min_avail = 2
  client_limit = 1000
  inet_listener imap {
    port = $(p imap)
  }
  inet_listener imaps {
    port = $(p imaps)
    ssl = yes
  }
}
service pop3-login {
  service_count = 0
  process_min_avail = 2
  client_limit = 1000
  inet_listener pop3 {
    port = $(p pop3)
  }
  inet_listener pop3s {
    port = $(p pop3s)
    ssl = yes
  }
}
service auth {
  unix_listener auth-userdb {
    mode = 0600
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
EOF
    launch dovecot /usr/sbin/dovecot -F -c "$d/dovecot.conf"
}

start_dnsmasq() {
    local d=$dir/dnsmasq
    mkd root "$d"
    offer domain 53 dnsmasq domain dnsmasq "$(deb_version dnsmasq-base)" ""
    cat >"$d/dnsmasq.conf" <<EOF
port=$(p domain)
no-resolv
no-hosts
no-poll
user=nobody
group=nogroup
pid-file=
log-facility=-
address=/$cn/198.18.0.10
EOF
    launch dnsmasq /usr/sbin/dnsmasq -k --conf-file="$d/dnsmasq.conf"
}

start_mariadb() {
    local d=$dir/mariadb
    mkd mysql "$d"
    offer mysql 3306 mariadb mysql MariaDB "$(deb_version mariadb-server)" ""
    # MariaDB answers a host that no account names with an error instead of its greeting: one locked
    # account for every host, so the lab's scanner gets the greeting (and its version) and cannot log in.
    echo "CREATE USER IF NOT EXISTS 'zoo'@'%' ACCOUNT LOCK;" >"$d/init.sql"
    # mariadb-install-db runs inside the launched session, so stop reaches it while it works.
    launch mariadb bash -c '
        mariadb-install-db --no-defaults --datadir="$1/data" --user=mysql --auth-root-authentication-method=socket \
            --skip-test-db >"$1/install.log" 2>&1 || { cat "$1/install.log"; exit 1; }
        exec mariadbd --no-defaults --datadir="$1/data" --user=mysql --port="$2" --socket="$1/mysqld.sock" \
            --pid-file="$1/mysqld.pid" --skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=8M \
            --key-buffer-size=1M --performance-schema=OFF --init-file="$1/init.sql" --log-error=' _ "$d" "$(p mysql)"
}

start_postgresql() {
    local d=$dir/postgresql bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    mkd postgres "$d"
    install -m 0600 -o postgres -g postgres "$dir/tls/cert.pem" "$dir/tls/key.pem" "$d/"
    offer postgresql 5432 postgresql postgresql PostgreSQL "" ""
    launch postgresql setpriv --reuid postgres --regid postgres --init-groups bash -c '
        "$2/initdb" -D "$1/data" -U postgres --auth=trust -N -E UTF8 --locale=C >"$1/initdb.log" 2>&1 \
            || { cat "$1/initdb.log"; exit 1; }
        exec "$2/postgres" -D "$1/data" -c listen_addresses="*" -c port="$3" -c unix_socket_directories="$1" \
            -c ssl=on -c ssl_cert_file="$1/cert.pem" -c ssl_key_file="$1/key.pem" -c shared_buffers=8MB \
            -c max_connections=20' _ "$d" "$bin" "$(p postgresql)"
}

start_redis() {
    local key=$1 default=$2 name=$3 d=$dir/$3
    mkd root "$d"
    offer "$key" "$default" "$name" redis "Redis key-value store" "$(deb_version redis-server)" ""
    launch "$name" /usr/bin/redis-server --port "$(p "$key")" --bind '* -::*' --protected-mode no \
        --daemonize no --save '' --appendonly no --dir "$d" --logfile '' --databases 1
}

start_memcached() {
    offer memcached 11211 memcached memcached Memcached "$(deb_version memcached)" ""
    launch memcached /usr/bin/memcached -u memcache -p "$(p memcached)" -U 0 -m 16
}

start_slapd() {
    local d=$dir/slapd
    mkd root "$d" "$d/db"
    offer ldap 389 slapd ldap "OpenLDAP slapd" "" ""
    offer ldaps 636 slapd ldap "OpenLDAP slapd" "" yes
    cat >"$d/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
pidfile $d/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCertificateFile $dir/tls/cert.pem
TLSCertificateKeyFile $dir/tls/key.pem
database mdb
suffix "dc=lab,dc=test"
rootdn "cn=admin,dc=lab,dc=test"
directory $d/db
maxsize 10485760
EOF
    launch slapd /usr/sbin/slapd -d 0 -f "$d/slapd.conf" -h "ldap://:$(p ldap)/ ldaps://:$(p ldaps)/"
}

start_mosquitto() {
    local d=$dir/mosquitto
    mkd root "$d"
    offer mqtt 1883 mosquitto mqtt Mosquitto "" ""
    offer secure-mqtt 8883 mosquitto mqtt Mosquitto "" yes
    cat >"$d/mosquitto.conf" <<EOF
user root
persistence false
log_dest stderr
allow_anonymous true
listener $(p mqtt)
listener $(p secure-mqtt)
certfile $dir/tls/cert.pem
keyfile $dir/tls/key.pem
EOF
    launch mosquitto /usr/sbin/mosquitto -c "$d/mosquitto.conf"
}

start_rsyncd() {
    local d=$dir/rsyncd
    mkd root "$d" "$d/share"
    offer rsync 873 rsyncd rsync rsyncd "" ""
    cat >"$d/rsyncd.conf" <<EOF
use chroot = no
log file = $dir/log/rsyncd.log
[zoo]
    path = $d/share
    read only = yes
EOF
    launch rsyncd /usr/bin/rsync --daemon --no-detach --port="$(p rsync)" --config="$d/rsyncd.conf"
}

start_gitd() {
    local d=$dir/gitd
    mkd root "$d"
    offer git 9418 gitd git "git daemon" "" ""
    # --informative-errors: without it git daemon closes on an unknown repository without a word.
    launch gitd /usr/bin/git daemon --reuseaddr --port="$(p git)" --base-path="$d" --export-all \
        --informative-errors "$d"
}

start_ngircd() {
    local d=$dir/ngircd v
    v=$(deb_version ngircd)
    mkd root "$d"
    offer irc 6667 ngircd irc ngircd "$v" ""
    cat >"$d/ngircd.conf" <<EOF
[Global]
Name = irc.$cn
Info = ghostport zoo
Ports = $(p irc)
Listen = ::,0.0.0.0
PidFile = $d/ngircd.pid
ServerUID = nobody
ServerGID = nogroup
[Limits]
# One daemon plays every lab host: no cap on connections from the one scanner address.
MaxConnectionsIP = 0
MaxConnections = 0
[Options]
PAM = no
DNS = no
Ident = no
EOF
    launch ngircd /usr/sbin/ngircd -n -f "$d/ngircd.conf"
}

start_prosody() {
    local d=$dir/prosody
    mkd root "$d" "$d/data"
    offer xmpp 5222 prosody xmpp-client "" "" ""
    cat >"$d/prosody.cfg.lua" <<EOF
run_as_root = true
daemonize = false
pidfile = "$d/prosody.pid"
data_path = "$d/data"
log = { { levels = { min = "info" }, to = "console" } }
interfaces = { "*", "::" }
c2s_ports = { $(p xmpp) }
c2s_direct_tls_ports = { }
modules_disabled = { "s2s" }
s2s_ports = { }
certificates = "$d/certs"
ssl = { certificate = "$dir/tls/cert.pem", key = "$dir/tls/key.pem" }
VirtualHost "$cn"
EOF
    launch prosody /usr/bin/prosody --config "$d/prosody.cfg.lua"
}

start_telnetd() {
    local d=$dir/telnetd
    mkd root "$d"
    offer telnet 23 telnetd telnet "" "" ""
    # inetd with one service, on IPv4 and IPv6: GNU inetutils telnetd behind it.
    cat >"$d/inetd.conf" <<EOF
$(p telnet) stream tcp nowait root /usr/sbin/telnetd telnetd
$(p telnet) stream tcp6 nowait root /usr/sbin/telnetd telnetd
EOF
    launch telnetd /usr/sbin/inetutils-inetd -d --pidfile="$d/inetd.pid" "$d/inetd.conf"
}

start_dante() {
    local d=$dir/dante
    mkd root "$d"
    offer socks 1080 dante socks5 "" "" ""
    cat >"$d/danted.conf" <<EOF
logoutput: stderr
internal: 0.0.0.0 port = $(p socks)
internal: :: port = $(p socks)
external: lo
socksmethod: none
clientmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 0/0 to: 0/0 }
socks block { from: 0/0 to: 0/0 }
EOF
    launch dante /usr/sbin/danted -f "$d/danted.conf" -p "$d/danted.pid"
}

start_tinyproxy() {
    local d=$dir/tinyproxy
    mkd root "$d"
    offer tinyproxy 8888 tinyproxy http-proxy Tinyproxy "$(deb_version tinyproxy)" ""
    cat >"$d/tinyproxy.conf" <<EOF
User nobody
Group nogroup
Port $(p tinyproxy)
Timeout 30
MaxClients 20
LogLevel Info
EOF
    launch tinyproxy /usr/bin/tinyproxy -d -c "$d/tinyproxy.conf"
}

start_squid() {
    local d=$dir/squid
    mkd proxy "$d"
    offer squid 3128 squid http-proxy "Squid http proxy" "$(deb_version squid)" ""
    cat >"$d/squid.conf" <<EOF
http_port $(p squid)
http_access deny all
visible_hostname $cn
cache_effective_user proxy
cache deny all
cache_mem 8 MB
access_log none
cache_store_log none
cache_log stdio:$d/cache.log
pid_filename $d/squid.pid
coredump_dir $d
netdb_filename none
logfile_rotate 0
shutdown_lifetime 1 seconds
EOF
    launch squid /usr/sbin/squid -N -f "$d/squid.conf"
}

start_cups() {
    local d=$dir/cups v
    v=$(deb_version cups-daemon)
    mkd root "$d" "$d/cache" "$d/state" "$d/spool" "$d/tmp" "$d/ppd"
    offer ipp 631 cups ipp CUPS "${v%.*}" ""
    cat >"$d/cupsd.conf" <<EOF
Port $(p ipp)
LogLevel warn
ServerName $cn
Browsing No
WebInterface Yes
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
EOF
    cat >"$d/cups-files.conf" <<EOF
ServerRoot $d
CacheDir $d/cache
StateDir $d/state
RequestRoot $d/spool
TempDir $d/tmp
ErrorLog stderr
AccessLog stderr
PageLog stderr
FileDevice No
SystemGroup root
EOF
    launch cups /usr/sbin/cupsd -f -c "$d/cupsd.conf" -s "$d/cups-files.conf"
}

start_node_exporter() {
    offer node-exporter 9100 node-exporter http "Prometheus Node Exporter" "" ""
    launch node-exporter /usr/bin/prometheus-node-exporter --web.listen-address=":$(p node-exporter)" \
        --collector.disable-defaults --collector.loadavg
}

start_xvnc() {
    local d=$dir/xvnc n
    mkd root "$d"
    offer vnc 5900 xvnc vnc "" "" ""
    # X display numbers share /tmp/.X*-lock with every other X server on the machine: take a free one.
    for ((n = 100 + $$ % 400; n < 600; n++)); do
        [[ -e /tmp/.X$n-lock ]] || break
    done
    launch xvnc /usr/bin/Xvnc ":$n" -rfbport "$(p vnc)" -SecurityTypes None -geometry 320x240 -depth 24 \
        -nolisten tcp -nolisten unix -desktop zoo
}

start_xrdp() {
    local d=$dir/xrdp
    mkd root "$d"
    offer rdp 3389 xrdp ms-wbt-server xrdp "" ""
    cat >"$d/xrdp.ini" <<EOF
[Globals]
ini_version=1
fork=true
port=$(p rdp)
security_layer=negotiate
crypt_level=high
certificate=$dir/tls/cert.pem
key_file=$dir/tls/key.pem
ssl_protocols=TLSv1.2, TLSv1.3
[Logging]
LogFile=$d/xrdp.log
LogLevel=INFO
EnableSyslog=false
[Xorg]
name=Xorg
lib=libxup.so
username=ask
password=ask
ip=127.0.0.1
port=-1
code=20
EOF
    # xrdp keeps its pid file at a fixed /run/xrdp/xrdp.pid: give it a private /run/xrdp (ip netns exec
    # runs each command in a mount namespace of its own), so zoos in parallel do not see each other's.
    [[ -d /run/xrdp ]] || install -d -m 0755 /run/xrdp
    launch xrdp bash -c 'mount -t tmpfs -o mode=0755 gpzoo /run/xrdp && exec /usr/sbin/xrdp --nodaemon --config "$1"' \
        _ "$d/xrdp.ini"
}

start_smbd() {
    local d=$dir/samba
    mkd root "$d" "$d/lock" "$d/state" "$d/cache" "$d/run" "$d/ncalrpc" "$d/binddns"
    install -d -m 0700 "$d/private"
    offer microsoft-ds 445 smbd microsoft-ds "" "" ""
    cat >"$d/smb.conf" <<EOF
[global]
netbios name = ZOO
workgroup = LAB
server role = standalone server
smb ports = $(p microsoft-ds)
disable netbios = yes
lock directory = $d/lock
state directory = $d/state
cache directory = $d/cache
private dir = $d/private
pid directory = $d/run
ncalrpc dir = $d/ncalrpc
binddns dir = $d/binddns
log file = $dir/log/smbd.log
load printers = no
printing = bsd
printcap name = /dev/null
disable spoolss = yes
map to guest = bad user
EOF
    launch smbd /usr/sbin/smbd -F --no-process-group -s "$d/smb.conf"
}

start_etcd() {
    local d=$dir/etcd
    mkd root "$d"
    offer etcd 2379 etcd etcd etcd "$(deb_version etcd-server)" ""
    launch etcd /usr/bin/etcd --name zoo --data-dir "$d/data" --listen-client-urls "http://[::]:$(p etcd)" \
        --advertise-client-urls "http://198.18.0.10:$(p etcd)" --listen-peer-urls http://127.0.0.1:2380 \
        --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster zoo=http://127.0.0.1:2380 \
        --log-outputs stderr
}

# The pids of every process the zoo in DIR started: the sessions of the pids in DIR/run, and processes
# whose environment carries GHOSTPORT_ZOO=DIR.
zoo_pids() {
    local -A sessions=()
    local f pid stat rest sid joined
    local -a env fields
    for f in "$dir"/run/*.pid; do
        [[ -f $f ]] && read -r pid <"$f" && [[ $pid =~ ^[0-9]+$ ]] && sessions[$pid]=1
    done
    # Builtins only: this runs over every process, many times during a stop.
    for f in /proc/[0-9]*; do
        pid=${f#/proc/}
        ((pid == $$ || pid == BASHPID)) && continue
        { read -r stat <"$f/stat"; } 2>/dev/null || continue
        rest=${stat##*) }  # the fields from the state on: state ppid pgrp session ... (letters and numbers)
        fields=($rest)
        sid=${fields[3]}
        if [[ -n ${sessions[$sid]:-} || -n ${sessions[$pid]:-} ]]; then
            echo "$pid"
            continue
        fi
        env=()
        { mapfile -t -d '' env <"$f/environ"; } 2>/dev/null || continue
        printf -v joined '\n%s' "${env[@]}" ''
        [[ $joined == *$'\n'"GHOSTPORT_ZOO=$dir"$'\n'* ]] && echo "$pid"
    done
}

stop() {
    [[ -d $dir/run ]] || return 0
    local pids i
    pids=$(zoo_pids)
    [[ -n $pids ]] && kill -TERM $pids 2>/dev/null
    for ((i = 0; i < 50; i++)); do
        pids=$(zoo_pids)
        [[ -z $pids ]] && break
        sleep 0.1
    done
    [[ -n ${ZOO_TRACE:-} ]] && echo "zoo.sh: SIGTERM took $i rounds of 0.1 s" >&2
    if [[ -n ${ZOO_TRACE:-} && -n $pids ]]; then
        echo "zoo.sh: still there 5 s after SIGTERM:" $(ps -o comm= -p "${pids//$'\n'/,}") >&2
    fi
    for ((i = 0; i < 20 && ${#pids} > 0; i++)); do
        kill -KILL $pids 2>/dev/null
        sleep 0.1
        pids=$(zoo_pids)
    done
    if [[ -n $pids ]]; then
        echo "zoo.sh: processes left behind: $pids" >&2
        return 1
    fi
    return 0
}

# fail DAEMON WHY: stops everything and exits with one line naming DAEMON and the tail of its log.
fail() {
    local tail=""
    [[ -f $dir/log/$1.log ]] && tail=$(tail -n 4 "$dir/log/$1.log" | tr '\n' '|' | tr -s ' ')
    stop || true
    echo "zoo.sh: $1 $2: ${tail%|}" >&2
    exit 1
}

start() {
    local spec kv
    declare -gA port=() portmap=()
    if [[ -n $spec_arg ]]; then
        IFS=, read -ra spec <<<"$spec_arg"
        for kv in "${spec[@]}"; do
            [[ $kv =~ ^[a-z0-9-]+=[0-9]+$ ]] || { echo "zoo.sh: bad PORTMAP entry $kv" >&2; exit 2; }
            portmap[${kv%%=*}]=${kv#*=}
        done
    fi
    ip netns exec "$ns" true || { echo "zoo.sh: no namespace $ns" >&2; exit 1; }
    mkdir -p "$dir"
    chmod 0755 "$dir"
    rm -rf "$dir/run" "$dir/log" "$dir/tls"
    rm -f "$dir/manifest.tsv" "$dir/ports"
    install -d -m 0755 "$dir/run" "$dir/log" "$dir/tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=$cn" \
        -addext "subjectAltName=DNS:$cn" -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" 2>/dev/null
    chmod 0644 "$dir/tls/key.pem"  # a throwaway key; daemons that drop privileges read it
    trap 'stop || true' INT TERM
    local name
    for name in "${daemons[@]}"; do
        case $name in
            redis) start_redis redis 6379 redis ;;
            redis-dynamic) start_redis redis-dynamic 50379 redis-dynamic ;;
            node-exporter) start_node_exporter ;;
            *) "start_$name" ;;
        esac
    done
    # Wait until every port accepts; one `ip netns exec` a round checks all the ports still closed.
    local -a pending
    mapfile -t pending < <(awk '{print $1}' "$dir/ports")
    local deadline=$((SECONDS + ${ZOO_TIMEOUT:-30})) open f pid started=$SECONDS
    while ((${#pending[@]} > 0)); do
        open=$(ip netns exec "$ns" bash -c '
            for p in "$@"; do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && echo "$p"; done; true' _ "${pending[@]}")
        local -a still=()
        for pp in "${pending[@]}"; do
            if grep -qx "$pp" <<<"$open"; then
                [[ -n ${ZOO_TRACE:-} ]] && echo "zoo.sh: port $pp open after $((SECONDS - started)) s" >&2
            else
                still+=("$pp")
            fi
        done
        pending=("${still[@]+"${still[@]}"}")
        ((${#pending[@]} == 0)) && break
        for f in "$dir"/run/*.pid; do
            pid=$(<"$f")
            kill -0 "$pid" 2>/dev/null || fail "$(basename "$f" .pid)" "exited"
        done
        if ((SECONDS >= deadline)); then
            fail "$(awk -v p="${pending[0]}" '$1 == p {print $2; exit}' "$dir/ports")" \
                "did not open port ${pending[0]} in ${ZOO_TIMEOUT:-30} s"
        fi
        sleep 0.2
    done
    trap - INT TERM
    echo ready
}

case $cmd in
    start)
        ns=${2:-} dir=${3:-} spec_arg=${4:-}
        [[ -n $ns && -n $dir ]] || usage
        dir=$(realpath -m "$dir")
        start
        ;;
    stop)
        dir=${2:-}
        [[ -n $dir ]] || usage
        dir=$(realpath -m "$dir")
        stop
        ;;
    manifest)
        dir=${2:-}
        [[ -n $dir && -f $dir/manifest.tsv ]] || { echo "zoo.sh: no zoo started in ${dir:-?}" >&2; exit 1; }
        sort -n "$dir/manifest.tsv"
        ;;
    *) usage ;;
esac
