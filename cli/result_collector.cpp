// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/result_collector.hpp"

namespace ghostport::cli {

void ResultCollector::add(const core::PortResult& r) {
    using core::PortState;
    std::optional<std::uint64_t> position;
    if (position_of_) position = position_of_(r);  // outside the lock: it costs a permutation inverse
    std::lock_guard lock(mutex_);
    if (position && mark_) {
        if (mark_->decided(*position)) return;
        mark_->mark(*position);
    }
    ++counts_[static_cast<std::size_t>(r.state)];
    if (core::is_answer(r.state)) responsive_.insert(r.host);
    bool keep = r.state == PortState::open || (r.state == PortState::closed && show_.closed) ||
                (r.state == PortState::filtered && show_.filtered) ||
                (r.state == PortState::open_filtered && show_.open_filtered) ||
                (!watched_.empty() && watched_.contains(core::key_of(r)));
    if (keep) kept_.push_back(r);
}

void ResultCollector::track(PositionFn position_of, core::WalkMark mark) {
    std::lock_guard lock(mutex_);
    position_of_ = std::move(position_of);
    mark_ = std::make_unique<core::WalkMark>(std::move(mark));
}

void ResultCollector::restore(std::vector<core::PortResult> results,
                              const std::array<std::uint64_t, core::port_state_count>& counts,
                              const std::vector<core::Address>& responsive) {
    std::lock_guard lock(mutex_);
    kept_ = std::move(results);
    counts_ = counts;
    responsive_.insert(responsive.begin(), responsive.end());
}

std::vector<core::PortResult> ResultCollector::restore_services(
    std::map<core::PortKey, core::ServiceInfo> services) {
    std::lock_guard lock(mutex_);
    services_ = std::move(services);
    std::vector<core::PortResult> unidentified;
    for (const auto& r : kept_)
        if (r.state == core::PortState::open && !services_.contains(core::key_of(r)))
            unidentified.push_back(r);
    return unidentified;
}

ResultCollector::Snapshot ResultCollector::snapshot() {
    std::lock_guard lock(mutex_);
    Snapshot s;
    s.results = kept_;
    s.counts = counts_;
    s.responsive.assign(responsive_.begin(), responsive_.end());
    s.services = services_;
    if (mark_) {
        s.low = mark_->low();
        s.above = mark_->above();
    }
    return s;
}

ResultCollector::AllOpen ResultCollector::collapse_all_open(std::uint64_t threshold) {
    using core::PortState;
    std::lock_guard lock(mutex_);
    AllOpen open_ports;
    for (const auto& r : kept_)
        if (r.state == PortState::open) open_ports[{r.host, r.proto}].push_back(r);
    std::erase_if(open_ports, [&](const auto& entry) { return entry.second.size() <= threshold; });
    if (open_ports.empty()) return open_ports;
    std::erase_if(kept_, [&](const core::PortResult& r) {
        return r.state == PortState::open && open_ports.contains({r.host, r.proto});
    });
    for (const auto& [key, count] : open_ports) {
        core::PortResult r;
        r.host = key.first;
        r.port = 0;
        r.proto = key.second;
        r.state = PortState::all_open;
        r.reason = key.second == core::Proto::udp ? core::Reason::udp_response : core::Reason::syn_ack;
        r.scanned_at = std::chrono::system_clock::now();
        kept_.push_back(r);
    }
    return open_ports;
}

void ResultCollector::add_service(const core::PortResult& r, core::ServiceInfo info) {
    if (!info.identified()) return;
    std::lock_guard lock(mutex_);
    services_[core::key_of(r)] = std::move(info);
}

}  // namespace ghostport::cli
