// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/target_spec.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::scanner {

using core::Address;
using core::Family;
using core::InputError;

Resolver system_resolver() {
    return [](const std::string& host) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
        if (rc != 0)
            throw InputError(fmt::format("bad target '{}': cannot resolve: {}", host, gai_strerror(rc)));
        std::vector<Address> out;
        for (auto* p = res; p; p = p->ai_next) {
            Address a;
            if (p->ai_family == AF_INET) {
                a.family = Family::v4;
                auto* sin = reinterpret_cast<sockaddr_in*>(p->ai_addr);
                std::memcpy(a.bytes.data(), &sin->sin_addr, 4);
            } else if (p->ai_family == AF_INET6) {
                a.family = Family::v6;
                auto* sin6 = reinterpret_cast<sockaddr_in6*>(p->ai_addr);
                std::memcpy(a.bytes.data(), &sin6->sin6_addr, 16);
            } else {
                continue;
            }
            if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
        }
        freeaddrinfo(res);
        return out;
    };
}

namespace {

[[noreturn]] void bad(std::string_view spec, std::string_view why) {
    throw InputError(fmt::format("bad target '{}': {}", spec, why));
}

bool parse_uint(std::string_view s, unsigned max, unsigned& out) {
    if (s.empty() || s.size() > 10) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size() && out <= max;
}

bool looks_like_hostname(std::string_view s) {
    if (s.empty() || s.size() > 253 || s.front() == '-' || s.front() == '.') return false;
    bool has_alpha = false;
    for (char c : s) {
        if (std::isalpha(static_cast<unsigned char>(c))) has_alpha = true;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') return false;
    }
    return has_alpha;
}

}  // namespace

std::vector<AddressRange> parse_target(std::string_view spec, const Resolver& resolve,
                                       std::vector<std::pair<Address, std::string>>* names) {
    if (spec.empty()) bad(spec, "empty target");
    if (auto slash = spec.find('/'); slash != std::string_view::npos) {
        auto base = Address::parse(spec.substr(0, slash));
        if (!base) bad(spec, "CIDR base is not an IPv4 or IPv6 address");
        unsigned bits = base->is_v4() ? 32 : 128, prefix = 0;
        if (!parse_uint(spec.substr(slash + 1), bits, prefix))
            bad(spec, fmt::format("prefix length must be 0-{}", bits));
        u128 value = to_u128(*base);
        // ::/0 would shift a u128 by 128, which is undefined: its mask is every bit.
        const u128 host_mask = prefix == bits               ? 0
                               : bits == 128 && prefix == 0 ? ~u128{0}
                                                            : (u128{1} << (bits - prefix)) - 1;
        return {{base->family, value & ~host_mask, (value & ~host_mask) | host_mask}};
    }
    if (auto a = Address::parse(spec)) return {AddressRange::single(*a)};
    if (auto dash = spec.find('-'); dash != std::string_view::npos && !looks_like_hostname(spec)) {
        auto first = Address::parse(spec.substr(0, dash));
        if (!first || !first->is_v4()) bad(spec, "a range needs an IPv4 start address (198.18.1.10-20)");
        auto rest = spec.substr(dash + 1);
        std::uint32_t lo = first->v4(), hi = 0;
        if (auto last = Address::parse(rest)) {
            if (!last->is_v4()) bad(spec, "range ends in an IPv6 address");
            hi = last->v4();
        } else {
            unsigned octet = 0;
            if (!parse_uint(rest, 255, octet))
                bad(spec, "range end must be an IPv4 address or a last octet 0-255");
            hi = (lo & 0xFFFFFF00u) | octet;
        }
        if (hi < lo) bad(spec, "range end is below its start");
        return {{Family::v4, lo, hi}};
    }
    if (!looks_like_hostname(spec)) bad(spec, "not an address, CIDR block, IPv4 range or hostname");
    std::string host(spec);
    auto addrs = resolve(host);
    if (addrs.empty()) bad(spec, "hostname has no IPv4 or IPv6 address");
    std::vector<AddressRange> out;
    for (const auto& a : addrs) {
        out.push_back(AddressRange::single(a));
        if (names) names->emplace_back(a, host);
    }
    return out;
}

std::vector<std::string> read_target_lines(std::istream& in) {
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
            std::size_t j = i;
            while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
            if (j > i) out.push_back(line.substr(i, j - i));
            i = j;
        }
    }
    return out;
}

namespace {

std::vector<std::string> read_spec_file(const std::string& path, std::string_view option) {
    if (path == "-") return read_target_lines(std::cin);
    std::ifstream f(path);
    if (!f) throw InputError(fmt::format("{} '{}': cannot read: {}", option, path, std::strerror(errno)));
    return read_target_lines(f);
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto comma = s.find(',', start);
        out.push_back(s.substr(start, comma - start));
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

}  // namespace

TargetSet build_targets(const TargetOptions& opt, const Resolver& resolve) {
    TargetSet set;
    std::vector<std::pair<Address, std::string>> names;
    std::vector<std::string> specs = opt.targets;
    for (const auto& f : opt.input_files) {
        auto more = read_spec_file(f, "-iL");
        specs.insert(specs.end(), more.begin(), more.end());
    }
    for (const auto& s : specs)
        for (const auto& r : parse_target(s, resolve, &names)) set.add(r);
    std::vector<std::string> excludes;
    for (const auto& e : opt.excludes)
        for (auto& part : split_commas(e)) excludes.push_back(part);
    for (const auto& f : opt.exclude_files) {
        auto more = read_spec_file(f, "--exclude-file");
        excludes.insert(excludes.end(), more.begin(), more.end());
    }
    for (const auto& e : excludes)
        for (const auto& r : parse_target(e, resolve)) set.exclude(r);
    for (auto& [a, n] : names) set.name(a, n);
    set.finalize();
    if (specs.empty()) throw InputError("no targets given (name hosts, CIDR blocks or ranges, or -iL FILE)");
    if (set.size() == 0) throw InputError("every target is excluded: nothing to scan");
    return set;
}

}  // namespace ghostport::scanner
