#include "cli/result_collector.hpp"

namespace ghostport::cli {

void ResultCollector::add(const core::PortResult& r) {
    using core::PortState;
    std::lock_guard lock(mutex_);
    ++counts_[static_cast<int>(r.state)];
    if (r.state != PortState::filtered) responsive_.insert(r.host);
    bool keep = r.state == PortState::open || (r.state == PortState::closed && show_.closed) ||
                (r.state == PortState::filtered && show_.filtered) ||
                (!watched_.empty() && watched_.contains({r.host, r.port}));
    if (keep) kept_.push_back(r);
}

std::map<core::Address, std::uint64_t> ResultCollector::collapse_all_open(std::uint64_t threshold) {
    using core::PortState;
    std::lock_guard lock(mutex_);
    std::map<core::Address, std::uint64_t> open_ports;
    for (const auto& r : kept_)
        if (r.state == PortState::open) ++open_ports[r.host];
    std::erase_if(open_ports, [&](const auto& entry) { return entry.second <= threshold; });
    if (open_ports.empty()) return open_ports;
    std::erase_if(kept_, [&](const core::PortResult& r) {
        return r.state == PortState::open && open_ports.contains(r.host);
    });
    for (const auto& [host, count] : open_ports) {
        core::PortResult r;
        r.host = host;
        r.port = 0;
        r.state = PortState::all_open;
        r.reason = core::Reason::syn_ack;
        r.scanned_at = std::chrono::system_clock::now();
        kept_.push_back(r);
    }
    return open_ports;
}

}  // namespace ghostport::cli
