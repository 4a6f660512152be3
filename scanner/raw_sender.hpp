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
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/address.hpp"
#include "probes/syn_template.hpp"

namespace ghostport::scanner {

// Whether this process may open raw IP sockets (root or CAP_NET_RAW).
bool raw_sockets_permitted();

class RawSender {
  public:
    static constexpr std::size_t batch_size = 64;

    RawSender() = default;
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
    void commit(int channel, const core::Address& dst, std::size_t length, std::uint32_t tag);

    // Sends everything queued on every channel. on_error(tag, errno) is called for each probe the kernel
    // refused (the rest went out). Returns how many probes went out.
    template <class F>
    std::size_t flush(F&& on_error) {
        std::size_t sent = 0;
        for (auto& b : batches_) sent += flush_batch(*b, on_error);
        return sent;
    }

  private:
    struct Batch {
        int fd = -1;
        std::size_t count = 0;
        std::array<probes::SynBuffer, batch_size> buffers{};
        std::array<iovec, batch_size> iov{};
        std::array<sockaddr_storage, batch_size> dst{};
        std::array<mmsghdr, batch_size> msgs{};
        std::array<std::uint32_t, batch_size> tags{};
    };

    // Sends b's messages; returns the count sent. Messages the kernel refuses are reported and skipped.
    template <class F>
    std::size_t flush_batch(Batch& b, F& on_error) {
        std::size_t done = 0, sent = 0;
        while (done < b.count) {
            int err = 0;
            int n = send_some(b, done, err);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                sent += static_cast<std::size_t>(n);
            } else {
                on_error(b.tags[done], err);
                ++done;
            }
        }
        b.count = 0;
        return sent;
    }
    static int send_some(Batch& b, std::size_t from, int& err);

    struct Channel {
        core::Family family;
        core::Address source;  // IPv6 only
    };
    std::vector<Channel> channels_;
    std::vector<std::unique_ptr<Batch>> batches_;  // one per channel
};

}  // namespace ghostport::scanner
