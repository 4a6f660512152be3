// SPDX-License-Identifier: GPL-2.0-or-later
// --expect allowlists: parsed, then applied to a few report rows so the matchers run on hostile entries.
#include <vector>

#include "core/errors.hpp"
#include "core/expect.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ghostport::core;
    try {
        const auto list = ExpectList::parse(gp_fuzz::as_text(data, size));
        std::vector<ReportRow> rows(3);
        rows[0].result.host = Address::parse("198.18.0.5").value();
        rows[0].result.port = 22;
        rows[0].result.state = PortState::open;
        rows[0].service.name = "ssh";
        rows[1].result.host = Address::parse("2001:2::7").value();
        rows[1].result.port = 1642;
        rows[1].result.state = PortState::open;
        rows[1].hostname = "db.example";
        rows[1].label.service = "isis-am";
        rows[1].service.name = "http";
        rows[1].service.tls = "TLSv1.3";
        rows[2] = rows[0];
        rows[2].result.port = 65535;
        rows[2].service.name = "unknown";
        list.apply(rows);
    } catch (const InputError&) {
    }
    return 0;
}
