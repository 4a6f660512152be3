// SPDX-License-Identifier: GPL-2.0-or-later
// Target specs and target files: the input is a target file (-iL); its first line is also given as
// --exclude. Hostnames resolve to nothing (no DNS from a fuzzer): the resolver refuses them as the system
// one does for an unknown name.
#include <sstream>
#include <string>

#include "core/errors.hpp"
#include "scanner/target_spec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport;
    const std::string text(gp_fuzz::as_text(data, size));
    const scanner::Resolver no_dns = [](const std::string& name) -> std::vector<core::Address> {
        throw core::InputError("cannot resolve '" + name + "'");
    };
    try {
        std::istringstream in(text);
        scanner::TargetOptions options;
        options.targets = scanner::read_target_lines(in);
        options.excludes.push_back(text.substr(0, text.find('\n')));
        for (const auto& spec : options.targets) scanner::parse_target(spec, no_dns);
        scanner::build_targets(options, no_dns);
    } catch (const core::InputError&) {
    }
    return 0;
}
