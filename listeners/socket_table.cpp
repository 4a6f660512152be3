// SPDX-License-Identifier: GPL-2.0-or-later
// inet_diag dumps (TCP in LISTEN, all UDP) for AF_INET and AF_INET6, and the parser of their messages.
#include "listeners/socket_table.hpp"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "netlink/socket.hpp"

namespace ghostport::listeners {

namespace {

constexpr unsigned tcp_listen_state = 10;  // TCP_LISTEN in the kernel's numbering
constexpr int dump_attempts = 3;

}  // namespace

namespace detail {

std::optional<core::Listener> parse_diag_message(std::span<const std::uint8_t> message, core::Proto proto) {
    if (message.size() < NLMSG_HDRLEN) return std::nullopt;
    nlmsghdr nh{};
    std::memcpy(&nh, message.data(), sizeof nh);
    if (nh.nlmsg_type != SOCK_DIAG_BY_FAMILY || nh.nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)) ||
        nh.nlmsg_len > message.size())
        return std::nullopt;
    inet_diag_msg msg{};
    std::memcpy(&msg, message.data() + NLMSG_HDRLEN, sizeof msg);

    core::Listener out;
    out.proto = proto;
    if (msg.idiag_family == AF_INET) {
        out.address.family = core::Family::v4;
        std::memcpy(out.address.bytes.data(), msg.id.idiag_src, 4);
    } else if (msg.idiag_family == AF_INET6) {
        out.address.family = core::Family::v6;
        std::memcpy(out.address.bytes.data(), msg.id.idiag_src, 16);
    } else {
        return std::nullopt;
    }
    out.port = ntohs(msg.id.idiag_sport);
    out.inode = msg.idiag_inode;
    out.uid = msg.idiag_uid;
    if (out.port == 0) return std::nullopt;  // not bound to a port (a socket being torn down)
    if (proto == core::Proto::tcp && msg.idiag_state != tcp_listen_state) return std::nullopt;
    if (proto == core::Proto::udp) {
        const bool peer =
            msg.id.idiag_dport != 0 || std::any_of(std::begin(msg.id.idiag_dst), std::end(msg.id.idiag_dst),
                                                   [](std::uint32_t w) { return w != 0; });
        if (peer) return std::nullopt;  // connected: it answers one peer only
    }

    // Attributes: each an rtattr-style (len, type) header, 4-byte aligned, inside nlmsg_len.
    std::size_t at = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(inet_diag_msg));
    const std::size_t end = nh.nlmsg_len;
    std::optional<bool> v6only;
    while (at + 4 <= end) {
        std::uint16_t len = 0, type = 0;
        std::memcpy(&len, message.data() + at, 2);
        std::memcpy(&type, message.data() + at + 2, 2);
        if (len < 4 || at + len > end) break;  // malformed: stop, keep what the fixed part said
        if ((type & NLA_TYPE_MASK) == INET_DIAG_SKV6ONLY && len >= 5) v6only = message[at + 4] != 0;
        at += (static_cast<std::size_t>(len) + 3) & ~std::size_t{3};
    }
    const bool any6 = !out.address.is_v4() && std::all_of(out.address.bytes.begin(), out.address.bytes.end(),
                                                          [](std::uint8_t b) { return b == 0; });
    out.dual_stack = any6 && v6only.has_value() && !*v6only;
    return out;
}

}  // namespace detail

std::vector<core::Listener> read_socket_table(std::vector<std::string>* unseen) {
    netlink::Socket socket(NETLINK_SOCK_DIAG, "socket table");
    std::vector<core::Listener> out;
    struct Ask {
        std::uint8_t family;
        std::uint8_t protocol;
        core::Proto proto;
        std::uint32_t states;
    };
    const std::array<Ask, 4> asks{{
        {AF_INET, IPPROTO_TCP, core::Proto::tcp, 1u << tcp_listen_state},
        {AF_INET6, IPPROTO_TCP, core::Proto::tcp, 1u << tcp_listen_state},
        {AF_INET, IPPROTO_UDP, core::Proto::udp, ~0u},
        {AF_INET6, IPPROTO_UDP, core::Proto::udp, ~0u},
    }};
    for (const Ask& ask : asks) {
        for (int attempt = 0;; ++attempt) {
            struct {
                nlmsghdr nh;
                inet_diag_req_v2 req;
            } request{};
            request.nh.nlmsg_len = sizeof request;
            request.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
            request.req.sdiag_family = ask.family;
            request.req.sdiag_protocol = ask.protocol;
            request.req.idiag_states = ask.states;
            std::vector<core::Listener> found;
            auto status = socket.dump(&request.nh, [&](const nlmsghdr* m) {
                std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(m), m->nlmsg_len);
                if (auto l = detail::parse_diag_message(bytes, ask.proto)) found.push_back(std::move(*l));
            });
            const char* family = ask.family == AF_INET ? "IPv4" : "IPv6";
            const char* kind = ask.proto == core::Proto::tcp ? "TCP" : "UDP";
            if (status.error == EAFNOSUPPORT) break;  // no such family here: nothing of it to list
            if (status.error == ENOENT || status.error == EOPNOTSUPP) {  // no inet_diag handler for it
                if (unseen)
                    unseen->push_back(
                        fmt::format("the {} {} sockets could not be read: the kernel has no {} "
                                    "socket diagnostics (module {}_diag)",
                                    family, kind, kind, ask.proto == core::Proto::tcp ? "tcp" : "udp"));
                break;
            }
            if (status.error)
                throw core::RuntimeError(fmt::format("cannot read the {} {} socket table: {}", family, kind,
                                                     std::strerror(status.error)));
            if (status.interrupted && attempt + 1 < dump_attempts) continue;
            out.insert(out.end(), std::make_move_iterator(found.begin()),
                       std::make_move_iterator(found.end()));
            break;
        }
    }
    return out;
}

}  // namespace ghostport::listeners
