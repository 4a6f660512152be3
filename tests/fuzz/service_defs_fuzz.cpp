// SPDX-License-Identifier: GPL-2.0-or-later
// ghostport's service-probe definitions (tcp_services.txt, or a user's own with --service-defs): parsed, then
// every pattern compiled by the Matcher and run once against a fixed answer.
#include <string>

#include "core/errors.hpp"
#include "probes/service_defs.hpp"
#include "probes/service_match.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    try {
        const auto defs = probes::ServiceDefs::parse(gp_fuzz::as_text(data, size), "fuzz.txt");
        defs.services();
        const probes::Matcher matcher(defs);
        for (std::size_t p = 0; p < defs.probes.size(); ++p) {
            (void)matcher.match(p, "SSH-2.0-OpenSSH_9.2p1\r\nHTTP/1.1 200 OK\r\n\r\n\x00\xff");
            (void)defs.probes[p].fits_port(443);
        }
    } catch (const core::InputError&) {
    }
    return 0;
}
