// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/raw_sender.hpp"

#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "scanner/raw_access.hpp"

namespace ghostport::scanner {

bool raw_sockets_permitted() {
    int fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

RawSender::RawSender(RawAccess& raw) : raw_(raw) {}

RawSender::~RawSender() {
    helper_.reset();  // lets a batch it is sending go out, and stops it, before the sockets close
    for (auto& b : batches_)
        if (b->fd >= 0) ::close(b->fd);  // a channel's spare shares its socket
}

int RawSender::channel_for(const core::Address& source) {
    for (std::size_t i = 0; i < channels_.size(); ++i) {
        const auto& c = channels_[i];
        if (c.family == source.family && (source.is_v4() || c.source == source)) return static_cast<int>(i);
    }
    const int fd = raw_.raw_socket(source, IPPROTO_TCP);
    auto make_batch = [fd] {
        auto b = std::make_unique<Batch>();
        b->fd = fd;
        for (std::size_t i = 0; i < batch_size; ++i) {
            b->iov[i].iov_base = b->buffers[i].data();
            b->msgs[i].msg_hdr.msg_iov = &b->iov[i];
            b->msgs[i].msg_hdr.msg_iovlen = 1;
            b->msgs[i].msg_hdr.msg_name = &b->dst[i];
        }
        return b;
    };
    channels_.push_back({source.family, source});
    batches_.push_back(make_batch());
    spares_.push_back(make_batch());
    return static_cast<int>(channels_.size() - 1);
}

std::span<std::uint8_t, probes::max_syn_size> RawSender::buffer(int channel) {
    Batch& b = *batches_[static_cast<std::size_t>(channel)];
    return std::span<std::uint8_t, probes::max_syn_size>(b.buffers[b.count]);
}

void RawSender::commit(int channel, const core::Address& dst, std::size_t length, std::uint64_t tag) {
    Batch& b = *batches_[static_cast<std::size_t>(channel)];
    const std::size_t i = b.count++;
    b.iov[i].iov_len = length;
    b.tags[i] = tag;
    auto& name = b.msgs[i].msg_hdr;
    if (dst.is_v4()) {
        auto* sa = reinterpret_cast<sockaddr_in*>(&b.dst[i]);
        *sa = sockaddr_in{};
        sa->sin_family = AF_INET;
        std::memcpy(&sa->sin_addr, dst.bytes.data(), 4);
        name.msg_namelen = sizeof(sockaddr_in);
    } else {
        auto* sa = reinterpret_cast<sockaddr_in6*>(&b.dst[i]);
        *sa = sockaddr_in6{};
        sa->sin6_family = AF_INET6;
        std::memcpy(&sa->sin6_addr, dst.bytes.data(), 16);
        name.msg_namelen = sizeof(sockaddr_in6);
    }
}

std::size_t RawSender::send_all(Batch& b, std::vector<Refused>& refused) {
    std::size_t sent = 0, from = 0;
    while (from < b.count) {
        const int n = ::sendmmsg(b.fd, &b.msgs[from], static_cast<unsigned>(b.count - from), 0);
        if (n > 0) {
            from += static_cast<std::size_t>(n);
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {  // the first message of the rest was refused: report it and go on with the next
            refused.push_back({b.tags[from], n < 0 ? errno : EIO});
            ++from;
        }
    }
    return sent;
}

// One thread that sends whole batches handed to it, one at a time.
class RawSender::Helper {
  public:
    Helper() : thread_([this] { run(); }) {}
    ~Helper() {
        for (int s; (s = state_.load(std::memory_order_acquire)) == job;) state_.wait(s);
        state_.store(quit, std::memory_order_release);
        state_.notify_one();
        thread_.join();
    }
    // Whether a batch may be handed over now; when one was sent, its refused messages go to `refused`.
    bool free(std::vector<Refused>& refused) {
        const int s = state_.load(std::memory_order_acquire);
        if (s == done) {
            refused.insert(refused.end(), refused_.begin(), refused_.end());
            refused_.clear();
            state_.store(idle, std::memory_order_relaxed);
        }
        return s != job;
    }
    void start(Batch& b) {
        batch_ = &b;
        state_.store(job, std::memory_order_release);
        state_.notify_one();
    }

  private:
    static constexpr int idle = 0, job = 1, done = 2, quit = 3;
    void run() {
        for (;;) {
            const int s = state_.load(std::memory_order_acquire);
            if (s == quit) return;
            if (s != job) {
                state_.wait(s, std::memory_order_acquire);
                continue;
            }
            send_all(*batch_, refused_);
            batch_->count = 0;
            state_.store(done, std::memory_order_release);
            state_.notify_all();
        }
    }

    Batch* batch_ = nullptr;
    std::vector<Refused> refused_;
    std::atomic<int> state_{idle};
    std::thread thread_;  // last: started once everything it reads is constructed
};

std::size_t RawSender::flush_batch(std::size_t channel) {
    constexpr std::size_t handover_at = 16;
    const bool helper_free = helper_ && helper_->free(errors_);  // reaps what it sent, at every call
    Batch& b = *batches_[channel];
    const std::size_t queued = b.count;
    if (queued == 0) return 0;
    if (queued >= handover_at && !helper_ && std::thread::hardware_concurrency() >= 2) {
        helper_ = std::make_unique<Helper>();
        helper_->start(b);
        std::swap(batches_[channel], spares_[channel]);
    } else if (queued >= handover_at && helper_free) {
        helper_->start(b);  // the spare it had before is free again: the channel fills that one now
        std::swap(batches_[channel], spares_[channel]);
    } else {
        send_all(b, errors_);
        b.count = 0;
    }
    return queued;
}

}  // namespace ghostport::scanner
