// SPDX-License-Identifier: GPL-2.0-or-later
// Packets the kernel dropped on their way out of the interfaces a scan sends through: the earliest sign
// that the sender outruns the first hop (a TUN device's reader, a veth peer's backlog, a NIC's queue).
//
// Design notes
// - Read from /proc/self/net/dev, which shows the devices of the reading thread's network namespace (sysfs
//   shows those of the namespace it was mounted in, which is not always ours). The TX "drop" column is the
//   device's tx_dropped counter.
// - Counts are deltas from the first reading of each interface, so drops from before the scan never count.
// - The file is opened once and re-read with pread(); one read costs a few microseconds per device.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ghostport::scanner {

// The TX drop counter of `ifname` in the text of /proc/net/dev, or nullopt when the device is not listed
// or its line is malformed.
std::optional<std::uint64_t> tx_dropped_in(std::string_view proc_net_dev, std::string_view ifname);

class LinkDrops {
  public:
    // Opens `path` (a file in /proc/net/dev's format; tests pass their own); when it cannot be read the
    // counts stay 0 (the signal is lost, not the scan).
    explicit LinkDrops(const char* path = "/proc/self/net/dev");
    ~LinkDrops();
    LinkDrops(const LinkDrops&) = delete;
    LinkDrops& operator=(const LinkDrops&) = delete;

    // Starts counting drops on `ifname` (again is harmless).
    void watch(const std::string& ifname);
    // Drops on the watched interfaces since each was first watched.
    std::uint64_t total();

  private:
    struct Link {
        std::string name;
        std::optional<std::uint64_t> base;  // the first reading
        std::uint64_t last = 0;
    };
    bool read_file();

    int fd_ = -1;
    std::string text_;
    std::vector<Link> links_;
};

}  // namespace ghostport::scanner
