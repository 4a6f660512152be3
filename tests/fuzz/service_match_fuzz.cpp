// SPDX-License-Identifier: GPL-2.0-or-later
// A service's answer to one of ghostport's -sV probes, matched against the real tcp_services.txt (compiled
// once). Input: one byte choosing the probe, then the answer's bytes.
#include <string>

#include "probes/banner.hpp"
#include "probes/service_defs.hpp"
#include "probes/service_match.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

const ghostport::probes::ServiceDefs& defs() {
    static const auto d =
        ghostport::probes::ServiceDefs::load(GHOSTPORT_SOURCE_DIR "/probes/tcp_services.txt");
    return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    static const probes::Matcher matcher(defs());
    if (size == 0) return 0;
    const std::size_t probe = data[0] % defs().probes.size();
    const auto answer = gp_fuzz::as_text(data + 1, size - 1);
    (void)probes::printable_banner(answer, data[0]);
    if (const auto hit = matcher.match(probe, answer)) {
        if (hit->soft) (void)matcher.match(probe, answer, hit->service);
        (void)matcher.can_name(probe, hit->service);
    }
    return 0;
}
