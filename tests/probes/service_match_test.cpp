// SPDX-License-Identifier: GPL-2.0-or-later
// Matcher: the real tcp_services.txt against answers written from each protocol's specification or the
// daemon's documented banner format (each case names its source), templates, limits, hostile answers.
#include "probes/service_match.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/errors.hpp"

namespace ghostport::probes {
namespace {

using namespace std::string_literals;

const ServiceDefs& real_defs() {
    static const ServiceDefs defs = ServiceDefs::load(GHOSTPORT_SOURCE_DIR "/probes/tcp_services.txt");
    return defs;
}

const Matcher& real_matcher() {
    static const Matcher matcher(real_defs());
    return matcher;
}

std::size_t probe_index(const char* name) {
    const int i = real_defs().find(name);
    EXPECT_GE(i, 0) << name;
    return static_cast<std::size_t>(i < 0 ? 0 : i);
}

struct Case {
    const char* source;  // where the answer's format comes from
    const char* probe;
    std::string answer;
    const char* service;
    const char* product;
    const char* version;
    const char* info = nullptr;  // checked when given
    bool soft = false;
};

// An HTTP/1.1 response with `headers` (CRLF-terminated lines) and `body`.
std::string http(const std::string& status, const std::string& headers, const std::string& body = "") {
    return "HTTP/1.1 " + status + "\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n" + headers + "\r\n" + body;
}

const Case cases[] = {
    {"RFC 4253 4.2 identification string", "greeting", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "ssh",
     "OpenSSH", "9.2p1", "protocol 2.0"},
    {"RFC 4253 4.2; Dropbear's identification", "greeting", "SSH-2.0-dropbear_2022.83\r\n", "ssh",
     "Dropbear sshd", "2022.83", "protocol 2.0"},
    {"RFC 4253 4.2, unknown software", "greeting", "SSH-2.0-Go\r\n", "ssh", "", "", "protocol 2.0"},
    {"vsftpd.conf(5) ftpd_banner default", "greeting", "220 (vsFTPd 3.0.3)\r\n", "ftp", "vsftpd", "3.0.3"},
    {"ProFTPD ServerIdent docs", "greeting", "220 ProFTPD 1.3.8 Server (Debian) [::ffff:127.0.0.1]\r\n",
     "ftp", "ProFTPD", "1.3.8", "Debian"},
    {"ProFTPD ServerIdent docs (version hidden)", "greeting",
     "220 ProFTPD Server (Debian) [::ffff:127.0.0.1]\r\n", "ftp", "ProFTPD", "", "Debian"},
    {"Pure-FTPd welcome banner", "greeting",
     "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n220-You are user number 1 of 50 "
     "allowed.\r\n",
     "ftp", "Pure-FTPd", ""},
    {"Exim smtp_banner default ($smtp_active_hostname ESMTP Exim $version_number $tod_full)", "greeting",
     "220 mail.example.org ESMTP Exim 4.96 Mon, 01 Jan 2024 00:00:00 +0000\r\n", "smtp", "Exim smtpd",
     "4.96"},
    {"Postfix smtpd_banner default ($myhostname ESMTP $mail_name ($mail_version)), Debian's", "greeting",
     "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n", "smtp", "Postfix smtpd", "", "Debian/GNU"},
    {"RFC 5321 4.2 greeting", "greeting", "220 mx.example.org ESMTP ready\r\n", "smtp", "", ""},
    {"Dovecot login_greeting with capabilities (RFC 9051 7.1.1)", "greeting",
     "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] "
     "Dovecot "
     "(Debian) ready.\r\n",
     "imap", "Dovecot imapd", "", "Debian"},
    {"Dovecot POP3 greeting (RFC 1939 4)", "greeting", "+OK Dovecot (Debian) ready.\r\n", "pop3",
     "Dovecot pop3d", "", "Debian"},
    {"MariaDB handshake v10 (MariaDB client/server protocol docs)", "greeting",
     "\x5b\x00\x00\x00\x0a"
     "5.5.5-10.11.6-MariaDB-0+deb12u1\x00\x08\x00\x00\x00"
     "abcdefgh\x00\xfe\xf7\x2d\x02\x00"s,
     "mysql", "MariaDB", "10.11.6"},
    {"MySQL handshake v10 (MySQL internals, Protocol::HandshakeV10)", "greeting",
     "\x4a\x00\x00\x00\x0a"
     "8.0.36\x00\x0b\x00\x00\x00"
     "abcdefgh\x00\xff\xff"s,
     "mysql", "MySQL", "8.0.36"},
    {"MySQL ERR_Packet 1130 before handshake", "greeting",
     "\x45\x00\x00\x00\xff\x6a\x04Host '192.0.2.7' is not allowed to connect to this MariaDB server"s,
     "mysql", "MariaDB", "", "host not allowed"},
    {"RFC 6143 7.1.1 ProtocolVersion", "greeting", "RFB 003.008\n", "vnc", "", "", "RFB 003.008"},
    {"rsyncd greeting (rsync daemon protocol)", "greeting", "@RSYNCD: 31.0\n", "rsync", "rsyncd", "",
     "protocol 31.0"},
    {"INN innd greeting (RFC 3977 5.1.1)", "greeting",
     "200 news.example.org InterNetNews server INN 2.7.1 ready (transit mode)\r\n", "nntp", "INN", "2.7.1"},
    {"INN nnrpd greeting", "greeting",
     "200 news.example.org InterNetNews NNRP server INN 2.7.1 ready (posting ok)\r\n", "nntp", "INN",
     "2.7.1"},
    {"NATS client protocol INFO", "greeting",
     "INFO "
     "{\"server_id\":\"NDJ2\",\"server_name\":\"NDJ2\",\"version\":\"2.9.15\",\"proto\":1,\"go\":\"go1.19\"}"
     "\r\n",
     "nats", "NATS server", "2.9.15"},
    {"RFC 854 option negotiation (IAC DO TERMINAL-TYPE)", "greeting", "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23"s,
     "telnet", "", ""},
    {"RFC 2812 NOTICE during host lookup", "greeting",
     ":irc.example.net NOTICE * :*** Looking up your hostname\r\n", "irc", "", "", nullptr, true},

    {"RFC 9110 Server header, nginx's 'nginx/VERSION'", "http-get",
     http("200 OK", "Server: nginx/1.22.1\r\nContent-Type: text/html\r\n", "<html></html>"), "http", "nginx",
     "1.22.1"},
    {"Apache ServerTokens OS", "http-get", http("200 OK", "Server: Apache/2.4.62 (Debian)\r\n"), "http",
     "Apache httpd", "2.4.62", "Debian"},
    {"lighttpd server.tag default", "http-get", http("404 Not Found", "Server: lighttpd/1.4.69\r\n"), "http",
     "lighttpd", "1.4.69"},
    {"Python http.server (BaseHTTPRequestHandler.version_string)", "http-get",
     "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n\r\n", "http", "Python http.server",
     "3.11.2"},
    {"Jetty Server header", "http-get", http("200 OK", "Server: Jetty(9.4.51.v20230217)\r\n"), "http",
     "Jetty", "9.4.51.v20230217"},
    {"Squid ERR_INVALID_URL page", "http-get",
     "HTTP/1.1 400 Bad Request\r\nServer: squid/5.7\r\nMime-Version: 1.0\r\nX-Squid-Error: ERR_INVALID_URL "
     "0\r\n\r\n",
     "http-proxy", "Squid http proxy", "5.7"},
    {"Tinyproxy error page", "http-get", "HTTP/1.0 400 Bad Request\r\nServer: tinyproxy/1.11.1\r\n\r\n",
     "http-proxy", "Tinyproxy", "1.11.1"},
    {"CUPS Server header (cupsd.conf ServerTokens)", "http-get",
     http("200 OK", "Server: CUPS/2.4 IPP/2.1\r\n"), "ipp", "CUPS", "2.4", "IPP 2.1"},
    {"Elasticsearch GET / (REST API root)", "http-get",
     http("200 OK", "X-elastic-product: Elasticsearch\r\ncontent-type: application/json\r\n",
          "{\n  \"name\" : \"n1\",\n  \"version\" : {\n    \"number\" : \"8.11.1\",\n    \"build_flavor\" : "
          "\"default\"\n  },\n  \"tagline\" : \"You Know, for Search\"\n}\n"),
     "elasticsearch", "Elasticsearch", "8.11.1"},
    {"Docker Engine API response headers", "http-get",
     http("404 Not Found",
          "Api-Version: 1.43\r\nContent-Type: application/json\r\nServer: Docker/24.0.7 (linux)\r\n",
          "{\"message\":\"page not found\"}\n"),
     "docker", "Docker Engine API", "24.0.7", "linux"},
    {"node_exporter landing page", "http-get",
     http("200 OK", "Content-Type: text/html\r\n",
          "<html>\n<head><title>Node Exporter</title></head>\n<body><h1>Node Exporter</h1></body></html>\n"),
     "http", "Prometheus Node Exporter", ""},
    {"MongoDB's HTTP-on-driver-port answer", "http-get",
     "HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 85\r\n\r\nIt looks "
     "like "
     "you are trying to access MongoDB over HTTP on the native driver port.\r\n",
     "mongodb", "", "", nullptr, true},
    {"Kubernetes Status object (API conventions)", "http-get",
     http("403 Forbidden", "Content-Type: application/json\r\n",
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"code\":403}"),
     "kubernetes", "", "", nullptr, true},
    {"Redis inline GET with two arguments (Redis error replies)", "http-get",
     "-ERR wrong number of arguments for 'get' command\r\n", "redis", "", "", nullptr, true},
    {"memcached protocol.txt: unknown command", "http-get", "ERROR\r\nERROR\r\n", "memcached", "", "",
     nullptr, true},
    {"nginx 400 for plain HTTP on its TLS port", "http-get",
     http("400 Bad Request", "Server: nginx/1.22.1\r\n",
          "<center>The plain HTTP request was sent to HTTPS port</center>"),
     "ssl", "", "", nullptr, true},
    {"SSH answering an HTTP request: greeting first (fallback greeting)", "http-get",
     "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\nInvalid SSH identification string.\r\n", "ssh", "OpenSSH",
     "9.2p1"},
    {"Postfix answering an HTTP request (fallback greeting)", "http-get",
     "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n502 5.5.2 Error: command not recognized\r\n", "smtp",
     "Postfix smtpd", ""},
    {"RTSP 1.0 status line (RFC 2326 7.1)", "http-get",
     "RTSP/1.0 400 Bad Request\r\nServer: GStreamer RTSP server\r\n\r\n", "rtsp", "GStreamer RTSP server",
     ""},
    {"RFC 3261 response to OPTIONS", "sip-options",
     "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP localhost\r\nServer: Asterisk PBX 20.5.0\r\nContent-Length: "
     "0\r\n\r\n",
     "sip", "Asterisk PBX 20.5.0", ""},
    {"HTTP without Server header", "http-get", http("200 OK", "Content-Length: 0\r\n"), "http", "", ""},

    {"etcd /version endpoint", "http-version",
     http("200 OK", "Content-Type: application/json\r\n",
          "{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}"),
     "etcd", "etcd", "3.4.23", "cluster 3.4.0"},
    {"Kubernetes /version (version.Info)", "http-version",
     http("200 OK", "Content-Type: application/json\r\n",
          "{\n  \"major\": \"1\",\n  \"minor\": \"29\",\n  \"gitVersion\": \"v1.29.0\",\n  \"goVersion\": "
          "\"go1.21\"\n}"),
     "kubernetes", "Kubernetes API server", "1.29.0"},
    {"Docker Engine API GET /version", "http-version",
     http("200 OK", "Api-Version: 1.43\r\nContent-Type: application/json\r\n",
          "{\"Platform\":{\"Name\":\"Docker Engine - "
          "Community\"},\"Components\":[{\"Name\":\"Engine\",\"Version\":"
          "\"24.0.7\"}],\"Version\":\"24.0.7\",\"ApiVersion\":\"1.43\",\"MinAPIVersion\":\"1.12\"}"),
     "docker", "Docker Engine API", "24.0.7", "API 1.43"},
    {"Go net/http NotFound handler", "http-version",
     "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: "
     "nosniff\r\n\r\n404 "
     "page not found\n",
     "http", "Go net/http", ""},
    {"node_exporter /metrics build info", "node-metrics",
     http(
         "200 OK", "Content-Type: text/plain\r\n",
         "# TYPE node_exporter_build_info gauge\nnode_exporter_build_info{branch=\"\",goversion=\"go1.19.8\","
         "revision=\"\",tags=\"netgo\",version=\"1.5.0\"} 1\n"),
     "http", "Prometheus Node Exporter", "1.5.0"},

    {"PostgreSQL protocol: ErrorResponse to StartupMessage", "postgresql",
     "E\x00\x00\x00\x6bSFATAL\x00VFATAL\x00"
     "C28000\x00Mrole \"ghostport\" does not exist\x00"
     "Fmiscinit.c\x00L694\x00"
     "\x00"s,
     "postgresql", "PostgreSQL", ""},
    {"PostgreSQL protocol: AuthenticationSASL", "postgresql",
     "R\x00\x00\x00\x17\x00\x00\x00\x0aSCRAM-SHA-256\x00\x00"s, "postgresql", "PostgreSQL", "",
     "authentication required"},
    {"PostgreSQL protocol: AuthenticationOk then ParameterStatus", "postgresql",
     "R\x00\x00\x00\x08\x00\x00\x00\x00S\x00\x00\x00\x1a"
     "application_name\x00\x00S\x00\x00\x00\x2bserver_version\x00"
     "15.5 (Debian 15.5-0+deb12u1)\x00"s,
     "postgresql", "PostgreSQL", "15.5", "Debian 15.5-0+deb12u1"},
    {"Redis INFO server (RESP bulk string)", "redis-info",
     "$3741\r\n# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n", "redis",
     "Redis key-value store", "7.0.15"},
    {"Redis NOAUTH error", "redis-info", "-NOAUTH Authentication required.\r\n", "redis",
     "Redis key-value store", ""},
    {"memcached protocol.txt: version", "memcached-version", "VERSION 1.6.18\r\n", "memcached", "Memcached",
     "1.6.18"},
    {"MongoDB OP_MSG reply to buildinfo (BSON spec)", "mongodb-buildinfo",
     "\x60\x00\x00\x00\x11\x22\x33\x44\x2a\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00\x4b\x00\x00\x00"
     "\x02version"
     "\x00\x06\x00\x00\x00"
     "7.0.5\x00\x02gitVersion\x00\x02\x00\x00\x00x\x00\x01ok\x00\x00\x00\x00\x00\x00\x00\xf0?\x00"s,
     "mongodb", "MongoDB", "7.0.5"},
    {"RFC 4511 searchResEntry for the root DSE (OpenLDAP's OpenLDAProotDSE)", "ldap-rootdse",
     "\x30\x3a\x02\x01\x01\x64\x35\x04\x00\x30\x31\x30\x2f\x04\x0bobjectClass\x31\x20\x04\x03top\x04\x0fOpenL"
     "DAProotDSE"
     "\x30\x0c\x02\x01\x01\x65\x07\x0a\x01\x00\x04\x00\x04\x00"s,
     "ldap", "OpenLDAP slapd", ""},
    {"MS-RDPBCGR 2.2.1.2 Connection Confirm, xrdp's zero refs", "rdp",
     "\x03\x00\x00\x13\x0e\xd0\x00\x00\x00\x00\x00\x02\x00\x08\x00\x01\x00\x00\x00"s, "ms-wbt-server", "xrdp",
     ""},
    {"MS-SMB2 2.2.4 NEGOTIATE response, dialect 2.1", "smb2-negotiate",
     "\x00\x00\x00\xf8\xfeSMB\x40\x00"s + std::string(58, '\0') + "\x41\x00\x01\x00\x10\x02\x00\x00"s,
     "microsoft-ds", "", "", "SMB 2.1"},
    {"RFC 1035 answer: dnsmasq's version.bind", "dns-version-bind",
     "\x00\x3a\x67\x70\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
     "bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10"
     "\x00\x03\x00\x00\x00\x00\x00\x0d\x0c"
     "dnsmasq-2.89"s,
     "domain", "dnsmasq", "2.89"},
    {"RFC 1035 answer: BIND's version", "dns-version-bind",
     "\x00\x46\x67\x70\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
     "bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10"
     "\x00\x03\x00\x00\x00\x00\x00\x19\x18"
     "9.18.28-1~deb12u2-Debian"s,
     "domain", "ISC BIND", "9.18.28", "1~deb12u2-Debian"},
    {"RFC 1035 answer: Unbound's version", "dns-version-bind",
     "\x00\x3c\x67\x70\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x07version\x04"
     "bind\x00\x00\x10\x00\x03\xc0\x0c\x00\x10"
     "\x00\x03\x00\x00\x00\x00\x00\x0f\x0e"
     "unbound 1.17.1"s,
     "domain", "Unbound", "1.17.1"},
    {"MQTT 3.1.1 CONNACK, SUBACK, PUBLISH of $SYS/broker/version (mosquitto(8))", "mqtt-connect",
     "\x20\x02\x00\x00\x90\x03\x00\x01\x00\x31\x2a\x00\x13$SYS/broker/versionmosquitto version 2.0.11"s,
     "mqtt", "Mosquitto", "2.0.11"},
    {"MQTT 3.1.1 CONNACK refused, not authorized", "mqtt-connect", "\x20\x02\x00\x05"s, "mqtt", "", "",
     "not authorized"},
    {"AMQP 0-9-1 Connection.Start with RabbitMQ server-properties", "amqp-header",
     "\x01\x00\x00\x00\x00\x01\x00\x00\x0a\x00\x0a\x00\x09\x00\x00\x01\x00\x08platformS\x00\x00\x00\x0f"
     "Erlang/OTP 25.3\x07productS\x00\x00\x00\x08RabbitMQ\x07versionS\x00\x00\x00\x06"
     "3.12.1\xce"s,
     "amqp", "RabbitMQ", "3.12.1"},
    {"Kafka ApiVersions v0 response", "kafka-apiversions",
     "\x00\x00\x01\x00gpka\x00\x00\x00\x00\x00\x3c\x00\x00\x00\x00\x00\x09\x00\x01\x00\x00\x00\x0d"s, "kafka",
     "Apache Kafka", ""},
    {"ZooKeeper srvr (administrator's guide)", "zookeeper-srvr",
     "Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 08:49 "
     "UTC\nLatency "
     "min/avg/max: 0/0.0/0\n",
     "zookeeper", "Apache ZooKeeper", "3.8.0"},
    {"ZooKeeper 4lw refused", "zookeeper-srvr", "srvr is not executed because it is not in the whitelist.\n",
     "zookeeper", "Apache ZooKeeper", ""},
    {"RFC 1928 3 method selection: no authentication", "socks5", "\x05\x00"s, "socks5", "", "",
     "no authentication"},
    {"RFC 1928 3 method selection: no acceptable methods", "socks5", "\x05\xff"s, "socks5", "", "",
     "no acceptable methods"},
    {"RFC 5531 accepted reply over record marking", "rpc-null",
     "\x80\x00\x00\x18gprb\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"s,
     "rpcbind", "rpcbind", ""},
    {"RFC 2812 5.1 RPL_YOURHOST from ngircd", "irc-register",
     ":irc.example.net 001 gpscan :Welcome to the Internet Relay Network gpscan!~gpscan@localhost\r\n"
     ":irc.example.net 002 gpscan :Your host is irc.example.net, running version ngircd-26.1 "
     "(x86_64/pc/linux-gnu)\r\n",
     "irc", "ngircd", "26.1"},
    {"RFC 6120 4.7 stream header (Prosody)", "xmpp-stream",
     "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xml:lang='en' "
     "id='abc' from='localhost' version='1.0' xmlns='jabber:client'><stream:features>",
     "xmpp-client", "", ""},
    {"git pack-protocol ERR pkt-line", "git-upload-pack",
     "0048ERR access denied or repository not exported: /ghostport.git", "git", "git daemon", ""},
    {"AJP13 CPong reply", "ajp-cping", "AB\x00\x01\x09"s, "ajp13", "Apache Jserv", ""},
    {"Java RMI ProtocolAck (RMI spec 10.3)", "java-rmi",
     "\x4e\x00\x09"
     "127.0.0.1\x00\x00\xc3\x50"s,
     "java-rmi", "Java RMI", ""},
    {"X11 setup Failed reply (X protocol 8)", "x11-setup",
     "\x00\x16\x0b\x00\x00\x00\x06\x00No protocol specified\n\x00\x00"s, "x11", "X.Org", "", "access denied"},
    {"OpenVPN P_CONTROL_HARD_RESET_SERVER_V2 acking our packet 0", "openvpn-reset",
     "\x00\x1a\x40srvsess1\x01\x00\x00\x00\x00gpovpnid\x00\x00\x00\x00"s, "openvpn", "OpenVPN", ""},
    {"RFC 2637 Start-Control-Connection-Reply", "pptp-start",
     "\x00\x9c\x00\x01\x1a\x2b\x3c\x4d\x00\x02\x00\x00\x01\x00\x01\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00"
     "\x01\x00\x01"
     "local"s +
         std::string(59, '\0') + "linux" + std::string(59, '\0'),
     "pptp", "linux", ""},
};

class RealAnswers : public ::testing::TestWithParam<Case> {};

TEST_P(RealAnswers, NameServiceProductAndVersion) {
    const Case& c = GetParam();
    const auto hit = real_matcher().match(probe_index(c.probe), c.answer);
    ASSERT_TRUE(hit) << c.source;
    EXPECT_EQ(hit->service, c.service) << c.source << " (line " << hit->line << ")";
    EXPECT_EQ(hit->soft, c.soft) << c.source;
    EXPECT_EQ(hit->product, c.product) << c.source << " (line " << hit->line << ")";
    EXPECT_EQ(hit->version, c.version) << c.source;
    if (c.info) {
        EXPECT_EQ(hit->info, c.info) << c.source;
    }
    EXPECT_TRUE(real_matcher().can_name(probe_index(c.probe), c.service)) << c.source;
}

INSTANTIATE_TEST_SUITE_P(Tcp, RealAnswers, ::testing::ValuesIn(cases));

TEST(ServiceMatch, OpenSshCpeCarriesTheVersion) {
    const auto hit =
        real_matcher().match(probe_index("greeting"), "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->cpe, "cpe:/a:openbsd:openssh:9.2p1");
}

TEST(ServiceMatch, EveryProductInTheCasesIsCovered) {
    // At least 40 distinct services named by the cases above.
    std::vector<std::string> services;
    for (const auto& c : cases) services.emplace_back(c.service);
    std::sort(services.begin(), services.end());
    services.erase(std::unique(services.begin(), services.end()), services.end());
    EXPECT_GE(services.size(), 40u);
}

TEST(ServiceMatch, UnknownAnswersMatchNothing) {
    EXPECT_FALSE(real_matcher().match(probe_index("greeting"), "hello there\r\n"));
    EXPECT_FALSE(real_matcher().match(probe_index("redis-info"), ""));
    EXPECT_FALSE(real_matcher().match(probe_index("socks5"), "\x05\x00garbage"s));
    EXPECT_FALSE(real_matcher().match(real_defs().probes.size(), "SSH-2.0-x\r\n"));  // no such probe
    EXPECT_FALSE(real_matcher().can_name(real_defs().probes.size(), "ssh"));
}

TEST(ServiceMatch, OnlyServiceRestrictsTheMatches) {
    const std::string ssh = "SSH-2.0-OpenSSH_9.2p1\r\n";
    EXPECT_TRUE(real_matcher().match(probe_index("greeting"), ssh, "ssh"));
    EXPECT_FALSE(real_matcher().match(probe_index("greeting"), ssh, "http"));
}

TEST(ServiceMatch, HardBeatsSoftAndFallbacksApplyAfterOwnMatches) {
    const auto defs = ServiceDefs::parse(
        "probe a send\npayload \"x\"\nfallback b\n"
        "softmatch s1 /^ab/\n"
        "match m1 /^abc(d)/ product=\"own $1\"\n"
        "probe b send\npayload \"y\"\n"
        "match m2 /^abc/ product=\"fallback\"\n"
        "softmatch s2 /^a/\n",
        "t");
    const Matcher m(defs);
    EXPECT_EQ(m.match(0, "abcd")->product, "own d");
    EXPECT_EQ(m.match(0, "abcx")->product, "fallback");
    const auto soft = m.match(0, "abx");
    ASSERT_TRUE(soft);
    EXPECT_TRUE(soft->soft);
    EXPECT_EQ(soft->service, "s1");  // the first soft match
    EXPECT_EQ(m.match(0, "ax")->service, "s2");
    EXPECT_FALSE(m.match(1, "abcd", "m1"));  // b does not fall back to a
    EXPECT_TRUE(m.can_name(0, "m2"));
    EXPECT_FALSE(m.can_name(1, "m1"));
}

TEST(ServiceMatch, TemplatesAreCleanedTrimmedAndCut) {
    const auto defs = ServiceDefs::parse(
        "probe g greeting\n"
        "match x /^v=([^;]*);(.*)?(z)?/s product=\"P $1\" version=\"$2\" info=\"[$3]\" cpe=\"c:$1:$\"\n",
        "t");
    const Matcher m(defs);
    const auto hit = m.match(0, "v=  1.0\x1b[31m\t\xc3\xa9 \r\n;" + std::string(200, 'B'));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->product, "P 1.0[31m \\xc3\\xa9");
    EXPECT_EQ(hit->version, std::string(80, 'B'));
    EXPECT_EQ(hit->info, "[]");  // an unset group is empty
    EXPECT_EQ(hit->cpe, "c:1.0[31m \\xc3\\xa9:$");
}

TEST(ServiceMatch, BadPatternsAndReferencesAreInputErrors) {
    const auto bad = ServiceDefs::parse("probe g greeting\n\nmatch x /(a/\n", "t.txt");
    try {
        const Matcher m(bad);
        FAIL();
    } catch (const core::InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("t.txt:3: bad pattern: ", 0), 0u) << e.what();
        EXPECT_NE(std::string(e.what()).find(" at offset 2"), std::string::npos) << e.what();
    }
    const auto ref = ServiceDefs::parse("probe g greeting\nmatch x /(a)/ version=\"$2\"\n", "t.txt");
    try {
        const Matcher m(ref);
        FAIL();
    } catch (const core::InputError& e) {
        EXPECT_EQ(std::string(e.what()), "t.txt:2: template uses $2 but the pattern has 1 group");
    }
}

// Runs `f` and returns how long it took.
template <typename F>
std::chrono::milliseconds timed(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
}

TEST(ServiceMatch, HostileAnswersReturnPromptly) {
    const std::string hostile[] = {
        std::string(1 << 20, 'A'),
        std::string(1 << 20, '\0'),
        "\x1b]0;pwned\x07\x1b[2J" + std::string(100000, '\x1b'),
        "HTTP/1.1 200 OK\r\n" + std::string(1 << 20, ' '),
        "HTTP/1.1 200 OK\r\nServer: " + std::string(1 << 20, 'a'),
        "SSH-2.0-" + std::string(1 << 20, '-'),
        std::string(1 << 20, '\xff'),
    };
    for (std::size_t p = 0; p < real_defs().probes.size(); ++p)
        for (const auto& answer : hostile) {
            const auto took = timed([&] { (void)real_matcher().match(p, answer); });
            EXPECT_LT(took.count(), 2000) << real_defs().probes[p].name;
        }
}

TEST(ServiceMatch, CatastrophicBacktrackingIsBounded) {
    // (a+)+b against a long run of 'a' is exponential without limits; the match limit stops it.
    const auto defs = ServiceDefs::parse("probe g greeting\nmatch x /^(a+)+b/\nmatch y /^(?:a|a)*c/\n", "t");
    const Matcher m(defs);
    std::optional<MatchHit> hit;
    const auto took = timed([&] { hit = m.match(0, std::string(5000, 'a')); });
    EXPECT_FALSE(hit);
    EXPECT_LT(took.count(), 2000);
}

}  // namespace
}  // namespace ghostport::probes
