#include "cli/result_collector.hpp"

namespace ghostport::cli {

void ResultCollector::add(const core::PortResult& r) {
    using core::PortState;
    std::lock_guard lock(mutex_);
    ++counts_[static_cast<int>(r.state)];
    if (r.state != PortState::filtered) responsive_.insert(r.host);
    bool keep = r.state == PortState::open || (r.state == PortState::closed && show_.closed) ||
                (r.state == PortState::filtered && show_.filtered);
    if (keep) kept_.push_back(r);
}

}  // namespace ghostport::cli
