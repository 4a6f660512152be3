#include "registry/update.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
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

// A one-connection-at-a-time HTTP/1.0 server on 127.0.0.1 with an ephemeral port, for download() only.
// /ok.csv -> 200 with valid_csv, /moved -> 302 to /ok.csv, anything else -> 404.
class TinyHttpServer {
  public:
    TinyHttpServer() {
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
    ~TinyHttpServer() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    std::string url(std::string_view path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
    }

  private:
    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            respond(c);
            ::close(c);
        }
    }
    static void respond(int c) {
        std::string request;
        char buf[1024];
        const auto deadline = std::chrono::steady_clock::now() + 2s;
        while (request.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd p{c, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) return;
            request.append(buf, static_cast<std::size_t>(n));
        }
        const auto sp1 = request.find(' ');
        const auto sp2 = request.find(' ', sp1 + 1);
        const std::string path = sp1 == std::string::npos ? "" : request.substr(sp1 + 1, sp2 - sp1 - 1);
        std::string response;
        if (path == "/ok.csv")
            response = "HTTP/1.0 200 OK\r\nContent-Type: text/csv\r\nContent-Length: " +
                       std::to_string(valid_csv.size()) + "\r\n\r\n" + valid_csv;
        else if (path == "/moved")
            response = "HTTP/1.0 302 Found\r\nLocation: /ok.csv\r\nContent-Length: 0\r\n\r\n";
        else
            response = "HTTP/1.0 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found";
        ::send(c, response.data(), response.size(), MSG_NOSIGNAL);
    }

    int fd_ = -1;
    std::uint16_t port_ = 0;
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

TEST(Download, FetchesFollowsRedirectsAndReportsHttpErrors) {
    bypass_proxies();
    TinyHttpServer server;
    EXPECT_EQ(download(server.url("/ok.csv"), 5s), valid_csv);
    EXPECT_EQ(download(server.url("/moved"), 5s), valid_csv);
    try {
        download(server.url("/missing"), 5s);
        FAIL() << "a 404 must fail";
    } catch (const RuntimeError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(server.url("/missing")), std::string::npos) << what;
        EXPECT_NE(what.find("HTTP status 404"), std::string::npos) << what;
    }
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
    const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x.csv";
    try {
        download(url, 2s);
        FAIL() << "nothing listens there";
    } catch (const RuntimeError& e) {
        EXPECT_NE(std::string(e.what()).find(url + ": download failed: "), std::string::npos) << e.what();
    }
    EXPECT_THROW(download("file:///etc/services", 2s), RuntimeError);  // only http and https
}
