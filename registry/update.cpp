// SPDX-License-Identifier: GPL-2.0-or-later
// `ghostport registry update/install`: fetching IANA's CSV and installing it atomically.
#include "registry/update.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>

#include "core/errors.hpp"
#include "registry/registry.hpp"

namespace ghostport::registry {

namespace fs = std::filesystem;

namespace {

// Closes the descriptor and removes the temporary file unless released.
class TempFile {
  public:
    TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    // Closes the descriptor, reporting errors (a failed close can mean lost data).
    bool close() {
        const int fd = std::exchange(fd_, -1);
        return ::close(fd) == 0;
    }
    void release() { path_.clear(); }

  private:
    int fd_;
    std::string path_;
};

[[noreturn]] void disk_error(const fs::path& path, std::string_view what) {
    throw core::RuntimeError(fmt::format("{}: {}: {}", path.string(), what, std::strerror(errno)));
}

struct Body {
    std::string data;
    bool too_large = false;
};

std::size_t on_data(char* ptr, std::size_t size, std::size_t nmemb, void* user) {
    auto* body = static_cast<Body*>(user);
    const std::size_t n = size * nmemb;
    if (body->data.size() + n > max_download_bytes) {
        body->too_large = true;
        return 0;  // makes curl fail with CURLE_WRITE_ERROR
    }
    body->data.append(ptr, n);
    return n;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

constexpr int max_redirects = 10;

// True when `url` starts with "https://" (scheme in any case).
bool is_https(std::string_view url) {
    constexpr std::string_view scheme = "https://";
    if (url.size() < scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
    return true;
}

}  // namespace

void install_registry_text(std::string_view text, const fs::path& dest) {
    const Registry registry = Registry::from_iana_csv(text, "new registry for " + dest.string());
    bool any_port = false;
    for (const auto& r : registry.records()) any_port = any_port || r.has_port;
    if (!any_port)
        throw core::InputError(
            fmt::format("{}: refusing to install a registry without port entries", dest.string()));

    const fs::path dir = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw core::RuntimeError(fmt::format("{}: cannot create folder: {}", dir.string(), ec.message()));

    std::string tmpl = (dir / ("." + dest.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) disk_error(dir, "cannot create a temporary file");
    TempFile tmp(fd, tmpl);
    ::fchmod(fd, 0644);  // mkstemp creates 0600; the registry is public data

    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) disk_error(tmp.path(), "write failed");
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) disk_error(tmp.path(), "fsync failed");
    if (!tmp.close()) disk_error(tmp.path(), "close failed");
    if (::rename(tmp.path().c_str(), dest.c_str()) != 0)
        disk_error(dest, "cannot rename the temporary file over it");
    tmp.release();

    // Make the rename itself durable.
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
}

std::string download(const std::string& url, std::chrono::seconds timeout, const std::string& ca_file) {
    if (!is_https(url))
        throw core::InputError(
            fmt::format("{}: refusing to download the registry over anything but https://", url));
    static std::once_flag init_once;
    std::call_once(init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) throw core::RuntimeError(fmt::format("{}: cannot initialise libcurl", url));
    CURL* c = curl.get();
    Body body;
    char error[CURL_ERROR_SIZE] = {};
    // Redirects are followed here, not by libcurl, so that each target is checked before it is contacted.
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_download_bytes));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "ghostport");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

    std::string current = url;
    for (int redirects = 0;; ++redirects) {
        body = Body{};
        error[0] = '\0';
        curl_easy_setopt(c, CURLOPT_URL, current.c_str());
        const CURLcode rc = curl_easy_perform(c);
        if (body.too_large || rc == CURLE_FILESIZE_EXCEEDED)
            throw core::RuntimeError(
                fmt::format("{}: download failed: larger than {} MiB", url, max_download_bytes >> 20));
        if (rc != CURLE_OK)
            throw core::RuntimeError(fmt::format("{}: download failed: {}", url,
                                                 error[0] != '\0' ? error : curl_easy_strerror(rc)));
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        char* location = nullptr;
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
        if (status >= 300 && status < 400 && location != nullptr) {
            const std::string target = location;
            if (!is_https(target))
                throw core::RuntimeError(fmt::format(
                    "{}: download failed: refusing the redirect to {} (not https://)", url, target));
            if (redirects >= max_redirects)
                throw core::RuntimeError(
                    fmt::format("{}: download failed: more than {} redirects", url, max_redirects));
            current = target;
            continue;
        }
        if (status >= 400)
            throw core::RuntimeError(fmt::format("{}: download failed: HTTP status {}", url, status));
        return std::move(body.data);
    }
}

}  // namespace ghostport::registry
