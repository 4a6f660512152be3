// SPDX-License-Identifier: GPL-2.0-or-later
// Host discovery: the factory, and the connect method (TCP connections to a few common ports), which needs no
// privilege. The raw method is scanner/raw_discovery.cpp.
#include "scanner/discovery.hpp"

#include <fmt/format.h>

#include <mutex>
#include <vector>

#include "core/errors.hpp"
#include "scanner/connect_engine.hpp"
#include "scanner/raw_discovery.hpp"
#include "scanner/target_source.hpp"

namespace ghostport::scanner {

std::string_view to_string(UpReason r) {
    switch (r) {
        case UpReason::echo_reply:
            return "echo-reply";
        case UpReason::timestamp_reply:
            return "timestamp-reply";
        case UpReason::syn_ack:
            return "syn-ack";
        case UpReason::rst:
            return "reset";
        case UpReason::connected:
            return "connected";
        case UpReason::refused:
            return "refused";
    }
    return "?";
}

namespace {

// A host is up when a connection to one of a few ports that are often open succeeds or is refused (an RST
// came back); a timeout or an ICMP error says nothing.
class ConnectDiscovery final : public Discovery {
  public:
    explicit ConnectDiscovery(const DiscoveryOptions& o) {
        engine_options_.timeout = o.timeout;
        engine_options_.retries = o.retries;
        engine_options_.max_rate = o.max_rate;
    }

    void run(const TargetSet& hosts, const std::function<void(const HostUp&)>& on_up,
             const std::atomic<bool>* stop) override {
        static const std::vector<std::uint16_t> ports{80, 443, 22, 445, 3389};
        std::mutex mutex;
        std::vector<bool> reported(hosts.size(), false);
        TargetSource source(hosts, ports, 0);
        EngineHooks hooks;
        hooks.stop = stop;
        hooks.on_result = [&](const core::PortResult& r) {
            if (r.state != core::PortState::open && r.state != core::PortState::closed) return;
            const auto index = hosts.index_of(r.host);
            if (!index) return;
            {
                std::lock_guard lock(mutex);
                if (reported[*index]) return;
                reported[*index] = true;
            }
            on_up({r.host, *index, r.state == core::PortState::open ? UpReason::connected : UpReason::refused,
                   r.rtt_us});
        };
        ConnectEngine(engine_options_).run(source, hooks);
    }

  private:
    EngineOptions engine_options_;
};

}  // namespace

std::unique_ptr<Discovery> make_discovery(std::string_view method, const DiscoveryOptions& options) {
    if (method == "connect") return std::make_unique<ConnectDiscovery>(options);
    if (method == "syn") return std::make_unique<RawDiscovery>(options);
    throw core::InputError(fmt::format("unknown discovery method '{}' (available: connect, syn)", method));
}

}  // namespace ghostport::scanner
