// SPDX-License-Identifier: GPL-2.0-or-later
// A report file that appears complete or not at all: written to a temporary file, then renamed over.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <utility>

namespace ghostport::output {

namespace detail {
class FdStreamBuf;
}

// Who creates a report's temporary file and puts it in place: this process (local_file_access()), or the
// privileged part of a scan that separated privileges, which does both for its unprivileged worker in
// folders the worker may not enter (cli/privsep.hpp). The content is always written by the caller.
class FileAccess {
  public:
    virtual ~FileAccess() = default;
    // A new temporary file next to `dest` with permissions `mode` exactly (the umask is not applied): its
    // descriptor (the caller's now) and path. Throws core::RuntimeError naming dest and the reason.
    virtual std::pair<int, std::filesystem::path> create_temp(const std::filesystem::path& dest,
                                                              unsigned mode) = 0;
    // Renames `temp` (made by create_temp for `dest`, written and fsynced) over dest, then fsyncs the
    // folder. Throws core::RuntimeError naming dest and the reason.
    virtual void publish(const std::filesystem::path& temp, const std::filesystem::path& dest) = 0;
    // Removes `temp` (abandoned). Never throws.
    virtual void discard(const std::filesystem::path& temp) noexcept = 0;
    // Removes `dest` when it exists (a finished scan's checkpoint). Never throws.
    virtual void remove(const std::filesystem::path& dest) noexcept = 0;
};

// This process's own file system access. Stateless; one instance for all.
FileAccess& local_file_access();

// RAII. The constructor creates a new temporary file next to dest (same folder, so the rename is atomic)
// with permissions `mode` exactly (0600 by default: reports say what listens where; the umask is not
// applied). Write through stream(); commit() flushes, fsyncs and renames it over
// dest, then fsyncs the folder. Destroyed without a successful commit(), it removes the temporary file and
// dest is left as it was. A symlink at dest is replaced, not followed. Not copyable or movable.
// Failures throw core::RuntimeError naming the path and the system's reason (strerror): the temporary file
// cannot be created (missing or unwritable folder), a write fails (a full disk, a file size limit), or the
// rename fails (dest is a folder).
class AtomicFile {
  public:
    explicit AtomicFile(std::filesystem::path dest, unsigned mode = 0600,
                        FileAccess& access = local_file_access());
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();

    // The stream to write the content to; valid for the object's life. Write errors set its badbit and are
    // reported by commit().
    std::ostream& stream();

    // Publishes the content at dest, or throws core::RuntimeError (the temporary file is then removed by the
    // destructor). Call it once: calling it again, after success or failure, throws std::logic_error.
    void commit();

    // The destination path, as given.
    const std::filesystem::path& path() const { return dest_; }

  private:
    std::filesystem::path dest_;
    std::filesystem::path temp_;
    FileAccess& access_;
    int fd_ = -1;
    bool committed_ = false;
    std::unique_ptr<detail::FdStreamBuf> buf_;
    std::ostream stream_;
};

}  // namespace ghostport::output
