// SPDX-License-Identifier: GPL-2.0-or-later
// Privilege separation: a scan run as root (or with file capabilities) splits in two before it reads a
// single packet or banner from the network.
//
// - The privileged part (the parent; it stays the invoking user with its capabilities) parses nothing from
//   the network. It opens, on request, the raw sockets the engines send from, the packet captures they read
//   answers from (building each capture's BPF filter itself, from the request's kind and ports, and
//   relaying the captured frames unparsed), and the report and checkpoint files of this run: their
//   temporary files, their renames into place and their removal, only for the paths named on the command
//   line, as the invoking user (so `-o /var/lib/ghostport/audit.csv` works in a folder only root enters).
//   It forwards SIGTERM, SIGHUP and a SIGINT sent to it by a process to the worker, and exits with the
//   worker's status.
// - The worker (the child) runs the scan: targets, engines, identification, labels and sinks. As root it
//   becomes `nobody` (or --drop-user, or the sudo user) with no groups; in every case its effective,
//   permitted, inheritable, ambient and (when it may drop it) bounding capability sets are empty and
//   no_new_privs is set. It dies with the privileged part (PR_SET_PDEATHSIG).
// - They talk over one SOCK_SEQPACKET socket pair: one request, one reply, descriptors passed with
//   SCM_RIGHTS. Every request is checked by the privileged part; a malformed one is refused.
// - The same channel carries later needs: a capture opened mid-scan (a route through a new interface, UDP)
//   is one more request, and `listeners --all-namespaces` fits as a request for a NETLINK_SOCK_DIAG socket
//   opened inside a named namespace.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli/privileges.hpp"
#include "output/atomic_file.hpp"
#include "scanner/raw_access.hpp"

namespace ghostport::cli {

// The worker's side: raw sockets, captures and files through the privileged part.
class PrivsepClient final : public scanner::RawAccess, public output::FileAccess {
  public:
    explicit PrivsepClient(int channel) : fd_(channel) {}
    ~PrivsepClient() override;
    PrivsepClient(const PrivsepClient&) = delete;
    PrivsepClient& operator=(const PrivsepClient&) = delete;

    int raw_socket(const core::Address& source, int protocol) override;
    std::unique_ptr<scanner::Capture> capture(const scanner::CaptureRequest& request) override;

    std::pair<int, std::filesystem::path> create_temp(const std::filesystem::path& dest,
                                                      unsigned mode) override;
    void publish(const std::filesystem::path& temp, const std::filesystem::path& dest) override;
    void discard(const std::filesystem::path& temp) noexcept override;
    void remove(const std::filesystem::path& dest) noexcept override;

  private:
    int fd_;
    std::mutex mutex_;  // one request and its reply at a time, from any thread
};

struct PrivsepPlan {
    DropTarget worker;                         // who the worker becomes when this process is root
    std::vector<std::filesystem::path> files;  // the only paths the worker may create, replace or remove
};

// Whether this process holds privileges worth separating: euid 0, or any permitted capability.
bool privileged_process();

// Splits the process (see above); call it while the process has one thread. In the worker, returns its
// client. In the privileged part it never returns: it serves the worker and exits with its status. Throws
// core::RuntimeError when the split cannot be made (no process is left half-split).
std::unique_ptr<PrivsepClient> separate_privileges(const PrivsepPlan& plan);

// Ends the worker with `code` once everything it writes is out: standard output and error flushed, then
// _exit, without freeing what it inherited at the split. Its heap (the registry, the prevalence table) is
// shared copy-on-write with the privileged part, so freeing it copies every page it touches (20 ms at the
// end of a scan on a virtual machine). Under AddressSanitizer it returns instead, so that the leak check at
// exit still covers the worker.
void end_worker(int code);

namespace detail {
// A message as either side decodes it (a request, or a reply whose op is its status). Returns the
// decoded operation and fields, or an empty op when the bytes are not a well-formed request.
struct Request {
    std::uint8_t op = 0;
    std::vector<std::string> strings;
    std::vector<std::uint32_t> numbers;
};
Request decode_request(const std::uint8_t* data, std::size_t size);
}  // namespace detail

}  // namespace ghostport::cli
