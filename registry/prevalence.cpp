// SPDX-License-Identifier: GPL-2.0-or-later
// Observed open-frequency per (port, protocol), read from a file in nmap-services format.
#include "registry/prevalence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/errors.hpp"
#include "registry/text_util.hpp"

namespace ghostport::registry {

namespace {

std::size_t proto_index(core::Proto p) {
    return p == core::Proto::tcp ? 0 : 1;
}

}  // namespace

Prevalence Prevalence::parse(std::string_view text, std::string source) {
    Prevalence prev;
    prev.source_ = std::move(source);
    for (auto& index : prev.index_) index.assign(65536, -1);

    prev.entries_.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    detail::LineReader lines(text);
    std::string_view line;
    while (lines.next(line)) {
        const std::size_t line_no = lines.number();
        if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        const auto words = detail::split_words(detail::trim(line));
        if (words.empty()) continue;
        auto fail = [&](std::string_view what) {
            throw core::InputError(fmt::format("{}: line {}: {}", prev.source_, line_no, what));
        };
        if (words.size() != 3)
            fail(fmt::format("expected \"name port/protocol frequency\", got \"{}\"",
                             detail::excerpt(detail::trim(line))));

        const std::string_view pp = words[1];
        const auto slash = pp.find('/');
        const auto port =
            slash == std::string_view::npos ? std::nullopt : detail::parse_port_number(pp.substr(0, slash));
        const std::string_view proto =
            slash == std::string_view::npos ? std::string_view() : pp.substr(slash + 1);
        if (!port || (proto != "tcp" && proto != "udp" && proto != "sctp" && proto != "dccp"))
            fail(fmt::format("bad port/protocol \"{}\" (expected e.g. 22/tcp)", detail::excerpt(pp, 40)));

        const std::string_view f = words[2];
        double frequency = -1;
        auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), frequency);
        if (ec != std::errc() || end != f.data() + f.size() || !std::isfinite(frequency) || frequency < 0 ||
            frequency > 1)
            fail(fmt::format("bad frequency \"{}\" (expected a number in [0, 1])", detail::excerpt(f, 40)));

        if (proto != "tcp" && proto != "udp") continue;
        auto& slot = prev.index_[proto == "tcp" ? 0 : 1][*port];
        if (slot >= 0) continue;
        slot = static_cast<std::int32_t>(prev.entries_.size());
        prev.entries_.push_back({std::string(words[0]), frequency});
    }
    return prev;
}

Prevalence Prevalence::load(const std::filesystem::path& path) {
    Prevalence prev = parse(detail::read_text_file(path), path.string());
    if (prev.entries_.empty())
        throw core::InputError(
            fmt::format("{}: no tcp or udp entries (expected the nmap-services format)", path.string()));
    return prev;
}

const Prevalence::Entry* Prevalence::lookup(std::uint16_t port, core::Proto proto) const {
    const auto& index = index_[proto_index(proto)];
    if (index.empty() || index[port] < 0) return nullptr;
    return &entries_[static_cast<std::size_t>(index[port])];
}

std::vector<std::uint16_t> Prevalence::top_ports(std::size_t n, core::Proto proto) const {
    const auto& index = index_[proto_index(proto)];
    std::vector<std::uint16_t> ports;
    for (std::size_t port = 0; port < index.size(); ++port)
        if (index[port] >= 0) ports.push_back(static_cast<std::uint16_t>(port));
    auto freq = [&](std::uint16_t p) { return entries_[static_cast<std::size_t>(index[p])].frequency; };
    auto by_rank = [&](std::uint16_t a, std::uint16_t b) {
        return freq(a) != freq(b) ? freq(a) > freq(b) : a < b;
    };
    if (n < ports.size()) {
        std::partial_sort(ports.begin(), ports.begin() + static_cast<std::ptrdiff_t>(n), ports.end(),
                          by_rank);
        ports.resize(n);
    } else {
        std::sort(ports.begin(), ports.end(), by_rank);
    }
    return ports;
}

std::optional<std::filesystem::path> locate_prevalence(const std::optional<std::string>& flag) {
    std::error_code ec;
    if (flag) {
        if (!std::filesystem::is_regular_file(*flag, ec))
            throw core::InputError(
                fmt::format("prevalence file {}: no such file", flag->empty() ? "\"\"" : *flag));
        return std::filesystem::path(*flag);
    }
    const std::filesystem::path system = "/usr/share/nmap/nmap-services";
    if (std::filesystem::is_regular_file(system, ec)) return system;
    return std::nullopt;
}

}  // namespace ghostport::registry
