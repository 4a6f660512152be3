// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/update.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/errors.hpp"
#include "registry/registry.hpp"

using ghostport::core::InputError;
using ghostport::core::RuntimeError;
using ghostport::registry::download;
using ghostport::registry::install_registry_text;
using ghostport::registry::Registry;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string valid_csv =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,"
    "Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes\n"
    "echo,7,tcp,Echo,,,,2025-01-01,,,,\n";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class InstallTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "ghostport-update-XXXXXX").string();
        root_ = ::mkdtemp(tmpl.data());
    }
    void TearDown() override { fs::remove_all(root_); }
    std::size_t entries(const fs::path& dir) const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
    }
    fs::path root_;
};

// A self-signed certificate for 127.0.0.1 (an IP subjectAltName, so host verification passes) and its key.
class TestCertificate {
  public:
    TestCertificate() {
        key_ = EVP_EC_gen("P-256");
        cert_ = X509_new();
        if (!key_ || !cert_) throw std::runtime_error("test certificate: out of memory");
        X509_set_version(cert_, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert_), -60);
        X509_gmtime_adj(X509_getm_notAfter(cert_), 3600);
        X509_set_pubkey(cert_, key_);
        X509_NAME* name = X509_get_subject_name(cert_);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
        X509_set_issuer_name(cert_, name);
        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, cert_, cert_, nullptr, nullptr, 0);
        for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                         std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
            X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
            if (!ext) throw std::runtime_error("test certificate: bad extension");
            X509_add_ext(cert_, ext, -1);
            X509_EXTENSION_free(ext);
        }
        if (X509_sign(cert_, key_, EVP_sha256()) == 0)
            throw std::runtime_error("test certificate: sign failed");
    }
    ~TestCertificate() {
        X509_free(cert_);
        EVP_PKEY_free(key_);
    }
    TestCertificate(const TestCertificate&) = delete;
    TestCertificate& operator=(const TestCertificate&) = delete;
    // Writes the certificate as PEM to `path` (a CA file that trusts it).
    void write_pem(const fs::path& path) const {
        std::FILE* f = std::fopen(path.c_str(), "w");
        if (!f || PEM_write_X509(f, cert_) != 1)
            throw std::runtime_error("test certificate: cannot write PEM");
        std::fclose(f);
    }
    X509* cert() const { return cert_; }
    EVP_PKEY* key() const { return key_; }

  private:
    EVP_PKEY* key_ = nullptr;
    X509* cert_ = nullptr;
};

// A one-connection-at-a-time HTTP/1.0 server on 127.0.0.1 with an ephemeral port, for download() only;
// over TLS when given a certificate. /ok.csv -> 200 with valid_csv, /moved -> 302 to this server's /ok.csv,
// /relative -> 302 to "/ok.csv", /to-http -> 302 to `http_target`, anything else -> 404.
// Counts the connections it accepted.
class TinyServer {
  public:
    explicit TinyServer(const TestCertificate* cert = nullptr, std::string http_target = {})
        : http_target_(std::move(http_target)) {
        if (cert) {
            ctx_ = SSL_CTX_new(TLS_server_method());
            if (!ctx_ || SSL_CTX_use_certificate(ctx_, cert->cert()) != 1 ||
                SSL_CTX_use_PrivateKey(ctx_, cert->key()) != 1)
                throw std::runtime_error("test server: cannot set up TLS");
        }
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        socklen_t len = sizeof addr;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(fd_, 8) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            throw std::runtime_error("test server: cannot listen on 127.0.0.1");
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~TinyServer() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
        SSL_CTX_free(ctx_);
    }
    std::string url(std::string_view path) const {
        return std::string(ctx_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) +
               std::string(path);
    }
    int connections() const { return connections_; }

  private:
    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            ++connections_;
            const timeval tv{2, 0};  // bounds every read and write of this connection
            ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            ::setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            if (ctx_) {
                SSL* ssl = SSL_new(ctx_);
                SSL_set_fd(ssl, c);
                if (SSL_accept(ssl) == 1) {
                    respond(
                        [&](char* b, int n) { return SSL_read(ssl, b, n); },
                        [&](const std::string& r) { SSL_write(ssl, r.data(), static_cast<int>(r.size())); });
                    SSL_shutdown(ssl);
                }
                SSL_free(ssl);
            } else {
                respond([&](char* b,
                            int n) { return static_cast<int>(::recv(c, b, static_cast<std::size_t>(n), 0)); },
                        [&](const std::string& r) { ::send(c, r.data(), r.size(), MSG_NOSIGNAL); });
            }
            ::close(c);
        }
    }
    template <typename Read, typename Write>
    void respond(Read read, Write write) const {
        std::string request;
        char buf[1024];
        const auto deadline = std::chrono::steady_clock::now() + 2s;
        while (request.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            const int n = read(buf, static_cast<int>(sizeof buf));
            if (n <= 0) return;
            request.append(buf, static_cast<std::size_t>(n));
        }
        const auto sp1 = request.find(' ');
        const auto sp2 = request.find(' ', sp1 + 1);
        const std::string path = sp1 == std::string::npos ? "" : request.substr(sp1 + 1, sp2 - sp1 - 1);
        auto redirect = [](const std::string& to) {
            return "HTTP/1.0 302 Found\r\nLocation: " + to + "\r\nContent-Length: 0\r\n\r\n";
        };
        if (path == "/ok.csv")
            write("HTTP/1.0 200 OK\r\nContent-Type: text/csv\r\nContent-Length: " +
                  std::to_string(valid_csv.size()) + "\r\n\r\n" + valid_csv);
        else if (path == "/moved")
            write(redirect(url("/ok.csv")));
        else if (path == "/relative")
            write(redirect("/ok.csv"));
        else if (path == "/to-http")
            write(redirect(http_target_));
        else
            write(std::string("HTTP/1.0 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"));
    }

    SSL_CTX* ctx_ = nullptr;
    std::string http_target_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<int> connections_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// Keeps any proxy from the environment away from loopback requests.
void bypass_proxies() {
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
}

}  // namespace

TEST_F(InstallTest, WritesTheFileAndCreatesTheFolder) {
    const fs::path dest = root_ / "data" / "ghostport" / "service-names-port-numbers.csv";
    install_registry_text(valid_csv, dest);
    EXPECT_EQ(read_file(dest), valid_csv);
    EXPECT_EQ(entries(dest.parent_path()), 1u);  // no temporary file left behind
    EXPECT_EQ(Registry::load(dest).size(), 1u);
    EXPECT_EQ(fs::status(dest).permissions() & fs::perms::others_read, fs::perms::others_read);
}

TEST_F(InstallTest, ReplacesAnOlderCopy) {
    const fs::path dest = root_ / "registry.csv";
    std::ofstream(dest) << "old contents\n";
    install_registry_text(valid_csv, dest);
    EXPECT_EQ(read_file(dest), valid_csv);
    EXPECT_EQ(entries(root_), 1u);
}

TEST_F(InstallTest, InvalidTextWritesNothing) {
    const fs::path dest = root_ / "sub" / "registry.csv";
    EXPECT_THROW(install_registry_text("<html>Service Unavailable</html>", dest), InputError);
    EXPECT_THROW(install_registry_text("ssh 22/tcp\n", dest), InputError);  // services(5) is not IANA's CSV
    EXPECT_THROW(install_registry_text(valid_csv + "bad,70000,tcp,x,,,,,,,,\n", dest), InputError);
    EXPECT_THROW(install_registry_text(valid_csv.substr(0, valid_csv.find('\n') + 1), dest),
                 InputError);  // no records
    EXPECT_FALSE(fs::exists(root_ / "sub"));

    const fs::path existing = root_ / "registry.csv";
    std::ofstream(existing) << "previous\n";
    EXPECT_THROW(install_registry_text("", existing), InputError);
    EXPECT_EQ(read_file(existing), "previous\n");
    EXPECT_EQ(entries(root_), 1u);
}

TEST_F(InstallTest, DiskErrorsAreRuntimeErrors) {
    const fs::path blocker = root_ / "file";
    std::ofstream(blocker) << "x";
    EXPECT_THROW(install_registry_text(valid_csv, blocker / "registry.csv"), RuntimeError);
}

// A loopback TLS server with a certificate generated here, trusted through download()'s CA file.
class DownloadTest : public InstallTest {
  protected:
    void SetUp() override {
        InstallTest::SetUp();
        bypass_proxies();
        ca_file_ = (root_ / "ca.pem").string();
        cert_.write_pem(ca_file_);
    }
    TestCertificate cert_;
    std::string ca_file_;
};

TEST_F(DownloadTest, FetchesOverHttpsAndFollowsHttpsRedirects) {
    TinyServer server(&cert_);
    EXPECT_EQ(download(server.url("/ok.csv"), 5s, ca_file_), valid_csv);
    EXPECT_EQ(download(server.url("/moved"), 5s, ca_file_), valid_csv);
    EXPECT_EQ(download(server.url("/relative"), 5s, ca_file_), valid_csv);
    try {
        download(server.url("/missing"), 5s, ca_file_);
        FAIL() << "a 404 must fail";
    } catch (const RuntimeError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(server.url("/missing")), std::string::npos) << what;
        EXPECT_NE(what.find("HTTP status 404"), std::string::npos) << what;
    }
}

TEST_F(DownloadTest, AnUntrustedCertificateFails) {
    TinyServer server(&cert_);
    const fs::path other = root_ / "other-ca.pem";
    TestCertificate().write_pem(other);  // a valid CA file that does not trust the server
    try {
        download(server.url("/ok.csv"), 5s, other.string());
        FAIL() << "the server's certificate is not trusted";
    } catch (const RuntimeError& e) {
        EXPECT_NE(std::string(e.what()).find(server.url("/ok.csv") + ": download failed: "),
                  std::string::npos)
            << e.what();
    }
    EXPECT_GE(server.connections(), 1);
}

TEST_F(DownloadTest, ARedirectToPlainHttpIsRefusedBeforeItIsFollowed) {
    TinyServer plain;  // would serve the CSV over plain HTTP
    TinyServer server(&cert_, plain.url("/ok.csv"));
    try {
        download(server.url("/to-http"), 5s, ca_file_);
        FAIL() << "a redirect to http:// must be refused";
    } catch (const RuntimeError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(server.url("/to-http")), std::string::npos) << what;
        EXPECT_NE(what.find("refusing the redirect to " + plain.url("/ok.csv")), std::string::npos) << what;
    }
    EXPECT_EQ(plain.connections(), 0);
}

TEST_F(DownloadTest, APlainHttpUrlIsRefusedWithoutConnecting) {
    TinyServer plain;
    try {
        download(plain.url("/ok.csv"), 5s, ca_file_);
        FAIL() << "http:// must be refused";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("https://"), std::string::npos) << e.what();
    }
    EXPECT_THROW(download("HTTP://127.0.0.1:1/x.csv", 2s), InputError);
    EXPECT_THROW(download("file:///etc/services", 2s), InputError);
    EXPECT_THROW(download("ftp://127.0.0.1/x.csv", 2s), InputError);
    EXPECT_EQ(plain.connections(), 0);
}

TEST(Download, NetworkErrorsNameTheUrl) {
    bypass_proxies();
    // A port that was just free: nothing listens there.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    ::close(fd);
    const std::string url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x.csv";
    try {
        download(url, 2s);
        FAIL() << "nothing listens there";
    } catch (const RuntimeError& e) {
        EXPECT_NE(std::string(e.what()).find(url + ": download failed: "), std::string::npos) << e.what();
    }
}
