// The one report order every format uses: new listeners (against a baseline) first, then ghosts, then rarity
// descending, then host, then port.
#include "output/order.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>

#include "output/fields.hpp"

namespace ghostport::output {

namespace {

// The rarity as the sinks print it (one decimal), read back: exactly the order a reader of the report sees.
// Unknown or NaN ranks below everything, even -inf.
double rarity_key(const std::optional<double>& rarity) {
    if (!rarity || std::isnan(*rarity)) return -std::numeric_limits<double>::infinity();
    const std::string printed = detail::format_rarity(*rarity);
    double value = 0.0;
    std::from_chars(printed.data(), printed.data() + printed.size(), value);  // locale-independent
    return value;
}

}  // namespace

void sort_rows(std::vector<core::ReportRow>& rows) {
    struct Key {
        bool added;
        bool ghost;
        bool rarity_nan;
        double rarity;
        std::size_t index;
    };
    std::vector<Key> keys;
    keys.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        keys.push_back({rows[i].change == core::Change::added, rows[i].label.is_ghost(),
                        !rows[i].label.rarity || std::isnan(*rows[i].label.rarity),
                        rarity_key(rows[i].label.rarity), i});

    std::stable_sort(keys.begin(), keys.end(), [&rows](const Key& a, const Key& b) {
        if (a.added != b.added) return a.added;
        if (a.ghost != b.ghost) return a.ghost;
        if (a.rarity_nan != b.rarity_nan) return b.rarity_nan;
        if (a.rarity != b.rarity) return a.rarity > b.rarity;
        const core::ReportRow& x = rows[a.index];
        const core::ReportRow& y = rows[b.index];
        return std::tie(x.result.host, x.result.port, x.hostname, x.result.proto) <
               std::tie(y.result.host, y.result.port, y.hostname, y.result.proto);
    });

    std::vector<core::ReportRow> sorted;
    sorted.reserve(rows.size());
    for (const Key& k : keys) sorted.push_back(std::move(rows[k.index]));
    rows = std::move(sorted);
}

}  // namespace ghostport::output
