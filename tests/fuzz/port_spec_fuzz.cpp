// SPDX-License-Identifier: GPL-2.0-or-later
// Port specs from the command line and config files (-p 22,80,1000-2000, well-known, all, U:53,T:22).
#include "core/errors.hpp"
#include "scanner/port_spec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto ports = ghostport::scanner::parse_ports(gp_fuzz::as_text(data, size));
        if (ports.empty() || ports.size() > 65536) __builtin_trap();  // parse_ports refuses an empty list
    } catch (const ghostport::core::InputError&) {
    }
    try {
        // With T:/U: prefixes: each list sorted and unique, and a spec without prefixes gives both the same.
        const auto plan = ghostport::scanner::parse_port_plan(gp_fuzz::as_text(data, size));
        for (const auto* list : {&plan.tcp, &plan.udp})
            for (std::size_t i = 1; i < list->size(); ++i)
                if ((*list)[i - 1] >= (*list)[i]) __builtin_trap();
        if (!plan.tcp_prefixed && !plan.udp_prefixed && plan.tcp != plan.udp) __builtin_trap();
    } catch (const ghostport::core::InputError&) {
    }
    return 0;
}
