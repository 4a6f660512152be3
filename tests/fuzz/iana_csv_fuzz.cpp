// SPDX-License-Identifier: GPL-2.0-or-later
// The IANA registry file (service-names-port-numbers.csv), read at run time from a path the user gives or
// a package installed: parsed into records and built into the registry the labeler queries.
#include <string>

#include "core/errors.hpp"
#include "registry/registry.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        ghostport::registry::Registry::from_iana_csv(gp_fuzz::as_text(data, size), "fuzz.csv");
    } catch (const ghostport::core::InputError&) {
    }
    return 0;
}
