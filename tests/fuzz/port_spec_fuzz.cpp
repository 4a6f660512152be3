// SPDX-License-Identifier: GPL-2.0-or-later
// Port specs from the command line and config files (-p 22,80,1000-2000, well-known, all).
#include "core/errors.hpp"
#include "scanner/port_spec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto ports = ghostport::scanner::parse_ports(gp_fuzz::as_text(data, size));
        if (ports.empty() || ports.size() > 65536) __builtin_trap();  // parse_ports refuses an empty list
    } catch (const ghostport::core::InputError&) {
    }
    return 0;
}
