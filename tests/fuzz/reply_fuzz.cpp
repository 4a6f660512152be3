// SPDX-License-Identifier: GPL-2.0-or-later
// Captured frames from the wire: the SYN engine's reply parser and the discovery answer parser. The first
// byte picks the link type; the rest is the frame. Both parsers are noexcept and must never read outside it.
#include <span>

#include "probes/discovery_packets.hpp"
#include "probes/reply.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport::probes;
    if (size == 0) return 0;
    constexpr LinkType links[] = {LinkType::ethernet, LinkType::linux_sll, LinkType::linux_sll2,
                                  LinkType::raw_ip, LinkType::null_loop};
    const LinkType link = links[data[0] % std::size(links)];
    const std::span<const std::uint8_t> frame(data + 1, size - 1);
    if (auto reply = parse_reply(frame, link)) {
        // A parsed reply is a TCP segment or a quoted one: its addresses are one family.
        if (reply->src.is_v4() != reply->dst.is_v4()) __builtin_trap();
    }
    if (auto answer = parse_discovery_answer(frame, link)) {
        if (answer->src.is_v4() != answer->dst.is_v4()) __builtin_trap();
    }
    return 0;
}
