// SPDX-License-Identifier: GPL-2.0-or-later
// SSH key exchange up to the host key: our packets are well-formed; the reader on constructed server byte
// streams split at every point, and on truncated, oversized and malformed ones; and a real OpenSSH sshd on
// 127.0.0.1 (its own config and a host key made for the test), whose fingerprint must equal ssh-keygen -l's.
#include "probes/ssh_kex.hpp"
#include "../loopback.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include "tests/skip.hpp"

extern char** environ;

namespace gp = ghostport::probes;
using Status = gp::SshKexReader::Status;

namespace {

// A fixed ed25519 public key made with ssh-keygen for these tests, and what `ssh-keygen -l` printed for it.
constexpr const char* fixture_pub_b64 =
    "AAAAC3NzaC1lZDI1NTE5AAAAIP6DaX2RE3GapUBjfcEjPmb6UZdyjSyubHmAFGVqd4IX";
constexpr const char* fixture_fingerprint = "ssh-ed25519 SHA256:rmYzzztmx+z6fdj6a9q8cEy9Cgxmi7vgPD6DYryzZwU";

std::string b64_decode(const std::string& text) {
    std::string out(text.size(), '\0');
    int n =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    EXPECT_GT(n, 0);
    out.resize(static_cast<std::size_t>(n));
    std::size_t pads = 0;
    for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++pads;
    out.resize(out.size() - pads);
    return out;
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void put_string(std::string& out, const std::string& s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out += s;
}
std::uint32_t u32_at(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(s.at(at + i));
    return v;
}

// A binary packet around `payload` with `pad` padding bytes (no checks: tests build malformed ones too).
std::string packet(const std::string& payload, std::uint8_t pad = 4) {
    std::string out;
    put_u32(out, static_cast<std::uint32_t>(1 + payload.size() + pad));
    out.push_back(static_cast<char>(pad));
    out += payload;
    out.append(pad, '\x5a');
    return out;
}

std::string server_kexinit(const std::string& kex, const std::string& host_keys) {
    std::string p(1, '\x14');
    p.append(16, '\x42');
    put_string(p, kex);
    put_string(p, host_keys);
    for (int i = 0; i < 2; ++i) put_string(p, "aes128-ctr,chacha20-poly1305@openssh.com");
    for (int i = 0; i < 2; ++i) put_string(p, "hmac-sha2-256");
    for (int i = 0; i < 2; ++i) put_string(p, "none,zlib@openssh.com");
    for (int i = 0; i < 2; ++i) put_string(p, "");
    p.push_back('\0');
    put_u32(p, 0);
    return p;
}

std::string ecdh_reply(const std::string& blob) {
    std::string p(1, '\x1f');
    put_string(p, blob);
    put_string(p, std::string(32, '\x07'));  // Q_S
    std::string sig;
    put_string(sig, "ssh-ed25519");
    put_string(sig, std::string(64, '\x01'));
    put_string(p, sig);
    return p;
}

// What a server sends: a pre-banner line, the banner, an IGNORE, its KEXINIT, and the ECDH reply.
std::string server_stream() {
    std::string s = "Welcome, this line comes before the banner\r\n";
    s += "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
    s += packet(std::string("\x02\x00\x00\x00\x03"
                            "abc",
                            8),
                6);  // SSH_MSG_IGNORE "abc"
    s += packet(server_kexinit("sntrup761x25519-sha512@openssh.com,curve25519-sha256,ecdh-sha2-nistp256",
                               "rsa-sha2-512,ssh-ed25519"));
    s += packet(ecdh_reply(b64_decode(fixture_pub_b64)), 11);
    return s;
}

// Feeds `chunks` in order; returns the last status and counts how often kexinit_seen was reported.
Status feed_all(gp::SshKexReader& r, const std::vector<std::string>& chunks, int& kexinit_reports) {
    Status s = Status::need_more;
    kexinit_reports = 0;
    for (const auto& c : chunks) {
        s = r.feed(c);
        if (s == Status::kexinit_seen) ++kexinit_reports;
    }
    return s;
}

// The name-lists of a KEXINIT payload at `at` (just after the cookie).
std::vector<std::string> name_lists(const std::string& payload) {
    std::vector<std::string> lists;
    std::size_t at = 17;
    for (int i = 0; i < 10; ++i) {
        std::uint32_t len = u32_at(payload, at);
        lists.push_back(payload.substr(at + 4, len));
        EXPECT_EQ(lists.back().size(), len);
        at += 4 + len;
    }
    EXPECT_EQ(payload.size(), at + 5);  // first_kex_packet_follows and reserved
    EXPECT_EQ(payload.at(at), '\0');
    EXPECT_EQ(u32_at(payload, at + 1), 0u);
    return lists;
}

// Checks the framing of one of our packets (RFC 4253 §6) and returns its payload.
std::string check_packet(const std::string& pkt) {
    EXPECT_GE(pkt.size(), 16u);
    EXPECT_EQ(pkt.size() % 8, 0u);
    std::uint32_t len = u32_at(pkt, 0);
    EXPECT_EQ(len + 4, pkt.size());
    auto pad = static_cast<std::uint8_t>(pkt.at(4));
    EXPECT_GE(pad, 4);
    EXPECT_LT(pad + 1u, len);
    return pkt.substr(5, len - pad - 1);
}

}  // namespace

TEST(SshKex, ClientBanner) {
    EXPECT_EQ(gp::ssh_client_banner(), "SSH-2.0-ghostport\r\n");
}

TEST(SshKex, KexinitPacketIsWellFormed) {
    std::string a = gp::ssh_kexinit_packet();
    std::string payload = check_packet(a);
    ASSERT_FALSE(payload.empty());
    EXPECT_EQ(payload[0], '\x14');
    auto lists = name_lists(payload);
    ASSERT_EQ(lists.size(), 10u);
    EXPECT_EQ(
        lists[0],
        "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256");
    EXPECT_EQ(lists[1], "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256,ssh-rsa");
    EXPECT_EQ(lists[2], lists[3]);
    EXPECT_NE(lists[2].find("aes128-ctr"), std::string::npos);
    EXPECT_NE(lists[4].find("hmac-sha2-256"), std::string::npos);
    EXPECT_EQ(lists[6], "none");
    EXPECT_EQ(lists[7], "none");
    EXPECT_EQ(lists[8], "");
    // The cookie is random: two packets differ in it.
    std::string b = gp::ssh_kexinit_packet();
    EXPECT_NE(a.substr(6, 16), b.substr(6, 16));
}

TEST(SshKex, EcdhInitPackets) {
    struct Case {
        const char* kex;
        std::size_t key_size;
    };
    for (auto c : {Case{"curve25519-sha256", 32}, Case{"curve25519-sha256@libssh.org", 32},
                   Case{"ecdh-sha2-nistp256", 65}}) {
        SCOPED_TRACE(c.kex);
        std::string payload = check_packet(gp::ssh_ecdh_init_packet({c.kex, "ssh-ed25519"}));
        ASSERT_EQ(payload.size(), 1 + 4 + c.key_size);
        EXPECT_EQ(payload[0], '\x1e');
        EXPECT_EQ(u32_at(payload, 1), c.key_size);
        if (c.key_size == 65) {
            EXPECT_EQ(payload[5], '\x04');  // uncompressed point
        }
    }
    // group14: e is an mpint of at most 2048 bits, positive, without a superfluous leading zero.
    std::string payload =
        check_packet(gp::ssh_ecdh_init_packet({"diffie-hellman-group14-sha256", "ssh-rsa"}));
    ASSERT_GT(payload.size(), 6u);
    EXPECT_EQ(payload[0], '\x1e');
    std::uint32_t len = u32_at(payload, 1);
    EXPECT_EQ(payload.size(), 5 + len);
    EXPECT_LE(len, 257u);
    EXPECT_GT(len, 200u);
    auto first = static_cast<std::uint8_t>(payload[5]);
    if (first == 0) {
        EXPECT_TRUE(static_cast<std::uint8_t>(payload[6]) & 0x80);
    } else {
        EXPECT_FALSE(first & 0x80);
    }
    EXPECT_EQ(gp::ssh_ecdh_init_packet({"diffie-hellman-group1-sha1", "ssh-rsa"}), "");
    EXPECT_EQ(gp::ssh_ecdh_init_packet({}), "");
}

TEST(SshKexReader, WholeStream) {
    gp::SshKexReader r;
    int reports = 0;
    std::string s = server_stream();
    std::size_t kexinit_end = s.size() - packet(ecdh_reply(b64_decode(fixture_pub_b64)), 11).size();
    EXPECT_EQ(feed_all(r, {s.substr(0, kexinit_end)}, reports), Status::kexinit_seen);
    EXPECT_EQ(r.server_banner(), "SSH-2.0-OpenSSH_9.2p1 Debian-2");
    EXPECT_EQ(r.choice(), (gp::SshKexChoice{"curve25519-sha256", "ssh-ed25519"}));
    EXPECT_EQ(r.fingerprint(), "");
    EXPECT_EQ(r.feed(s.substr(kexinit_end)), Status::host_key);
    EXPECT_EQ(r.host_key_type(), "ssh-ed25519");
    EXPECT_EQ(r.host_key_blob(), b64_decode(fixture_pub_b64));
    EXPECT_EQ(r.fingerprint(), fixture_fingerprint);
    EXPECT_EQ(r.feed("more"), Status::host_key);  // sticky
}

TEST(SshKexReader, EverySplitPoint) {
    std::string s = server_stream();
    for (std::size_t i = 0; i <= s.size(); ++i) {
        SCOPED_TRACE(i);
        gp::SshKexReader r;
        int reports = 0;
        ASSERT_EQ(feed_all(r, {s.substr(0, i), s.substr(i)}, reports), Status::host_key);
        EXPECT_EQ(r.fingerprint(), fixture_fingerprint);
        EXPECT_EQ(r.choice().kex, "curve25519-sha256");
        // kexinit_seen is reported in the call that read the KEXINIT, unless that call also read the key.
        EXPECT_LE(reports, 1);
    }
    gp::SshKexReader r;
    std::vector<std::string> bytes;
    for (char c : s) bytes.emplace_back(1, c);
    int reports = 0;
    EXPECT_EQ(feed_all(r, bytes, reports), Status::host_key);
    EXPECT_EQ(reports, 1);
    EXPECT_EQ(r.fingerprint(), fixture_fingerprint);
}

TEST(SshKexReader, NegotiationFollowsOurPreference) {
    gp::SshKexReader r;
    std::string s = "SSH-2.0-x\n" + packet(server_kexinit("diffie-hellman-group14-sha256,ecdh-sha2-nistp256",
                                                          "ssh-rsa,rsa-sha2-256,ecdsa-sha2-nistp256"));
    EXPECT_EQ(r.feed(s), Status::kexinit_seen);
    EXPECT_EQ(r.choice(), (gp::SshKexChoice{"ecdh-sha2-nistp256", "ecdsa-sha2-nistp256"}));
    EXPECT_EQ(r.server_banner(), "SSH-2.0-x");  // a bare LF ends the line too
}

TEST(SshKexReader, TruncatedStreamsNeverReachTheKey) {
    std::string s = server_stream();
    for (std::size_t i = 0; i < s.size(); ++i) {
        gp::SshKexReader r;
        Status st = r.feed(s.substr(0, i));
        EXPECT_NE(st, Status::host_key) << i;
        EXPECT_NE(st, Status::failed) << i;  // a prefix of a good stream is only incomplete
        EXPECT_EQ(r.fingerprint(), "");
    }
}

TEST(SshKexReader, MalformedInputsFail) {
    const std::string banner = "SSH-2.0-test\r\n";
    const std::string kexinit = packet(server_kexinit("curve25519-sha256", "ssh-ed25519"));
    auto fails = [](const std::string& stream) {
        gp::SshKexReader r;
        Status s = r.feed(stream);
        return s == Status::failed && r.fingerprint().empty();
    };
    EXPECT_TRUE(fails("SSH-1.5-old\r\n"));
    EXPECT_TRUE(fails("SSH-2.0-" + std::string(300, 'a') + "\r\n"));
    EXPECT_TRUE(fails("SSH-2.0-" + std::string(300, 'a')));  // too long even before its line end
    // Packet length over the cap, padding that leaves no message type.
    std::string big;
    put_u32(big, 35001);
    big += '\x04';
    EXPECT_TRUE(fails(banner + big));
    std::string no_type;
    put_u32(no_type, 5);
    no_type += '\x04';
    no_type.append(4, '\0');
    EXPECT_TRUE(fails(banner + no_type));
    // Messages out of place: a reply before KEXINIT, a second KEXINIT, a disconnect, a service request.
    std::string reply = packet(ecdh_reply(b64_decode(fixture_pub_b64)));
    EXPECT_TRUE(fails(banner + reply));
    EXPECT_TRUE(fails(banner + kexinit + kexinit));
    EXPECT_TRUE(fails(banner + packet(std::string("\x01\x00\x00\x00\x02", 5))));
    EXPECT_TRUE(fails(banner + kexinit + packet("\x05")));
    // No algorithm in common.
    EXPECT_TRUE(fails(banner + packet(server_kexinit("diffie-hellman-group1-sha1", "ssh-ed25519"))));
    EXPECT_TRUE(fails(banner + packet(server_kexinit("curve25519-sha256", "ssh-dss"))));
    // A KEXINIT cut short in each of its fields.
    std::string full = server_kexinit("curve25519-sha256", "ssh-ed25519");
    for (std::size_t cut = 1; cut < full.size(); ++cut)
        EXPECT_TRUE(fails(banner + packet(full.substr(0, cut)))) << cut;
    // A name-list whose length runs past the packet.
    std::string bad_list = full;
    bad_list[17] = '\x7f';
    EXPECT_TRUE(fails(banner + packet(bad_list)));
    // A reply cut short, a K_S length past the packet, and a K_S without a type string.
    std::string good_reply = ecdh_reply(b64_decode(fixture_pub_b64));
    for (std::size_t cut = 1; cut < good_reply.size(); ++cut)
        EXPECT_TRUE(fails(banner + kexinit + packet(good_reply.substr(0, cut)))) << cut;
    std::string long_ks = good_reply;
    long_ks[1] = '\x40';
    EXPECT_TRUE(fails(banner + kexinit + packet(long_ks)));
    EXPECT_TRUE(fails(banner + kexinit +
                      packet(ecdh_reply(std::string("\x00\x00\x00\x09"
                                                    "ab",
                                                    6)))));
    EXPECT_TRUE(fails(banner + kexinit + packet(ecdh_reply(""))));
}

// The host key's type reaches reports and diffs: a hostile one (terminal escapes, separators, a huge name)
// fails the exchange instead of travelling on.
TEST(SshKexReader, HostileKeyTypeFails) {
    const std::string banner = "SSH-2.0-test\r\n";
    const std::string kexinit = packet(server_kexinit("curve25519-sha256", "ssh-ed25519"));
    for (const std::string& type : {std::string("ssh-ed25519\x1b]0;pwned\x07"), std::string("ssh-ed25519;x"),
                                    std::string("ssh ed25519"), std::string(65, 'a')}) {
        std::string blob;
        put_string(blob, type);
        put_string(blob, std::string(32, '\x05'));
        gp::SshKexReader r;
        EXPECT_EQ(r.feed(banner + kexinit), Status::kexinit_seen);
        EXPECT_EQ(r.feed(packet(ecdh_reply(blob))), Status::failed) << type;
        EXPECT_EQ(r.fingerprint(), "");
    }
    std::string fine;
    put_string(fine, "sk-ssh-ed25519@openssh.com");
    put_string(fine, std::string(32, '\x05'));
    gp::SshKexReader r;
    r.feed(banner + kexinit);
    EXPECT_EQ(r.feed(packet(ecdh_reply(fine))), Status::host_key);
    EXPECT_EQ(r.host_key_type(), "sk-ssh-ed25519@openssh.com");
}

TEST(SshKexReader, TotalBytesAreCapped) {
    gp::SshKexReader r;
    std::string line(1000, 'x');
    line += "\r\n";
    Status s = Status::need_more;
    std::size_t sent = 0;
    while (s == Status::need_more && sent < 2 * gp::ssh_max_total_bytes) {
        s = r.feed(line);
        sent += line.size();
    }
    EXPECT_EQ(s, Status::failed);
    EXPECT_LE(sent, gp::ssh_max_total_bytes + line.size());
    // Endless IGNORE packets after a banner are capped as well.
    gp::SshKexReader r2;
    r2.feed("SSH-2.0-x\r\n");
    std::string ignore = packet(std::string("\x02\x00\x00\x00\x00", 5));
    s = Status::need_more;
    for (int i = 0; i < 100000 && s == Status::need_more; ++i) s = r2.feed(ignore);
    EXPECT_EQ(s, Status::failed);
}

TEST(SshKexReader, RandomMutationsNeverCrash) {
    std::mt19937 rng(20240613);
    std::string s = server_stream();
    int keys = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string m = s;
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) m[rng() % m.size()] = static_cast<char>(rng());
        gp::SshKexReader r;
        std::size_t at = 0;
        while (at < m.size()) {
            std::size_t n = 1 + rng() % 64;
            Status st = r.feed(std::string_view(m).substr(at, n));
            at += n;
            if (st == Status::failed || st == Status::host_key) break;
        }
        if (r.status() == Status::host_key) {
            ++keys;
            EXPECT_FALSE(r.host_key_type().empty());
            EXPECT_EQ(r.fingerprint().rfind(r.host_key_type() + " SHA256:", 0), 0u);
        }
    }
    EXPECT_GT(keys, 0);  // edits in padding or the signature leave the key readable
}

// ---- A real OpenSSH server on 127.0.0.1 ----

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char tmpl[] = "/tmp/gp-sshkex-XXXXXX";
        if (mkdtemp(tmpl) != nullptr) path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) std::filesystem::remove_all(path, ec);
    }
};

// Runs a shell command line made only of our own temp paths; returns its stdout.
std::string capture(const std::string& cmd) {
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    if (f == nullptr) return out;
    char buf[512];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    pclose(f);
    return out;
}

bool send_all(int fd, const std::string& s) {
    std::size_t at = 0;
    while (at < s.size()) {
        ssize_t n = send(fd, s.data() + at, s.size() - at, MSG_NOSIGNAL);
        if (n <= 0) return false;
        at += static_cast<std::size_t>(n);
    }
    return true;
}

// sshd -D -e on 127.0.0.1 with its own config and host key, killed (by its pid) on destruction.
class Sshd {
  public:
    Sshd(const TempDir& dir, const std::string& key_type, const std::string& kex) {
        key_ = (dir.path / ("host_" + key_type)).string();
        capture("ssh-keygen -q -t " + key_type + " -N '' -C gp-test -f '" + key_ + "' 2>&1");
        std::string config = (dir.path / ("sshd_config_" + key_type)).string();
        std::ofstream(config) << "HostKey " << key_ << "\nListenAddress 127.0.0.1\nPidFile none\nUsePAM no\n"
                              << "StrictModes no\nKexAlgorithms " << kex << "\nLogLevel ERROR\n";
        ::mkdir("/run/sshd", 0755);
        port_ = gp_test::free_port();
        std::string port = std::to_string(port_);
        std::vector<std::string> args = {"/usr/sbin/sshd", "-D", "-e", "-f", config, "-p", port};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
    }
    ~Sshd() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
    }
    // Connects, retrying for up to 5 s while sshd starts; -1 if it never listens.
    int connect() const {
        auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (pid_ > 0 && std::chrono::steady_clock::now() < end) {
            int fd = gp_test::connect_local(port_, std::chrono::seconds(5));
            if (fd >= 0) return fd;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return -1;
    }
    // "SHA256:..." as ssh-keygen -l prints it for the host key.
    std::string keygen_fingerprint() const {
        std::istringstream line(capture("ssh-keygen -l -f '" + key_ + ".pub'"));
        std::string bits, fp;
        line >> bits >> fp;
        return fp;
    }

  private:
    std::string key_;
    int port_ = -1;
    pid_t pid_ = -1;
};

// Runs our side of the exchange on a connected socket until the host key, failure, EOF or 5 s of silence.
Status exchange(int fd, gp::SshKexReader& reader) {
    if (!send_all(fd, gp::ssh_client_banner() + gp::ssh_kexinit_packet())) return Status::failed;
    char buf[4096];
    for (int reads = 0; reads < 1000; ++reads) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return Status::failed;
        Status s = reader.feed(std::string_view(buf, static_cast<std::size_t>(n)));
        if (s == Status::kexinit_seen) {
            std::string init = gp::ssh_ecdh_init_packet(reader.choice());
            if (init.empty() || !send_all(fd, init)) return Status::failed;
        } else if (s != Status::need_more) {
            return s;
        }
    }
    return Status::failed;
}

}  // namespace

struct SshdCase {
    const char* key_type;  // ssh-keygen -t
    const char* kex;       // sshd's KexAlgorithms
    const char* expect_type;
};

class SshKexOpenSsh : public ::testing::TestWithParam<SshdCase> {};

TEST_P(SshKexOpenSsh, FingerprintMatchesSshKeygen) {
    if (access("/usr/sbin/sshd", X_OK) != 0)
        GP_SKIP("/usr/sbin/sshd is missing (apt-get install openssh-server)");
    const auto& c = GetParam();
    TempDir dir;
    ASSERT_FALSE(dir.path.empty());
    Sshd sshd(dir, c.key_type, c.kex);
    std::string expected = sshd.keygen_fingerprint();
    ASSERT_EQ(expected.rfind("SHA256:", 0), 0u) << "ssh-keygen -l printed '" << expected << "'";
    int fd = sshd.connect();
    ASSERT_GE(fd, 0) << "sshd did not listen on 127.0.0.1";
    gp::SshKexReader reader;
    Status s = exchange(fd, reader);
    close(fd);
    ASSERT_EQ(s, Status::host_key);
    EXPECT_EQ(reader.server_banner().rfind("SSH-2.0-OpenSSH_", 0), 0u) << reader.server_banner();
    EXPECT_EQ(reader.choice().kex, c.kex);
    EXPECT_EQ(reader.host_key_type(), c.expect_type);
    EXPECT_EQ(reader.fingerprint(), std::string(c.expect_type) + " " + expected);
}

INSTANTIATE_TEST_SUITE_P(Kex, SshKexOpenSsh,
                         ::testing::Values(SshdCase{"ed25519", "curve25519-sha256", "ssh-ed25519"},
                                           SshdCase{"ed25519", "curve25519-sha256@libssh.org", "ssh-ed25519"},
                                           SshdCase{"ed25519", "ecdh-sha2-nistp256", "ssh-ed25519"},
                                           SshdCase{"ed25519", "diffie-hellman-group14-sha256",
                                                    "ssh-ed25519"},
                                           SshdCase{"ecdsa", "curve25519-sha256", "ecdsa-sha2-nistp256"},
                                           SshdCase{"rsa", "curve25519-sha256", "ssh-rsa"}),
                         [](const ::testing::TestParamInfo<SshdCase>& info) {
                             std::string name = std::string(info.param.key_type) + "_" + info.param.kex;
                             for (char& ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return name;
                         });
