// SPDX-License-Identifier: GPL-2.0-or-later
// Judging what -sV found on a port: borrowed (against the registered names), self-signed, cert-expired.
#include "registry/service_judge.hpp"

#include <fmt/format.h>

#include <map>

#include <algorithm>
#include <charconv>

#include "registry/service_aliases.hpp"

namespace ghostport::registry {

namespace {

// `digits` decimal digits at text[pos], or -1.
int number_at(std::string_view text, std::size_t pos, std::size_t digits) {
    if (pos + digits > text.size()) return -1;
    int value = 0;
    for (std::size_t i = pos; i < pos + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

bool is_borrowed(const core::ServiceInfo& info, const std::vector<std::string_view>& registered) {
    if (!info.named()) return false;
    const DetectedService detected = detected_service(info);
    return std::none_of(registered.begin(), registered.end(),
                        [&](std::string_view name) { return agrees_with(detected, name); });
}

std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text) {
    using namespace std::chrono;
    const int y = number_at(text, 0, 4), mo = number_at(text, 5, 2), d = number_at(text, 8, 2);
    if (y < 0 || mo < 0 || d < 0 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!date.ok()) return std::nullopt;
    system_clock::time_point t = sys_days{date};
    text.remove_prefix(10);
    if (text.empty()) return t;
    const int h = number_at(text, 1, 2), mi = number_at(text, 4, 2), s = number_at(text, 7, 2);
    if ((text[0] != 'T' && text[0] != ' ') || h < 0 || mi < 0 || s < 0 || text[3] != ':' || text[6] != ':' ||
        h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    t += hours{h} + minutes{mi} + seconds{s};
    text.remove_prefix(9);
    if (!text.empty() && text.front() == '.') {  // fraction of a second: milliseconds kept
        std::size_t n = 1;
        while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
        if (n == 1) return std::nullopt;
        int ms = 0;
        for (std::size_t i = 1; i < 4; ++i) ms = ms * 10 + (i < n ? text[i] - '0' : 0);
        t += milliseconds{ms};
        text.remove_prefix(n);
    }
    if (text == "Z" || text.empty()) return t;
    return std::nullopt;
}

bool cert_expired(std::string_view not_after, std::chrono::system_clock::time_point now) {
    const auto t = parse_utc(not_after);
    return t && *t < now;
}

void judge_service(core::ReportRow& row, const std::vector<std::string_view>& registered,
                   std::chrono::system_clock::time_point now) {
    core::Labels& labels = row.label.labels;
    labels &= ~(core::label_borrowed | core::label_self_signed | core::label_cert_expired);
    const core::ServiceInfo& s = row.service;
    if (!s.identified()) return;
    if (is_borrowed(s, registered)) labels |= core::label_borrowed;
    if (s.cert_self_signed) labels |= core::label_self_signed;
    if (cert_expired(s.cert_not_after, now)) labels |= core::label_cert_expired;
}

void mark_middleboxes(std::vector<core::ReportRow>& rows, std::size_t min_ports) {
    auto silent = [](const core::ReportRow& r) {
        return r.service.name == core::service_unknown && r.service.banner.empty() &&
               r.service.extra_info.starts_with("accepted connections");
    };
    std::map<core::Address, std::pair<std::size_t, std::size_t>> counts;  // host -> (identified, silent)
    for (const auto& r : rows) {
        if (r.result.state != core::PortState::open || !r.service.identified()) continue;
        auto& [identified, quiet] = counts[r.result.host];
        ++identified;
        quiet += silent(r);
    }
    for (auto& r : rows) {
        const auto it = counts.find(r.result.host);
        if (it == counts.end() || it->second.first < min_ports || it->second.first != it->second.second)
            continue;
        if (r.result.state == core::PortState::open && r.service.identified())
            r.service.extra_info = fmt::format(
                "middlebox: all {} open ports of this host accept and none ever speaks", it->second.first);
    }
}

}  // namespace ghostport::registry
