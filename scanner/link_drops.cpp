// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/link_drops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

namespace ghostport::scanner {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<std::uint64_t> tx_dropped_in(std::string_view text, std::string_view ifname) {
    // "  name: rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame rx_compressed rx_multicast
    //          tx_bytes tx_packets tx_errs tx_drop ..." : TX drop is the 12th number.
    constexpr int tx_drop_field = 11;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || trim(line.substr(0, colon)) != ifname) continue;
        std::string_view rest = line.substr(colon + 1);
        for (int field = 0;; ++field) {
            rest = trim(rest);
            if (rest.empty()) return std::nullopt;
            std::uint64_t value = 0;
            auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
            if (ec != std::errc{} || (end != rest.data() + rest.size() && *end != ' ' && *end != '\t'))
                return std::nullopt;
            if (field == tx_drop_field) return value;
            rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        }
    }
    return std::nullopt;
}

LinkDrops::LinkDrops(const char* path) : fd_(::open(path, O_RDONLY | O_CLOEXEC)) {}

LinkDrops::~LinkDrops() {
    if (fd_ >= 0) ::close(fd_);
}

void LinkDrops::watch(const std::string& ifname) {
    for (const auto& l : links_)
        if (l.name == ifname) return;
    links_.push_back({ifname, std::nullopt, 0});
    if (read_file()) links_.back().base = tx_dropped_in(text_, ifname);
}

bool LinkDrops::read_file() {
    if (fd_ < 0) return false;
    text_.resize(std::max<std::size_t>(text_.size(), 16384));
    std::size_t got = 0;
    for (;;) {
        const ssize_t n = ::pread(fd_, text_.data() + got, text_.size() - got, static_cast<off_t>(got));
        if (n < 0) return false;
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
        if (got == text_.size()) text_.resize(text_.size() * 2);
    }
    text_.resize(got);
    return true;
}

std::uint64_t LinkDrops::total() {
    const bool fresh = !links_.empty() && read_file();
    std::uint64_t sum = 0;
    for (auto& l : links_) {
        if (fresh) {
            auto now = tx_dropped_in(text_, l.name);
            if (now && !l.base) l.base = now;
            if (now && *now >= *l.base) l.last = *now - *l.base;
        }
        sum += l.last;
    }
    return sum;
}

}  // namespace ghostport::scanner
