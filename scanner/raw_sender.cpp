#include "scanner/raw_sender.hpp"

#include <linux/filter.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::scanner {

namespace {

constexpr int send_buffer = 4 << 20;

core::RuntimeError socket_error(std::string_view what, int err) {
    if (err == EPERM || err == EACCES)
        return core::RuntimeError(
            fmt::format("cannot open a raw socket ({}): the SYN engine needs root or CAP_NET_RAW; "
                        "use --engine connect",
                        what));
    return core::RuntimeError(fmt::format("cannot open a raw socket ({}): {}", what, std::strerror(err)));
}

int open_v4() {
    int fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (fd < 0) throw socket_error("IPv4", errno);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    return fd;
}

int open_v6(const core::Address& source) {
    int fd = ::socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) throw socket_error("IPv6", errno);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    // Never receive: the capture does that. Drop every inbound copy in the kernel.
    sock_filter drop_all{BPF_RET | BPF_K, 0, 0, 0};
    sock_fprog program{1, &drop_all};
    ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program);
    int small = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    std::memcpy(&sa.sin6_addr, source.bytes.data(), 16);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        int err = errno;
        ::close(fd);
        throw core::RuntimeError(
            fmt::format("cannot send from {}: bind: {}", source.to_string(), std::strerror(err)));
    }
    return fd;
}

}  // namespace

bool raw_sockets_permitted() {
    int fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

RawSender::~RawSender() {
    for (auto& b : batches_)
        if (b->fd >= 0) ::close(b->fd);
}

int RawSender::channel_for(const core::Address& source) {
    for (std::size_t i = 0; i < channels_.size(); ++i) {
        const auto& c = channels_[i];
        if (c.family == source.family && (source.is_v4() || c.source == source)) return static_cast<int>(i);
    }
    auto b = std::make_unique<Batch>();
    b->fd = source.is_v4() ? open_v4() : open_v6(source);
    for (std::size_t i = 0; i < batch_size; ++i) {
        b->iov[i].iov_base = b->buffers[i].data();
        b->msgs[i].msg_hdr.msg_iov = &b->iov[i];
        b->msgs[i].msg_hdr.msg_iovlen = 1;
        b->msgs[i].msg_hdr.msg_name = &b->dst[i];
    }
    channels_.push_back({source.family, source});
    batches_.push_back(std::move(b));
    return static_cast<int>(channels_.size() - 1);
}

std::span<std::uint8_t, probes::max_syn_size> RawSender::buffer(int channel) {
    Batch& b = *batches_[static_cast<std::size_t>(channel)];
    return std::span<std::uint8_t, probes::max_syn_size>(b.buffers[b.count]);
}

void RawSender::commit(int channel, const core::Address& dst, std::size_t length, std::uint32_t tag) {
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

int RawSender::send_some(Batch& b, std::size_t from, int& err) {
    for (;;) {
        int n = ::sendmmsg(b.fd, &b.msgs[from], static_cast<unsigned>(b.count - from), 0);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        err = errno;
        return -1;
    }
}

}  // namespace ghostport::scanner
