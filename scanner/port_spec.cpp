// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/port_spec.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::scanner {

namespace {

struct NamedSet {
    std::string_view name;
    unsigned lo, hi;
};
constexpr std::array<NamedSet, 4> named_sets{{
    {"well-known", 0, 1023},
    {"registered", 1024, 49151},
    {"dynamic", 49152, 65535},
    {"all", 1, 65535},
}};

unsigned port_number(std::string_view spec, std::string_view text) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec == std::errc::invalid_argument || p != text.data() + text.size())
        throw core::InputError(fmt::format("bad port spec '{}': '{}' is not a port number", spec, text));
    if (ec == std::errc::result_out_of_range || v > 65535)
        throw core::InputError(
            fmt::format("bad port spec '{}': port {} is out of range (0-65535)", spec, text));
    return v;
}

}  // namespace

namespace {

// Marks the ports of one item of `spec` ("22", "1000-2000", "-1024", "well-known") in `chosen`.
void add_item(std::string_view spec, std::string_view item, std::vector<bool>& chosen) {
    if (item.empty()) throw core::InputError(fmt::format("bad port spec '{}': empty item", spec));
    unsigned lo = 0, hi = 0;
    auto named = std::find_if(named_sets.begin(), named_sets.end(), [&](auto& n) { return n.name == item; });
    if (named != named_sets.end()) {
        lo = named->lo;
        hi = named->hi;
    } else if (auto dash = item.find('-'); dash != std::string_view::npos) {
        lo = dash == 0 ? 1 : port_number(spec, item.substr(0, dash));
        hi = dash + 1 == item.size() ? 65535 : port_number(spec, item.substr(dash + 1));
        if (hi < lo)
            throw core::InputError(fmt::format("bad port spec '{}': range {} is backwards", spec, item));
    } else {
        lo = hi = port_number(spec, item);
    }
    for (unsigned p = lo; p <= hi; ++p) chosen[p] = true;
}

std::vector<std::uint16_t> chosen_ports(const std::vector<bool>& chosen) {
    std::vector<std::uint16_t> ports;
    for (unsigned p = 0; p < chosen.size(); ++p)
        if (chosen[p]) ports.push_back(static_cast<std::uint16_t>(p));
    return ports;
}

// The comma-separated items of `spec`, in order ("" items included, so that add_item can refuse them).
std::vector<std::string_view> items_of(std::string_view spec) {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    while (true) {
        const auto comma = spec.find(',', start);
        items.push_back(
            spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

}  // namespace

std::vector<std::uint16_t> parse_ports(std::string_view spec) {
    std::vector<bool> chosen(65536, false);
    for (std::string_view item : items_of(spec)) add_item(spec, item, chosen);
    return chosen_ports(chosen);
}

PortPlan parse_port_plan(std::string_view spec) {
    std::vector<bool> tcp(65536, false), udp(65536, false);
    PortPlan plan;
    enum class Into { both, tcp, udp } into = Into::both;
    for (std::string_view item : items_of(spec)) {
        if (item.size() >= 2 && item[1] == ':') {
            const char prefix = item[0];
            if (prefix == 'T' || prefix == 't') {
                into = Into::tcp;
                plan.tcp_prefixed = true;
            } else if (prefix == 'U' || prefix == 'u') {
                into = Into::udp;
                plan.udp_prefixed = true;
            } else {
                throw core::InputError(
                    fmt::format("bad port spec '{}': '{}:' is not a protocol prefix (T: for TCP, U: for UDP)",
                                spec, item.substr(0, 1)));
            }
            item.remove_prefix(2);
        }
        if (into != Into::udp) add_item(spec, item, tcp);
        if (into != Into::tcp) add_item(spec, item, udp);
    }
    plan.tcp = chosen_ports(tcp);
    plan.udp = chosen_ports(udp);
    return plan;
}

}  // namespace ghostport::scanner
