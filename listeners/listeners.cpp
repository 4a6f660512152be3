// Reads the listeners of one or every network namespace: socket table + owners, sorted.
#include "listeners/listeners.hpp"

#include <algorithm>
#include <tuple>

namespace ghostport::listeners {

bool listener_less(const core::Listener& a, const core::Listener& b) {
    return std::tie(a.netns, a.proto, a.port, a.address, a.inode) <
           std::tie(b.netns, b.proto, b.port, b.address, b.inode);
}

ReadResult read_listeners(const ReadOptions& options) {
    (void)options;
    ReadResult out;  // filled in by the socket table and owner readers (work in progress)
    return out;
}

}  // namespace ghostport::listeners
