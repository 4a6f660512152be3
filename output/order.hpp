// The one report order every format uses: new listeners (against a baseline) first, then ghosts, then rarity
// descending, then host, then port.
#pragma once

#include <vector>

#include "core/report.hpp"

namespace ghostport::output {

// Sorts rows into report order: rows whose change is new (core::Change::added) first, then ghost rows
// before the others, then rarity descending, then host address
// ascending (IPv4 before IPv6), then port ascending; hostname and protocol break any remaining tie.
// Rarity is compared as printed (one decimal), so rows that show the same rarity follow host and port
// order, and a report read back from CSV sorts exactly as the original did. A NaN rarity sorts last.
void sort_rows(std::vector<core::ReportRow>& rows);

}  // namespace ghostport::output
