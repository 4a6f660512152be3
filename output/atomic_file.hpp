// A report file that appears complete or not at all: written to a temporary file, then renamed over.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>

namespace ghostport::output {

namespace detail {
class FdStreamBuf;
}

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
    explicit AtomicFile(std::filesystem::path dest, unsigned mode = 0600);
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
    int fd_ = -1;
    bool committed_ = false;
    std::unique_ptr<detail::FdStreamBuf> buf_;
    std::ostream stream_;
};

}  // namespace ghostport::output
