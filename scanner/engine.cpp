// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/engine.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "scanner/connect_engine.hpp"
#include "scanner/syn_engine.hpp"

namespace ghostport::scanner {

std::unique_ptr<Engine> make_engine(std::string_view name, const EngineOptions& options) {
    if (name == "connect") return std::make_unique<ConnectEngine>(options);
    if (name == "syn") return std::make_unique<SynEngine>(options);
    throw core::InputError(fmt::format("unknown engine '{}' (available: connect, syn)", name));
}

}  // namespace ghostport::scanner
