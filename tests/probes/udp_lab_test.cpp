// SPDX-License-Identifier: GPL-2.0-or-later
// ghostport's UDP payloads against real Debian 12 daemons: one network namespace for the whole binary
// (gpt-<pid>-udp, loopback up, a veth pair for nmbd, which wants a non-loopback interface), each daemon
// started inside it in the foreground with configuration files of its own in a scratch folder (never as a
// system service), bound to 127.0.0.1 (198.18.0.1 for nmbd's interface) on its usual port and, where cheap,
// on a borrowed one. Each port gets the payloads udp_probe_order gives it, from a plain UDP socket made
// inside the namespace, and identify_datagram must name the service. Every daemon is killed (its process
// group) and the namespace removed when the binary ends.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "probes/service_defs.hpp"
#include "probes/service_match.hpp"
#include "probes/udp_payloads.hpp"
#include "tests/integration/lab.hpp"

using namespace gp_test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
namespace probes = ghostport::probes;

namespace {

const probes::ServiceDefs& defs() {
    static const probes::ServiceDefs d =
        probes::ServiceDefs::load(std::string(GHOSTPORT_SOURCE_DIR) + "/probes/udp_payloads.txt");
    return d;
}

const probes::Matcher& matcher() {
    static const probes::Matcher m(defs());
    return m;
}

// One daemon of the lab: what to install, how to run it (in the foreground, inside the namespace).
struct DaemonSpec {
    std::string name;     // key of the cases
    std::string package;  // Debian package that brings `binary`
    std::string binary;
    std::vector<std::string> argv;  // `binary` and its options
    std::vector<std::string> env;   // K=V set for it
    std::string ready_probe;        // a payload it answers, sent until it does (start-up)
    std::uint16_t ready_port = 0;
};

// The scratch folder's configuration files, written before the daemons start.
void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::vector<DaemonSpec> daemon_specs(const std::string& d) {
    write(d + "/chrony.conf",
          "port 123\nbindaddress 127.0.0.1\nallow 127.0.0.1\ncmdport 0\nlocal stratum 10\npidfile " + d +
              "/chronyd.pid\n");
    write(d + "/snmpd.conf", "rocommunity public 127.0.0.1\n");
    write(d + "/unbound.conf",
          "server:\n  interface: 127.0.0.1\n  port: 5300\n  do-daemonize: no\n  chroot: \"\"\n  username: "
          "\"\"\n"
          "  pidfile: \"\"\n  use-syslog: no\n  logfile: \"\"\n  access-control: 127.0.0.0/8 allow\n"
          "  do-ip6: no\n  module-config: \"iterator\"\nremote-control:\n  control-enable: no\n");
    write(d + "/named.conf", "options { directory \"" + d +
                                 "\"; listen-on port 8053 { 127.0.0.1; }; listen-on-v6 { none; }; "
                                 "pid-file none; recursion no; };\ncontrols { };\n");
    write(d + "/krb5.conf", "[libdefaults]\n  default_realm = GHOSTPORT.TEST\n");
    write(d + "/kdc.conf",
          "[kdcdefaults]\n  kdc_listen = 127.0.0.1:88,127.0.0.1:750\n  kdc_tcp_listen = \"\"\n"
          "[realms]\n  GHOSTPORT.TEST = {\n    database_name = " +
              d + "/krb5/principal\n    key_stash_file = " + d + "/krb5/stash\n  }\n");
    write(d + "/strongswan.conf",
          "charon {\n  port = 500\n  port_nat_t = 4500\n  install_routes = no\n  install_virtual_ip = no\n"
          "  filelog {\n    stderr { default = 1 }\n  }\n}\n");
    write(d + "/kamailio.cfg",
          "#!KAMAILIO\ndebug=1\nlog_stderror=yes\nchildren=1\nlisten=udp:127.0.0.1:5060\n"
          "listen=udp:127.0.0.1:40060\nloadmodule \"sl.so\"\nrequest_route {\n"
          "    if (method==\"OPTIONS\") {\n        sl_send_reply(\"200\", \"OK\");\n        exit;\n    }\n"
          "    sl_send_reply(\"501\", \"Not Implemented\");\n}\n");
    write(d + "/inetd.conf",
          "echo dgram udp wait root internal\ndaytime dgram udp wait root internal\n"
          "chargen dgram udp wait root internal\n");
    write(d + "/avahi.conf",
          "[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=lo\nenable-dbus=no\n"
          "[publish]\npublish-workstation=yes\n");
    std::filesystem::create_directories(d + "/samba");
    std::string smb =
        "[global]\n  netbios name = GPLAB\n  workgroup = GHOSTPORT\n  interfaces = gpa0\n"
        "  disable netbios = no\n  log file = " +
        d + "/samba/log.%m\n";
    for (const char* dir :
         {"lock directory", "state directory", "cache directory", "pid directory", "private dir"})
        smb += std::string("  ") + dir + " = " + d + "/samba\n";
    write(d + "/smb.conf", smb);
    std::filesystem::create_directories(d + "/tftp");

    const std::string key = d + "/key.pem", cert = d + "/cert.pem";
    return {
        {"dnsmasq",
         "dnsmasq-base",
         "/usr/sbin/dnsmasq",
         {"/usr/sbin/dnsmasq", "-k", "--conf-file=/dev/null", "--listen-address=127.0.0.1",
          "--bind-interfaces", "--port=53", "--no-resolv", "--no-hosts", "--pid-file=", "--user=root"},
         {},
         "dns-version-bind",
         53},
        {"chrony",
         "chrony",
         "/usr/sbin/chronyd",
         {"/usr/sbin/chronyd", "-d", "-x", "-u", "root", "-f", d + "/chrony.conf"},
         {},
         "ntp",
         123},
        {"snmpd",
         "snmpd",
         "/usr/sbin/snmpd",
         {"/usr/sbin/snmpd", "-f", "-Lo", "-C", "-c", d + "/snmpd.conf", "-p", d + "/snmpd.pid",
          "udp:127.0.0.1:161", "udp:127.0.0.1:40161"},
         {"SNMP_PERSISTENT_DIR=" + d, "MIBS="},
         "snmp-v2c",
         161},
        {"memcached",
         "memcached",
         "/usr/bin/memcached",
         {"/usr/bin/memcached", "-U", "11211", "-p", "0", "-l", "127.0.0.1", "-u", "nobody"},
         {},
         "memcached-version",
         11211},
        {"rpcbind", "rpcbind", "/usr/sbin/rpcbind", {"/usr/sbin/rpcbind", "-f"}, {}, "rpc-null", 111},
        // -a would resolve its address with AI_ADDRCONFIG, which finds nothing on a loopback-only host.
        {"tftpd-hpa",
         "tftpd-hpa",
         "/usr/sbin/in.tftpd",
         {"/usr/sbin/in.tftpd", "-4", "-L", "-u", "nobody", "-s", d + "/tftp"},
         {},
         "tftp-rrq",
         69},
        {"coturn",
         "coturn",
         "/usr/bin/turnserver",
         {"/usr/bin/turnserver", "-n", "--listening-ip=127.0.0.1", "--listening-port=3478", "--no-tls",
          "--no-dtls", "--no-cli", "--log-file=stdout", "--simple-log", "--pidfile=" + d + "/turnserver.pid"},
         {},
         "stun-binding",
         3478},
        {"nmbd",
         "samba",
         "/usr/sbin/nmbd",
         {"/usr/sbin/nmbd", "-F", "--debug-stdout", "--no-process-group", "-s", d + "/smb.conf"},
         {},
         "netbios-nbstat",
         137},
        {"avahi",
         "avahi-daemon",
         "/usr/sbin/avahi-daemon",
         {"/usr/sbin/avahi-daemon", "-f", d + "/avahi.conf", "--no-drop-root", "--no-chroot", "--no-rlimits"},
         {},
         "mdns-services",
         5353},
        {"openvpn",
         "openvpn",
         "/usr/sbin/openvpn",
         {"/usr/sbin/openvpn",
          "--dev",
          "null",
          "--proto",
          "udp4",
          "--local",
          "127.0.0.1",
          "--port",
          "1194",
          "--tls-server",
          "--ca",
          cert,
          "--cert",
          cert,
          "--key",
          key,
          "--dh",
          "none",
          "--verb",
          "1"},
         {},
         "openvpn",
         1194},
        {"krb5kdc",
         "krb5-kdc",
         "/usr/sbin/krb5kdc",
         {"/usr/sbin/krb5kdc", "-n", "-r", "GHOSTPORT.TEST"},
         {"KRB5_CONFIG=" + d + "/krb5.conf", "KRB5_KDC_PROFILE=" + d + "/kdc.conf"},
         "kerberos-as-req",
         88},
        {"unbound",
         "unbound",
         "/usr/sbin/unbound",
         {"/usr/sbin/unbound", "-d", "-c", d + "/unbound.conf"},
         {},
         "dns-version-bind",
         5300},
        {"named",
         "bind9",
         "/usr/sbin/named",
         {"/usr/sbin/named", "-g", "-n", "1", "-c", d + "/named.conf"},
         {},
         "dns-version-bind",
         8053},
        {"charon",
         "strongswan-charon",
         "/usr/lib/ipsec/charon",
         {"/usr/lib/ipsec/charon"},
         {"STRONGSWAN_CONF=" + d + "/strongswan.conf"},
         "ikev2-sa-init",
         500},
        {"kamailio",
         "kamailio",
         "/usr/sbin/kamailio",
         {"/usr/sbin/kamailio", "-DD", "-E", "-f", d + "/kamailio.cfg", "-P", d + "/kamailio.pid", "-m", "32",
          "-M", "4", "-Y", d},
         {},
         "sip-options",
         5060},
        {"gtlsserver",
         "ngtcp2-server",
         "/usr/sbin/gtlsserver",
         {"/usr/sbin/gtlsserver", "-q", "127.0.0.1", "4433", key, cert},
         {},
         "quic-vn",
         4433},
        {"gtlsserver-borrowed",
         "ngtcp2-server",
         "/usr/sbin/gtlsserver",
         {"/usr/sbin/gtlsserver", "-q", "127.0.0.1", "40443", key, cert},
         {},
         "quic-vn",
         40443},
        {"coap-server",
         "libcoap3-bin",
         "/usr/bin/coap-server-notls",
         {"/usr/bin/coap-server-notls", "-A", "127.0.0.1", "-p", "5683"},
         {},
         "coap-well-known",
         5683},
        {"openssl-dtls",
         "openssl",
         "/usr/bin/openssl",
         {"/usr/bin/openssl", "s_server", "-dtls", "-accept", "4740", "-cert", cert, "-key", key, "-quiet"},
         {},
         "dtls-clienthello",
         4740},
        // minissdpd answers M-SEARCH for the services submitted on its socket (register_ssdp_service).
        {"minissdpd",
         "minissdpd",
         "/usr/sbin/minissdpd",
         {"/usr/sbin/minissdpd", "-d", "-i", "lo", "-s", d + "/minissdpd.sock", "-p", d + "/minissdpd.pid"},
         {},
         "ssdp-msearch",
         1900},
        {"inetd",
         "inetutils-inetd",
         "/usr/sbin/inetutils-inetd",
         {"/usr/sbin/inetutils-inetd", "-d", d + "/inetd.conf"},
         {},
         "echo",
         7},
    };
}

// A UDP socket of the namespace `ns` (made on a thread that joined it; the socket stays in it).
int socket_in(const std::string& ns) {
    int fd = -1;
    std::thread t([&] {
        const int nsfd = open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
        if (nsfd < 0) return;
        if (setns(nsfd, CLONE_NEWNET) == 0) fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        close(nsfd);
    });
    t.join();
    return fd;
}

// The namespace, the scratch folder and the daemons: built once for the binary, torn down at its end.
class UdpLab : public ::testing::Environment {
  public:
    static UdpLab* instance;

    void SetUp() override {
        instance = this;
        unavailable_ = lab_unavailable_reason();
        if (!unavailable_.empty()) return;
        ns_ = std::make_unique<LoopbackNamespace>("udp");
        if (!ns_->ok()) {
            unavailable_ = "cannot make the namespace: " + ns_->why();
            return;
        }
        const auto& n = ns_->name();
        // nmbd serves only on a broadcast-capable interface; avahi joins mDNS only where multicast is on.
        run({"ip", "-n", n, "link", "add", "gpa0", "type", "veth", "peer", "name", "gpb0"}, 10s);
        run({"ip", "-n", n, "addr", "add", "198.18.0.1/24", "dev", "gpa0"}, 10s);
        run({"ip", "-n", n, "link", "set", "gpa0", "up"}, 10s);
        run({"ip", "-n", n, "link", "set", "gpb0", "up"}, 10s);
        run({"ip", "-n", n, "link", "set", "lo", "multicast", "on"}, 10s);
        dir_ = std::make_unique<ScratchDir>("udp");
        const std::string d = dir_->path();
        run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", d + "/key.pem", "-out", d + "/cert.pem", "-days", "30", "-subj", "/CN=lab.test"},
            20s);
        for (auto& spec : daemon_specs(d)) {
            if (access(spec.binary.c_str(), X_OK) != 0) {
                specs_[spec.name] = spec;
                continue;
            }
            if (spec.name == "krb5kdc") {
                std::filesystem::create_directories(d + "/krb5");
                run({"env", "KRB5_CONFIG=" + d + "/krb5.conf", "KRB5_KDC_PROFILE=" + d + "/kdc.conf",
                     "kdb5_util", "create", "-s", "-r", "GHOSTPORT.TEST", "-P", "ghostport-lab"},
                    20s);
            }
            std::vector<std::string> argv{"ip", "netns", "exec", n, "env"};
            argv.insert(argv.end(), spec.env.begin(), spec.env.end());
            argv.insert(argv.end(), {"sh", "-c", "exec \"$@\" >\"$0\" 2>&1", d + "/" + spec.name + ".log"});
            argv.insert(argv.end(), spec.argv.begin(), spec.argv.end());
            running_[spec.name] = std::make_unique<Background>(argv);
            specs_[spec.name] = spec;
        }
        started_ = clock_type::now();
    }

    void TearDown() override {
        running_.clear();  // SIGKILL to each daemon's process group, then reaped
        dir_.reset();
        ns_.reset();
    }

    const std::string& unavailable() const { return unavailable_; }
    const DaemonSpec* spec(const std::string& name) const {
        const auto it = specs_.find(name);
        return it == specs_.end() ? nullptr : &it->second;
    }
    bool started(const std::string& name) const { return running_.contains(name); }
    std::string log(const std::string& name) const {
        auto text = read_file(dir_->path() + "/" + name + ".log");
        return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
    }
    const std::string& ns() const { return ns_->name(); }
    std::string path(const std::string& name) const { return dir_->path() + "/" + name; }
    clock_type::time_point started_at() const { return started_; }

  private:
    std::string unavailable_;
    std::unique_ptr<LoopbackNamespace> ns_;
    std::unique_ptr<ScratchDir> dir_;
    std::map<std::string, DaemonSpec> specs_;
    std::map<std::string, std::unique_ptr<Background>> running_;
    clock_type::time_point started_;
};

UdpLab* UdpLab::instance = nullptr;
[[maybe_unused]] const auto* const registered = ::testing::AddGlobalTestEnvironment(new UdpLab);

// Sends probe `index` to `host`:`port` every 250 ms until a datagram comes back from `host` (from any port:
// TFTP answers from a new one) or `limit` passes; the answer, or nullopt.
std::optional<std::string> ask(int fd, const std::string& host, std::uint16_t port, std::size_t index,
                               std::chrono::milliseconds limit) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    inet_pton(AF_INET, host.c_str(), &to.sin_addr);
    const std::string bytes = probes::datagram_bytes(defs(), index);
    std::string buf(65536, '\0');
    // What earlier probes' answers left behind is not this probe's.
    while (recv(fd, buf.data(), buf.size(), MSG_DONTWAIT) >= 0) {
    }
    const auto end = clock_type::now() + limit;
    while (clock_type::now() < end) {
        sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
        const auto resend = std::min(end, clock_type::now() + 250ms);
        while (clock_type::now() < resend) {
            pollfd p{fd, POLLIN, 0};
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(resend - clock_type::now());
            if (poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 1))) <= 0) continue;
            sockaddr_in from{};
            socklen_t len = sizeof from;
            const auto n = recvfrom(fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
            if (n >= 0 && from.sin_addr.s_addr == to.sin_addr.s_addr)
                return buf.substr(0, static_cast<std::size_t>(n));
        }
    }
    return std::nullopt;
}

// Submits an Internet Gateway Device to minissdpd, as miniupnpd does on start, over its socket: request type
// 4, then ST, USN, SERVER and LOCATION, each after its length (one byte below 128). Retries for up to 5 s
// while the socket is not there yet; false when it never was.
bool register_ssdp_service(const std::string& socket_path) {
    std::string request = "\x04";
    for (const std::string field :
         {"urn:schemas-upnp-org:device:InternetGatewayDevice:1",
          "uuid:67686f73-7470-6f72-742d-6c6162000001::urn:schemas-upnp-org:device:InternetGatewayDevice:1",
          "Debian/12 UPnP/1.1 MiniUPnPd/2.3.1", "http://127.0.0.1:5000/rootDesc.xml"}) {
        request += static_cast<char>(field.size());
        request += field;
    }
    const auto end = clock_type::now() + 5s;
    while (clock_type::now() < end) {
        const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        socket_path.copy(sa.sun_path, sizeof sa.sun_path - 1);
        const bool sent = connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 &&
                          ::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size());
        close(fd);
        if (sent) return true;
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

struct Expect {
    std::string daemon;
    std::uint16_t port;
    std::string service;
    std::string product;   // "" = not checked
    bool version = false;  // a version must be reported
    std::string info_has;  // extra_info must contain it ("" = not checked)
    std::string host = "127.0.0.1";
};

// What the port's payloads (in udp_probe_order, each given at most `each`) made the daemon say.
struct Outcome {
    ghostport::core::ServiceInfo info;
    std::string probe;  // the probe that was answered
    std::string answer;
};

// Waits (bounded) until `daemon` answers its own payload on its own port, then runs the port's probes.
void check(const Expect& e) {
    auto* lab = UdpLab::instance;
    ASSERT_NE(lab, nullptr);
    if (!lab->unavailable().empty()) GP_SKIP("namespace lab unavailable: " + lab->unavailable());
    const DaemonSpec* spec = lab->spec(e.daemon);
    ASSERT_NE(spec, nullptr) << e.daemon;
    if (!lab->started(e.daemon))
        GP_SKIP(spec->binary + " is missing: install " + spec->package + " (scripts/deps.sh --tests)");
    if (e.daemon == "minissdpd") {
        ASSERT_TRUE(register_ssdp_service(lab->path("minissdpd.sock"))) << lab->log(e.daemon);
    }
    const int fd = socket_in(lab->ns());
    ASSERT_GE(fd, 0) << "no socket in the namespace";
    // Start-up: the daemon's own payload on its own port, for up to 10 s after the lab started.
    const auto ready_limit = std::max(
        std::chrono::milliseconds(500),
        std::chrono::duration_cast<std::chrono::milliseconds>(lab->started_at() + 10s - clock_type::now()));
    const auto ready = ask(fd, spec->ready_port == 137 ? "198.18.0.1" : "127.0.0.1", spec->ready_port,
                           static_cast<std::size_t>(defs().find(spec->ready_probe)), ready_limit);
    if (!ready) {
        close(fd);
        FAIL() << e.daemon << " never answered " << spec->ready_probe << " on " << spec->ready_port
               << "; its log:\n"
               << lab->log(e.daemon);
    }
    // The port as the engine sees it: its payloads in order, each answered within 600 ms or passed over. On
    // the daemon's own port its own payload comes first, and the start-up answer is that payload's (a
    // daemon that holds a half-open session, like openssl s_server's DTLS, answers a client once).
    const auto order = probes::udp_probe_order(defs(), e.port);
    std::optional<Outcome> got;
    if (e.port == spec->ready_port && !order.empty() &&
        defs().probes[order.front()].name == spec->ready_probe)
        got = Outcome{probes::identify_datagram(defs(), matcher(), order.front(), *ready), spec->ready_probe,
                      *ready};
    for (std::size_t i = 0; !got && i < order.size(); ++i) {
        if (auto answer = ask(fd, e.host, e.port, order[i], 600ms))
            got = Outcome{probes::identify_datagram(defs(), matcher(), order[i], *answer),
                          defs().probes[order[i]].name, std::move(*answer)};
    }
    close(fd);
    ASSERT_TRUE(got) << "no payload of udp_probe_order(" << e.port << ") got an answer from " << e.daemon;
    SCOPED_TRACE(e.daemon + " on " + std::to_string(e.port) + " answered " + got->probe + ": " +
                 got->info.banner);
    EXPECT_EQ(got->info.name, e.service);
    if (!e.product.empty()) {
        EXPECT_EQ(got->info.product, e.product);
    }
    if (e.version) {
        EXPECT_FALSE(got->info.version.empty());
    }
    if (!e.info_has.empty()) {
        EXPECT_NE(got->info.extra_info.find(e.info_has), std::string::npos) << got->info.extra_info;
    }
}

Expect ex(std::string daemon, std::uint16_t port, std::string service, std::string product = "",
          bool version = false, std::string info_has = "", std::string host = "127.0.0.1") {
    return {std::move(daemon),   port,           std::move(service), std::move(product), version,
            std::move(info_has), std::move(host)};
}

class Daemons : public ::testing::TestWithParam<Expect> {};

TEST_P(Daemons, PayloadsNameTheService) {
    check(GetParam());
}

// In the order of value: the daemons a Debian host most often runs first. Ports above 40000 are borrowed
// (no port hint fits them): only the common rotation reaches them.
const Expect expectations[] = {
    ex("dnsmasq", 53, "domain", "dnsmasq", true),
    ex("chrony", 123, "ntp", "", false, "NTPv4"),
    ex("snmpd", 161, "snmp", "net-snmp", false, "Linux"),
    ex("snmpd", 40161, "snmp", "net-snmp", false, "Linux"),
    ex("memcached", 11211, "memcached", "Memcached", true),
    ex("rpcbind", 111, "rpcbind", "", false, "port mapper"),
    ex("tftpd-hpa", 69, "tftp"),
    ex("coturn", 3478, "stun", "coturn", true),
    ex("nmbd", 137, "netbios-ns", "", false, "GPLAB", "198.18.0.1"),
    ex("minissdpd", 1900, "ssdp", "MiniUPnPd", true),
    ex("avahi", 5353, "mdns", "", false, "_workstation"),
    ex("openvpn", 1194, "openvpn", "OpenVPN"),
    ex("krb5kdc", 88, "kerberos", "", false, "KRB-ERROR"),
    ex("krb5kdc", 750, "kerberos", "", false, "KRB-ERROR"),
    ex("unbound", 5300, "domain", "Unbound", true),
    ex("named", 8053, "domain", "ISC BIND", true),
    ex("charon", 500, "isakmp", "", false, "IKEv2"),
    ex("charon", 4500, "isakmp", "", false, "NAT-T"),
    ex("kamailio", 5060, "sip", "Kamailio SIP Server", true),
    ex("kamailio", 40060, "sip", "Kamailio SIP Server", true),
    ex("gtlsserver", 4433, "quic", "", false, "versions include 1"),
    ex("gtlsserver-borrowed", 40443, "quic"),
    ex("coap-server", 5683, "coap"),
    ex("openssl-dtls", 4740, "dtls", "", false, "HelloVerifyRequest"),
    ex("inetd", 7, "echo"),
    ex("inetd", 13, "daytime"),
    ex("inetd", 19, "chargen"),
};

INSTANTIATE_TEST_SUITE_P(Debian12, Daemons, ::testing::ValuesIn(expectations),
                         [](const ::testing::TestParamInfo<Expect>& i) {
                             std::string n = i.param.daemon + "_" + std::to_string(i.param.port);
                             for (char& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

}  // namespace
