// SPDX-License-Identifier: GPL-2.0-or-later
// Labelling listeners from the registry.
#include "cli/listener_rows.hpp"

#include <set>

namespace ghostport::cli {

std::vector<core::ListenerRow> label_listeners(std::vector<core::Listener> listeners,
                                               const registry::Labeler& labeler) {
    std::vector<core::ListenerRow> rows;
    rows.reserve(listeners.size());
    for (auto& l : listeners) {
        core::ListenerRow row;
        row.label = labeler.label_port(l.port, l.proto, true, 1, 1);
        if (core::has_deleted_exe(l)) row.label.labels |= core::label_deleted_exe;
        row.listener = std::move(l);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<std::string> namespaces_of(const std::vector<core::ListenerRow>& rows) {
    std::set<std::string> others;
    for (const auto& r : rows)
        if (!r.listener.netns.empty()) others.insert(r.listener.netns);
    std::vector<std::string> out{""};
    out.insert(out.end(), others.begin(), others.end());
    return out;
}

}  // namespace ghostport::cli
