// SPDX-License-Identifier: GPL-2.0-or-later
// Where a listener can be reached from.
#include "core/listener.hpp"

#include <algorithm>

namespace ghostport::core {

Exposure exposure_of(const Listener& l) {
    const auto& b = l.address.bytes;
    if (l.address.is_v4()) {
        if (b[0] == 127) return Exposure::loopback;
        if (l.address.v4() == 0) return Exposure::all;
        return Exposure::address;
    }
    const bool zero_prefix = std::all_of(b.begin(), b.begin() + 15, [](std::uint8_t x) { return x == 0; });
    if (zero_prefix && b[15] == 1) return Exposure::loopback;
    if (zero_prefix && b[15] == 0) return Exposure::all;
    // An IPv4-mapped loopback (::ffff:127.x.y.z) is loopback too.
    const bool mapped = std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) &&
                        b[10] == 0xff && b[11] == 0xff;
    if (mapped && b[12] == 127) return Exposure::loopback;
    return Exposure::address;
}

std::string_view to_string(Exposure e) {
    switch (e) {
        case Exposure::loopback:
            return "loopback";
        case Exposure::all:
            return "all";
        case Exposure::address:
            return "address";
    }
    return "address";
}

}  // namespace ghostport::core
