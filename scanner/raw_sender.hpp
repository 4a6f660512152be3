// SPDX-License-Identifier: GPL-2.0-or-later
// The SYN engine's send path: raw IP sockets, so the kernel routes every probe and resolves neighbours
// (local subnets, gateways, tun/VPN devices and loopback all work with nothing to configure), and batches of
// probes handed to the kernel with one sendmmsg(2) call.
//
// Design notes
// - IPv4: one AF_INET/IPPROTO_RAW socket (the header is ours, IP_HDRINCL implied) serves every source
// address.
// - IPv6: one AF_INET6/IPPROTO_TCP socket per source address, bound to it, since SynTemplate's IPv6 probes
// are
//   the TCP header alone and their checksum covers that source. Such a socket would also receive a copy of
//   every inbound TCP/IPv6 packet; a drop-everything socket filter and a minimal receive buffer stop that.
// - Sockets block: a full device queue slows the sender down instead of losing probes.
// - Probes are written straight into the batch's buffers (no copy, no allocation per probe).
// - A probe's cost is mostly the kernel's (routing, the device, and on a veth or loopback path the receiving
//   side's work too, all in the sending thread), so batches of 16 or more alternate between a helper
//   thread and the caller: each channel has two batches, and while the helper sends one the caller fills
//   the other and, if the helper is still busy when that one is full, sends it itself. Two sendmmsg(2)
//   calls then run at once on the same socket, and the caller never waits for the helper.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/address.hpp"
#include "probes/syn_template.hpp"

namespace ghostport::scanner {

class RawAccess;  // scanner/raw_access.hpp

// Whether this process may open raw IP sockets (root or CAP_NET_RAW).
bool raw_sockets_permitted();

class RawSender {
  public:
    static constexpr std::size_t batch_size = 64;

    // Raw sockets come from `raw` (this process, or the privileged part of a separated scan).
    explicit RawSender(RawAccess& raw);
    ~RawSender();
    RawSender(const RawSender&) = delete;
    RawSender& operator=(const RawSender&) = delete;

    // The socket to send probes from `source` through; opens it on first use. Throws core::RuntimeError.
    int channel_for(const core::Address& source);

    // A buffer for the next probe on `channel`: patch the probe into it, then commit() it. When the batch is
    // full, call flush() first (full() tells).
    bool full(int channel) const { return batches_[static_cast<std::size_t>(channel)]->count == batch_size; }
    std::span<std::uint8_t, probes::max_syn_size> buffer(int channel);
    // Queues the probe just written: `length` bytes to `dst`, with a `tag` flush() reports it by.
    void commit(int channel, const core::Address& dst, std::size_t length, std::uint64_t tag);

    // Sends everything queued on every channel. on_error(tag, errno) is called for each probe the kernel
    // refused (the rest went out); for a batch handed to the helper thread, at a later call (well within a
    // millisecond), so call this often, even with nothing queued. Returns how many probes were queued.
    template <class F>
    std::size_t flush(F&& on_error) {
        std::size_t queued = 0;
        for (std::size_t c = 0; c < batches_.size(); ++c) queued += flush_batch(c);
        for (const auto& [tag, err] : errors_) on_error(tag, err);
        errors_.clear();
        return queued;
    }

  private:
    struct Batch {
        int fd = -1;
        std::size_t count = 0;
        std::array<probes::SynBuffer, batch_size> buffers{};
        std::array<iovec, batch_size> iov{};
        std::array<sockaddr_storage, batch_size> dst{};
        std::array<mmsghdr, batch_size> msgs{};
        std::array<std::uint64_t, batch_size> tags{};
    };
    struct Refused {
        std::uint64_t tag;
        int err;
    };
    class Helper;

    // Sends the channel's batch: a large one is handed to the helper thread when it is free (the channel
    // goes on with its spare), else sent here; refused messages go to errors_. Returns the count queued.
    std::size_t flush_batch(std::size_t channel);
    // Sends b's messages; refused ones are appended to `refused`. Returns the count sent.
    static std::size_t send_all(Batch& b, std::vector<Refused>& refused);

    struct Channel {
        core::Family family;
        core::Address source;  // IPv6 only
    };
    std::vector<Channel> channels_;
    std::vector<std::unique_ptr<Batch>> batches_;  // one per channel: the one being filled
    std::vector<std::unique_ptr<Batch>> spares_;   // one per channel: the other, perhaps with the helper
    std::vector<Refused> errors_;
    RawAccess& raw_;
    std::unique_ptr<Helper> helper_;  // started with the first large batch, on machines with 2+ cores
};

}  // namespace ghostport::scanner
