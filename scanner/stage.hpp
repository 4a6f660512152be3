// SPDX-License-Identifier: GPL-2.0-or-later
// The seam of the scan pipeline: targets -> discovery -> sweep -> [stages] -> labels -> sinks. A stage after
// the sweep (identification today, others later) takes each decided port as the sweep decides it, works on
// it concurrently with the sweep, and hands what it learns downstream through a callback of its own.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "core/result.hpp"

namespace ghostport::scanner {

class Stage {
  public:
    virtual ~Stage() = default;
    // Called from the sweep's threads once per decided (host, port), as soon as it is decided. Thread-safe;
    // never blocks (the work is queued).
    virtual void take(const core::PortResult& result) = 0;
    // The sweep is over: completes the work in hand and returns once every result has been handed on; when
    // `stop` becomes true it abandons what is left promptly (what was found is still handed on). A second
    // call returns at once.
    virtual void finish(const std::atomic<bool>* stop) = 0;
};

// The stages of one scan, in order, behind the sweep's one result hook. Each folder keeps its one factory;
// a stage's (make_identify_stage) lives beside the engines', and this list is where the scan wires them.
class Pipeline {
  public:
    void add(std::unique_ptr<Stage> stage) { stages_.push_back(std::move(stage)); }
    void take(const core::PortResult& result) {
        for (auto& s : stages_) s->take(result);
    }
    void finish(const std::atomic<bool>* stop) {
        for (auto& s : stages_) s->finish(stop);
    }
    bool empty() const { return stages_.empty(); }

  private:
    std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace ghostport::scanner
