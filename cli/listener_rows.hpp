// SPDX-License-Identifier: GPL-2.0-or-later
// The rows of `ghostport listeners`: each listener labelled from the registry like a scan's open port.
#pragma once

#include <string>
#include <vector>

#include "core/listener_report.hpp"
#include "registry/labeler.hpp"

namespace ghostport::cli {

// One row per listener, same order: the label of (port, proto) as the Labeler gives an open port on one host
// of one (label_port(port, proto, true, 1, 1): ghost, rarity, range labels), plus deleted-exe when an
// owner's executable was deleted or is a memfd.
std::vector<core::ListenerRow> label_listeners(std::vector<core::Listener> listeners,
                                               const registry::Labeler& labeler);

// The namespaces the listeners come from, the caller's own ("") first, then the others by name.
std::vector<std::string> namespaces_of(const std::vector<core::ListenerRow>& rows);

}  // namespace ghostport::cli
