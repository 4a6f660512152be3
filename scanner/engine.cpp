#include "scanner/engine.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "scanner/connect_engine.hpp"

namespace ghostport::scanner {

std::unique_ptr<Engine> make_engine(std::string_view name, const EngineOptions& options) {
    if (name == "connect") return std::make_unique<ConnectEngine>(options);
    throw core::InputError(fmt::format("unknown engine '{}' (available: connect)", name));
}

}  // namespace ghostport::scanner
