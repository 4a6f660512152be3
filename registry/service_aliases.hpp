// SPDX-License-Identifier: GPL-2.0-or-later
// Which detected_service names (what -sV found, the names of NAMES.md) agree with which registered service
// names (IANA's, or a services(5) file's), plain and inside TLS. The `borrowed` label and nothing else reads
// this table: a named service that agrees with none of its port's registered names is borrowed.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/service.hpp"

namespace ghostport::registry {

// How a detected service must run for an alias to apply.
//   any: with or without TLS (a STARTTLS upgrade is "without": the service starts in the clear);
//   tls: only inside implicit TLS (ServiceInfo::tls set, not "STARTTLS ..."): http inside TLS is https.
enum class AliasWrap : std::uint8_t { any, tls };

// Where a registered name comes from: IANA's registry (checked against the real CSV by a test), or only
// Debian's /etc/services (its historic names and aliases: imap2, ssmtp, portmapper, ...).
enum class AliasSource : std::uint8_t { iana, services };

struct ServiceAlias {
    std::string_view detected;    // detected_service (NAMES.md)
    std::string_view registered;  // a registered service name it agrees with
    AliasWrap wrap = AliasWrap::any;
    AliasSource source = AliasSource::iana;
};

// A detected name always agrees with the identical registered name (any case, with or without TLS), so
// the table lists only the other pairs. Names of NAMES.md not listed here agree only with themselves
// (ssh, mysql, postgresql, redis, mongodb, rsync, openvpn, pptp, git, ms-wbt-server, microsoft-ds,
// xmpp-client), or with nothing IANA registers (zookeeper on 2181 "eforward", elasticsearch on 9200
// "wap-wsp", kafka on 9092 "XmlIpcRegSvc", ajp13 on 8009 "nvme-disc", kubernetes, nats): those are
// borrowed wherever they run.
inline constexpr std::array service_aliases{
    // HTTP: IANA's other names for 80, the alternates 591/8008/8080 and the management port 280; inside
    // TLS it is HTTPS (443). Debian calls 8080 also "webcache".
    ServiceAlias{"http", "www"},
    ServiceAlias{"http", "www-http"},
    ServiceAlias{"http", "http-alt"},
    ServiceAlias{"http", "http-mgmt"},
    ServiceAlias{"http", "webcache", AliasWrap::any, AliasSource::services},
    ServiceAlias{"http", "https", AliasWrap::tls},
    // An HTTP proxy: IANA has no proxy name; its alternate HTTP port 8080 is where proxies live (Debian:
    // "webcache").
    ServiceAlias{"http-proxy", "http-alt"},
    ServiceAlias{"http-proxy", "webcache", AliasWrap::any, AliasSource::services},
    // FTP; inside TLS from the first byte, FTPS (990). AUTH TLS on 21 is STARTTLS: plain ftp.
    ServiceAlias{"ftp", "ftps", AliasWrap::tls},
    // SMTP: relay (25) and submission (587); inside TLS, submissions on 465 (RFC 8314), which Debian also
    // calls smtps and ssmtp.
    ServiceAlias{"smtp", "submission"},
    ServiceAlias{"smtp", "submissions", AliasWrap::tls},
    ServiceAlias{"smtp", "smtps", AliasWrap::tls, AliasSource::services},
    ServiceAlias{"smtp", "ssmtp", AliasWrap::tls, AliasSource::services},
    // IMAP (143; Debian's primary name is imap2, older files say imap4); inside TLS, imaps (993).
    ServiceAlias{"imap", "imap2", AliasWrap::any, AliasSource::services},
    ServiceAlias{"imap", "imap4", AliasWrap::any, AliasSource::services},
    ServiceAlias{"imap", "imaps", AliasWrap::tls},
    // POP3 (110; Debian's alias pop-3); inside TLS, pop3s (995).
    ServiceAlias{"pop3", "pop-3", AliasWrap::any, AliasSource::services},
    ServiceAlias{"pop3", "pop3s", AliasWrap::tls},
    // Telnet; inside TLS, telnets (992).
    ServiceAlias{"telnet", "telnets", AliasWrap::tls},
    // DNS; inside TLS, DNS over TLS (853, RFC 7858).
    ServiceAlias{"domain", "domain-s", AliasWrap::tls},
    // LDAP; inside TLS, ldaps (636).
    ServiceAlias{"ldap", "ldaps", AliasWrap::tls},
    // NNTP; inside TLS, nntps (563; Debian's alias snntp).
    ServiceAlias{"nntp", "nntps", AliasWrap::tls},
    ServiceAlias{"nntp", "snntp", AliasWrap::tls, AliasSource::services},
    // IRC: 194, the 6665-6669 range (ircu); inside TLS, ircs-u (6697).
    ServiceAlias{"irc", "ircu"},
    ServiceAlias{"irc", "ircs-u", AliasWrap::tls},
    // MQTT; inside TLS, secure-mqtt (8883).
    ServiceAlias{"mqtt", "secure-mqtt", AliasWrap::tls},
    // AMQP; inside TLS, amqps (5671).
    ServiceAlias{"amqp", "amqps", AliasWrap::tls},
    // Docker's API identified as such; inside TLS, docker-s (2376).
    ServiceAlias{"docker", "docker-s", AliasWrap::tls},
    // RTSP; inside TLS, rtsps (322).  SIP; inside TLS, sips (5061).  IPP; inside TLS, ipps (631).
    ServiceAlias{"rtsp", "rtsps", AliasWrap::tls},
    ServiceAlias{"sip", "sips", AliasWrap::tls},
    ServiceAlias{"ipp", "ipps", AliasWrap::tls},
    // Memcached registered itself as memcache.
    ServiceAlias{"memcached", "memcache"},
    // VNC speaks RFB (RFC 6143), registered as rfb (5900).
    ServiceAlias{"vnc", "rfb"},
    // SOCKS 5 is registered as socks (1080).
    ServiceAlias{"socks5", "socks"},
    // rpcbind is ONC RPC's port mapper: sunrpc (111), Debian's alias portmapper.
    ServiceAlias{"rpcbind", "sunrpc"},
    ServiceAlias{"rpcbind", "portmapper", AliasWrap::any, AliasSource::services},
    // Java RMI's registry (1099).
    ServiceAlias{"java-rmi", "rmiregistry"},
    // etcd identified by its own API: client (2379) and peer (2380) ports.
    ServiceAlias{"etcd", "etcd-client"},
    ServiceAlias{"etcd", "etcd-server"},
    // X11: IANA's x11 covers 6000-6063; Debian names 6000 x11-0 and 6001..6007 x11-1..x11-7.
    ServiceAlias{"x11", "x11-0", AliasWrap::any, AliasSource::services},
    ServiceAlias{"x11", "x11-1", AliasWrap::any, AliasSource::services},
    ServiceAlias{"x11", "x11-2", AliasWrap::any, AliasSource::services},
    ServiceAlias{"x11", "x11-3", AliasWrap::any, AliasSource::services},
    ServiceAlias{"x11", "x11-4", AliasWrap::any, AliasSource::services},
    ServiceAlias{"x11", "x11-5", AliasWrap::any, AliasSource::services},
    ServiceAlias{"x11", "x11-6", AliasWrap::any, AliasSource::services},
    ServiceAlias{"x11", "x11-7", AliasWrap::any, AliasSource::services},
    // UDP (scan -sU, probes/udp_payloads.txt). The services named as IANA names them need no entry (domain,
    // ntp, snmp, ssdp, sip, tftp, netbios-ns, mdns, isakmp, ldap, coap, l2tp, asf-rmcp, xdmcp, ms-sql-m,
    // openvpn, echo, daytime, chargen, ws-discovery, kerberos on 88).
    // IKE behind NAT runs on 4500 (RFC 3948).
    ServiceAlias{"isakmp", "ipsec-nat-t"},
    // Kerberos: MIT's KDC also listens on the old Kerberos IV port 750 (Debian: kerberos4).
    ServiceAlias{"kerberos", "kerberos-iv"},
    ServiceAlias{"kerberos", "kerberos4", AliasWrap::any, AliasSource::services},
    // STUN's port 3478 is also TURN's (RFC 8656) and NAT behaviour discovery's (RFC 5780).
    ServiceAlias{"stun", "turn"},
    ServiceAlias{"stun", "stun-behavior"},
    // QUIC: HTTP/3 on 443 (IANA lists https for UDP too), DNS over QUIC on 853 (RFC 9250).
    ServiceAlias{"quic", "https"},
    ServiceAlias{"quic", "domain-s"},
    // DTLS with nothing recognised inside, on the ports of the DTLS forms: CoAP (5684) and STUN/TURN (5349).
    ServiceAlias{"dtls", "coaps"},
    ServiceAlias{"dtls", "stuns"},
    ServiceAlias{"dtls", "turns"},
    // NAT-PMP's port 5351 is registered for its successor PCP (RFC 6887), which answers NAT-PMP requests.
    ServiceAlias{"nat-pmp", "pcp"},
    // An ONC RPC service that is not the port mapper: NFS on 2049.
    ServiceAlias{"rpc", "nfs"},
    // Protocols carried in HTTP, which identification names "http" when it does not recognise the
    // product's own API: IPP is HTTP POSTs (RFC 8010; CUPS on 631), etcd's client and peer APIs, Docker's
    // API. Listed last, so that a detected "ipps" or "docker-s" reads as ipp or docker inside TLS.
    ServiceAlias{"http", "ipp"},
    ServiceAlias{"http", "ipps", AliasWrap::tls},
    ServiceAlias{"http", "etcd-client"},
    ServiceAlias{"http", "etcd-server"},
    ServiceAlias{"http", "docker"},
    ServiceAlias{"http", "docker-s", AliasWrap::tls},
};

// A detected service as the table reads it: the inner service and whether it ran inside implicit TLS.
struct DetectedService {
    std::string_view name;  // lower case as identification writes it
    bool tls = false;       // implicit TLS (not a STARTTLS upgrade)
};

// The detected service of `info`: "ssl/X" is X inside TLS; a registered TLS name (https, imaps, ...) that
// is a `tls` alias of a detected name is that name inside TLS ("https" is http inside TLS); otherwise the
// name as it is, inside TLS when `tls` is set and does not start with "STARTTLS".
DetectedService detected_service(const core::ServiceInfo& info);

// Whether the detected service agrees with one registered name: the same name (any case), or an alias of
// the table whose wrap fits. "ssl" (TLS with nothing recognised inside) agrees with the registered TLS
// names of the table (https, imaps, ...): a TLS service on a TLS service's port.
bool agrees_with(const DetectedService& detected, std::string_view registered);

}  // namespace ghostport::registry
