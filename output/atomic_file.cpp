// SPDX-License-Identifier: GPL-2.0-or-later
// A report file that appears complete or not at all: written to a temporary file, then renamed over.
#include "output/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <streambuf>
#include <system_error>
#include <tuple>
#include <vector>

#include "core/errors.hpp"

namespace ghostport::output {

namespace detail {

// An output streambuf over a file descriptor that remembers the errno of the first failed write; once a
// write fails, everything after it is refused.
class FdStreamBuf : public std::streambuf {
  public:
    explicit FdStreamBuf(int fd) : fd_(fd), buffer_(64 * 1024) {
        setp(buffer_.data(), buffer_.data() + buffer_.size());
    }

    // errno of the first failed write, 0 while none failed.
    int error() const { return error_; }

  protected:
    int_type overflow(int_type ch) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }

    int sync() override { return drain() ? 0 : -1; }

  private:
    bool drain() {
        if (error_ != 0) return false;
        const char* p = pbase();
        while (p < pptr()) {
            const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
            if (n < 0) {
                if (errno == EINTR) continue;
                error_ = errno;
                return false;
            }
            p += n;
        }
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return true;
    }

    int fd_;
    int error_ = 0;
    std::vector<char> buffer_;
};

}  // namespace detail

namespace {

std::string reason(int err) {
    return std::system_category().message(err);
}

[[noreturn]] void fail(std::string_view what, const std::filesystem::path& path, int err) {
    throw core::RuntimeError(fmt::format("{} {}: {}", what, path.string(), reason(err)));
}

// A name unlikely to be taken; creation uses O_EXCL anyway and retries on a clash.
std::string temp_suffix(unsigned attempt) {
    const auto now =
        static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
    const auto mixed =
        (now * 0x9E3779B97F4A7C15ull) ^ (static_cast<unsigned long long>(::getpid()) << 20) ^ attempt;
    return fmt::format("{:012x}", mixed & 0xFFFFFFFFFFFFull);
}

}  // namespace

namespace {

std::filesystem::path folder_of(const std::filesystem::path& dest) {
    return dest.has_parent_path() ? dest.parent_path() : std::filesystem::path(".");
}

class LocalFileAccess final : public FileAccess {
  public:
    std::pair<int, std::filesystem::path> create_temp(const std::filesystem::path& dest,
                                                      unsigned mode) override {
        if (!dest.has_filename()) fail("cannot write", dest, EISDIR);
        for (unsigned attempt = 0; attempt < 100; ++attempt) {
            std::filesystem::path candidate =
                folder_of(dest) / fmt::format(".{}.tmp-{}", dest.filename().string(), temp_suffix(attempt));
            const int fd =
                ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (fd >= 0) {
                // Exactly `mode`, whatever the process umask; a failure leaves the safer 0600 (or less).
                if (::fchmod(fd, static_cast<mode_t>(mode & 07777)) != 0) {
                    const int err = errno;
                    ::close(fd);
                    ::unlink(candidate.c_str());
                    fail("cannot set the permissions of a temporary file for", dest, err);
                }
                return {fd, std::move(candidate)};
            }
            if (errno != EEXIST) fail("cannot create a temporary file for", dest, errno);
        }
        fail("cannot create a temporary file for", dest, EEXIST);
    }

    void publish(const std::filesystem::path& temp, const std::filesystem::path& dest) override {
        if (::rename(temp.c_str(), dest.c_str()) != 0) fail("cannot replace", dest, errno);
        // Make the rename itself durable; the content is already safe, so a failure here is not reported.
        const int dir = ::open(folder_of(dest).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }

    void discard(const std::filesystem::path& temp) noexcept override { ::unlink(temp.c_str()); }

    void remove(const std::filesystem::path& dest) noexcept override { ::unlink(dest.c_str()); }
};

}  // namespace

FileAccess& local_file_access() {
    static LocalFileAccess access;
    return access;
}

AtomicFile::AtomicFile(std::filesystem::path dest, unsigned mode, FileAccess& access)
    : dest_(std::move(dest)), access_(access), stream_(nullptr) {
    std::tie(fd_, temp_) = access_.create_temp(dest_, mode);
    buf_ = std::make_unique<detail::FdStreamBuf>(fd_);
    stream_.rdbuf(buf_.get());
}

AtomicFile::~AtomicFile() {
    stream_.rdbuf(nullptr);
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temp_.empty()) access_.discard(temp_);
}

std::ostream& AtomicFile::stream() {
    return stream_;
}

void AtomicFile::commit() {
    if (committed_ || fd_ < 0)
        throw std::logic_error("AtomicFile::commit called again after it succeeded or failed");
    stream_.flush();
    if (buf_->error() != 0) fail("cannot write", dest_, buf_->error());
    if (!stream_) fail("cannot write", dest_, EIO);
    if (::fsync(fd_) != 0) fail("cannot write", dest_, errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("cannot write", dest_, errno);
    access_.publish(temp_, dest_);
    committed_ = true;
}

}  // namespace ghostport::output
