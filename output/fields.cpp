// SPDX-License-Identifier: GPL-2.0-or-later
// The printed forms the sinks share: the row's field names and how its numbers are written.
#include "output/fields.hpp"

#include <fmt/format.h>

namespace ghostport::output::detail {

std::string format_prevalence(double prevalence) {
    return fmt::format("{:.6g}", prevalence);
}

std::string format_rarity(double rarity) {
    return fmt::format("{:.1f}", rarity);
}

std::string format_rarity(const std::optional<double>& rarity, std::string_view unknown) {
    return rarity ? format_rarity(*rarity) : std::string(unknown);
}

std::string format_rtt_ms(std::uint32_t rtt_us) {
    return fmt::format("{}.{:03}", rtt_us / 1000, rtt_us % 1000);
}

std::string detected_text(const core::ServiceInfo& s) {
    if (!s.identified()) return "-";
    const bool direct_tls = s.tls_tunnel();
    std::string text = direct_tls ? "ssl/" + s.name : s.name;
    for (const std::string* part : {&s.product, &s.version})
        if (!part->empty()) text += " " + *part;
    return text;
}

std::string group_thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace ghostport::output::detail
