// SPDX-License-Identifier: GPL-2.0-or-later
// --resume FILE: the checkpoint of a scan, so that an interrupted scan (Ctrl-C, SIGTERM, or SIGKILL with at
// most the last checkpoint interval lost) continues where it stopped and ends with the report an
// uninterrupted run would have written.
//
// The file is JSON (one object): the scan's own arguments, the seed it drew, the live hosts when discovery
// had finished, the walk position (every probe below `low` decided, and the runs decided above it), the
// result counters, the results kept so far and (with -sV) the services identified so far. It is written
// atomically, so it is never seen half-written.
//
// Format version 2 (-sU): each result is [host, port, state, reason, rtt_us, scanned_at ms, proto] with
// proto "tcp" or "udp", state and reason the numeric core::PortState and core::Reason (every value,
// open|filtered and the UDP reasons included), counts has one number per state (5), and each service
// names its proto. Version 1 files (no proto: TCP; 4 counts) are still read.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/service.hpp"
#include "output/atomic_file.hpp"

namespace ghostport::cli {

struct ResumeState {
    std::vector<std::string> argv;  // the arguments after the program name, `scan` first
    std::uint64_t seed = 0;
    std::optional<std::vector<core::Address>> live_hosts;  // set once discovery has finished
    std::uint64_t low = 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> above;
    std::array<std::uint64_t, core::port_state_count> counts{};  // by core::PortState
    std::vector<core::Address> responsive;
    std::vector<core::PortResult> results;
    // -sV: what identification had found, by (host, port, proto); an open result with none is identified
    // again.
    std::map<core::PortKey, core::ServiceInfo> services;
    std::chrono::system_clock::time_point started_at{};
};

// The state in FILE; nullopt when FILE does not exist. Throws core::InputError "FILE: ..." when it exists
// but is not a ghostport resume file or is damaged.
std::optional<ResumeState> load_resume_file(const std::string& path);

// Writes the state to FILE atomically, with permissions `mode` (it holds the results: 0600 by default),
// through `files` (the privileged part of a separated scan creates and renames it). Throws
// core::RuntimeError when it cannot.
void save_resume_file(const std::string& path, const ResumeState& state, unsigned mode = 0600,
                      output::FileAccess& files = output::local_file_access());

// When `args` (after the program name) are `scan ... --resume FILE ...` and FILE holds a checkpoint, the
// arguments of the interrupted scan; otherwise nullopt. The stored arguments are trusted only from a file
// that no other user could have written: a regular file (not a symlink) owned by the invoking (real) user,
// mode 0600, in a folder that only its owner (that user or root) may write. And they may not change what
// this command says: every other argument given with --resume must be among the stored ones. Otherwise
// throws core::InputError saying why.
std::optional<std::vector<std::string>> resumed_arguments(const std::vector<std::string>& args);

// Throws core::InputError when FILE is not a file the invoking user alone could have written (see above).
void check_trusted_file(const std::string& path, std::string_view what);

}  // namespace ghostport::cli
