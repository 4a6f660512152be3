// SPDX-License-Identifier: GPL-2.0-or-later
// The listeners library's parsers of kernel and /proc text: an inet_diag message (TCP or UDP, by the first
// byte), and the same bytes as /proc/PID/cgroup and systemctl list-sockets text. None may read outside its
// input; a parsed socket has a port.
#include <span>
#include <string_view>

#include "listeners/cgroup.hpp"
#include "listeners/socket_table.hpp"
#include "listeners/socket_units.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport::listeners;
    if (size == 0) return 0;
    const auto proto = data[0] & 1 ? ghostport::core::Proto::udp : ghostport::core::Proto::tcp;
    const std::span<const std::uint8_t> message(data + 1, size - 1);
    if (auto l = detail::parse_diag_message(message, proto)) {
        if (l->port == 0 || (l->dual_stack && l->address.is_v4())) __builtin_trap();
    }
    const std::string_view text = gp_fuzz::as_text(data, size);
    auto facts = parse_cgroup(text);
    if (facts.unit.size() > size || facts.container.size() > size) __builtin_trap();
    for (const auto& unit : parse_list_sockets(text))
        if (unit.port == 0 || unit.unit.size() > size) __builtin_trap();
    return 0;
}
