// SPDX-License-Identifier: GPL-2.0-or-later
// services(5)-style files: nmap-services as the prevalence (open-frequency) source, and /etc/services as a
// registry fallback. The same bytes go to both parsers.
#include <string>

#include "core/errors.hpp"
#include "registry/prevalence.hpp"
#include "registry/registry.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    const auto text = gp_fuzz::as_text(data, size);
    try {
        const auto prevalence = registry::Prevalence::parse(text, "nmap-services");
        prevalence.top_ports(1000, core::Proto::tcp);
    } catch (const core::InputError&) {
    }
    try {
        registry::Registry::from_services(text, "services");
    } catch (const core::InputError&) {
    }
    return 0;
}
