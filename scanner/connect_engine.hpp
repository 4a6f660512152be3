// SPDX-License-Identifier: GPL-2.0-or-later
// The connect engine: full TCP connects, no privileges needed. Open = connected, closed = refused,
// filtered = no answer before the RTT-derived deadline (after retries) or host/net unreachable.
#pragma once

#include "scanner/engine.hpp"

namespace ghostport::scanner {

class ConnectEngine final : public Engine {
  public:
    explicit ConnectEngine(const EngineOptions& options);
    EngineStats run(const TargetSource& source, const EngineHooks& hooks) override;

  private:
    EngineOptions options_;
};

}  // namespace ghostport::scanner
