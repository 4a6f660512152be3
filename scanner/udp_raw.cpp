// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/udp_raw.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "core/errors.hpp"
#include "probes/syn_cookie.hpp"
#include "probes/udp_packet.hpp"
#include "scanner/capture.hpp"
#include "scanner/raw_access.hpp"
#include "scanner/socket_address.hpp"
#include "scanner/source_ports.hpp"

namespace ghostport::scanner {

namespace {

constexpr std::size_t route_memory = 65536;  // routed hosts remembered at most

// A UDP socket of `domain` bound to `port` on every address, which never reads: holds the port. -1 when
// the port is taken.
int hold_port(int domain, std::uint16_t port) {
    const int fd = ::socket(domain, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
    if (fd < 0) return -1;
    const int small = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (domain == AF_INET6) {
        const int one = 1;
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
    const auto any = any_address(domain == AF_INET ? core::Family::v4 : core::Family::v6, port);
    if (::bind(fd, any.get(), any.length) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

UdpRawTransport::UdpRawTransport(RawAccess& raw) : raw_(raw), key_(probes::random_key()) {
    std::random_device rd;
    for (int attempt = 0; attempt < 16 && hold_v4_ < 0; ++attempt) {
        sport_ = raw_source_window(ephemeral_port_range(), 1, rd());
        hold_v4_ = hold_port(AF_INET, sport_);
        if (hold_v4_ < 0) continue;
        hold_v6_ = hold_port(AF_INET6, sport_);  // -1 without IPv6: then no IPv6 answer is expected either
    }
    if (hold_v4_ < 0)
        throw core::RuntimeError("cannot hold a UDP source port for the scan: every try was taken");
}

UdpRawTransport::~UdpRawTransport() {
    for (int fd : {hold_v4_, hold_v6_, raw_v4_})
        if (fd >= 0) ::close(fd);
    for (auto& [address, source] : sources_)
        if (source.fd >= 0 && source.fd != raw_v4_) ::close(source.fd);
}

std::uint16_t UdpRawTransport::cookie(const core::Address& src, const core::Address& host,
                                      std::uint16_t port) const {
    const std::uint32_t c = probes::syn_cookie(key_, src, host, sport_, port);
    const auto id = static_cast<std::uint16_t>(c ^ (c >> 16));
    return id == 0 ? 1 : id;  // 0 would let the kernel pick one
}

const UdpRawTransport::Source* UdpRawTransport::source_for(const core::Address& host) {
    if (auto it = host_sources_.find(host); it != host_sources_.end()) return it->second;
    if (host_sources_.size() >= route_memory) host_sources_.clear();
    auto route = routes_.lookup(host);
    if (!route) {
        host_sources_[host] = nullptr;
        return nullptr;
    }
    bool have_capture = false;
    for (auto& c : captures_) have_capture = have_capture || c->interface() == route->ifname;
    if (!have_capture)
        captures_.push_back(raw_.capture({route->ifname, CaptureKind::udp_replies, sport_, sport_}));
    auto it = sources_.find(route->source);
    if (it == sources_.end()) {
        Source s;
        s.address = route->source;
        if (route->source.is_v4()) {
            if (raw_v4_ < 0) raw_v4_ = raw_.raw_socket(route->source, IPPROTO_RAW);
            s.fd = raw_v4_;
        } else {
            s.fd = raw_.raw_socket(route->source, IPPROTO_UDP);
        }
        it = sources_.emplace(route->source, s).first;
    }
    host_sources_[host] = &it->second;
    return &it->second;
}

int UdpRawTransport::send(const core::Address& host, std::uint16_t port, std::string_view bytes) {
    const Source* src = source_for(host);
    if (!src) return ENETUNREACH;
    const auto packet =
        probes::udp_probe(src->address, host, sport_, port, bytes, cookie(src->address, host, port));
    if (packet.empty()) return EMSGSIZE;
    const auto dst = socket_address(host);
    if (::sendto(src->fd, packet.data(), packet.size(), 0, dst.get(), dst.length) < 0) return errno;
    return 0;
}

std::size_t UdpRawTransport::drain(const std::function<void(const UdpEvent&)>& on_event, std::size_t max) {
    std::size_t drained = 0;
    for (auto& c : captures_) {
        struct Ctx {
            UdpRawTransport* self;
            probes::LinkType link;
            const std::function<void(const UdpEvent&)>* sink;
        } ctx{this, c->link(), &on_event};
        const auto fn = [](void* p, std::span<const std::uint8_t> frame, std::uint64_t at_ns) {
            auto* x = static_cast<Ctx*>(p);
            UdpRawTransport& t = *x->self;
            const auto reply = probes::parse_udp_reply(frame, x->link);
            if (!reply || reply->our_port != t.sport_) return;
            UdpEvent e;
            e.host = reply->host;
            e.port = reply->host_port;
            e.at_ns = at_ns;
            e.v6 = !reply->host.is_v4();
            if (reply->kind == probes::UdpReply::Kind::datagram) {
                e.kind = UdpEvent::Kind::answer;
                e.bytes = std::string_view(reinterpret_cast<const char*>(reply->payload.data()),
                                           reply->payload.size());
            } else {
                if (!e.v6) {
                    // The quoted IP ID must be the cookie of the datagram we would have sent there.
                    auto it = t.host_sources_.find(reply->host);
                    if (it == t.host_sources_.end() || !it->second ||
                        reply->quoted_ip_id != t.cookie(it->second->address, reply->host, reply->host_port))
                        return;
                }
                e.kind = UdpEvent::Kind::icmp;
                e.icmp_type = reply->icmp_type;
                e.icmp_code = reply->icmp_code;
                e.offender = reply->offender;
            }
            (*x->sink)(e);
        };
        for (int n;
             drained < max &&
             (n = c->dispatch(fn, &ctx, static_cast<int>(std::min<std::size_t>(512, max - drained)))) > 0;)
            drained += static_cast<std::size_t>(n);
    }
    return drained;
}

void UdpRawTransport::wait(int timeout_ms) {
    std::vector<pollfd> fds;
    for (auto& c : captures_) fds.push_back({c->fd(), POLLIN, 0});
    ::poll(fds.data(), fds.size(), timeout_ms);
}

}  // namespace ghostport::scanner
