// SPDX-License-Identifier: GPL-2.0-or-later
// Stateless probe matching: a SYN's sequence number is a keyed hash of its 4-tuple, and a reply is matched
// by re-deriving that hash from the reply's own addresses and ports.
#include "probes/syn_cookie.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "core/errors.hpp"
#include "probes/byte_order.hpp"
#include "probes/tcp_flags.hpp"

namespace ghostport::probes {

SipKey random_key() {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw core::RuntimeError(std::string("cannot draw a random scan key: ") + std::strerror(errno));
        }
        filled += static_cast<std::size_t>(n);
    }
    return SipKey::from_bytes(bytes);
}

std::uint32_t syn_cookie(const SipKey& key, const core::Address& src, const core::Address& dst,
                         std::uint16_t sport, std::uint16_t dport) noexcept {
    // family(1) src(4|16) dst(4|16) sport(2) dport(2): at most 37 bytes, on the stack.
    std::array<std::uint8_t, 1 + 16 + 16 + 2 + 2> message{};
    const std::size_t n = src.is_v4() ? 4 : 16;
    message[0] = src.is_v4() ? 4 : 6;
    std::memcpy(message.data() + 1, src.bytes.data(), n);
    std::memcpy(message.data() + 1 + n, dst.bytes.data(), n);
    detail::store_be16(message.data() + 1 + 2 * n, sport);
    detail::store_be16(message.data() + 3 + 2 * n, dport);
    const std::size_t length = 1 + 2 * n + 4;
    return static_cast<std::uint32_t>(siphash24(key, std::span(message).first(length)));
}

std::uint32_t reply_cookie(const SipKey& key, const Reply& reply) noexcept {
    return syn_cookie(key, reply.dst, reply.src, reply.dport, reply.sport);
}

ReplyMatch match_reply(const SipKey& key, const Reply& reply) noexcept {
    if (reply.kind == ReplyKind::unreachable)
        return reply.seq == reply_cookie(key, reply) ? ReplyMatch::unreachable : ReplyMatch::unrelated;
    const std::uint8_t f = reply.flags;
    const bool syn = f & tcp_flag::syn, ack = f & tcp_flag::ack, rst = f & tcp_flag::rst;
    if (!ack) return ReplyMatch::unrelated;        // neither a SYN-ACK nor an acceptable RST (see the notes)
    if (syn == rst) return ReplyMatch::unrelated;  // a bare ACK, or the nonsense SYN+RST
    const std::uint32_t cookie = reply_cookie(key, reply);
    if (syn) return matches_syn_ack(reply.ack, cookie) ? ReplyMatch::syn_ack : ReplyMatch::unrelated;
    return matches_rst(f, reply.ack, cookie) ? ReplyMatch::rst : ReplyMatch::unrelated;
}

}  // namespace ghostport::probes
