// SPDX-License-Identifier: GPL-2.0-or-later
// The service registry in memory (IANA's CSV or a services(5) file), indexed by (port, protocol).
#include "registry/registry.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "registry/iana_csv.hpp"
#include "registry/services_file.hpp"
#include "registry/text_util.hpp"

namespace ghostport::registry {

namespace {

constexpr std::size_t port_count = 65536;

std::size_t proto_index(core::Proto p) {
    return p == core::Proto::tcp ? 0 : 1;
}

bool applies_to(const IanaRecord& r, std::size_t proto) {
    if (!r.has_port) return false;
    return r.protocol.empty() || r.protocol == (proto == 0 ? "tcp" : "udp");
}

}  // namespace

Registry::Registry(std::vector<IanaRecord> records, std::string source, RegistryFormat format)
    : records_(std::move(records)), source_(std::move(source)), format_(format) {
    snapshot_date_ = detail::newest_date(records_);
    build_index();
}

void Registry::build_index() {
    // Counting sort into a compressed index: one pass to count, one to place (file order is kept).
    for (std::size_t p = 0; p < 2; ++p) {
        std::vector<std::uint32_t>& offsets = offsets_[p];
        offsets.assign(port_count + 1, 0);
        for (const auto& r : records_)
            if (applies_to(r, p))
                for (std::uint32_t port = r.port_lo; port <= r.port_hi; ++port) ++offsets[port + 1];
        for (std::size_t i = 1; i <= port_count; ++i) offsets[i] += offsets[i - 1];
        std::vector<std::uint32_t>& entries = entries_[p];
        entries.resize(offsets[port_count]);
        std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
        for (std::uint32_t i = 0; i < records_.size(); ++i) {
            const auto& r = records_[i];
            if (applies_to(r, p))
                for (std::uint32_t port = r.port_lo; port <= r.port_hi; ++port) entries[fill[port]++] = i;
        }
    }
}

Registry Registry::from_iana_csv(std::string_view text, std::string source) {
    auto records = detail::parse_iana_csv(text, source);
    return Registry(std::move(records), std::move(source), RegistryFormat::iana_csv);
}

Registry Registry::from_services(std::string_view text, std::string source) {
    auto records = detail::parse_services(text, source);
    return Registry(std::move(records), std::move(source), RegistryFormat::services);
}

Registry Registry::load(const std::filesystem::path& path) {
    return load(path, detail::read_text_file(path));
}

Registry Registry::load(const std::filesystem::path& path, std::string_view text) {
    const std::string source = path.string();
    if (detail::trim(text).empty()) throw core::InputError(fmt::format("{}: registry file is empty", source));
    // A first line that is IANA's header, or any CSV-looking non-comment line, is read as IANA's CSV
    // (so a foreign CSV is reported as such); anything else as services(5).
    const std::string_view first = detail::trim(text.substr(0, text.find('\n')));
    const bool iana =
        detail::looks_like_iana_csv(text) || (!first.starts_with('#') && first.find(',') != first.npos);
    Registry registry = iana ? from_iana_csv(text, source) : from_services(text, source);
    bool any_port = false;
    for (const auto& r : registry.records_) any_port = any_port || r.has_port;
    if (!any_port)
        throw core::InputError(
            fmt::format("{}: no port entries found (expected IANA's service-names-port-numbers.csv "
                        "or a services(5) file)",
                        source));
    return registry;
}

std::size_t Registry::fill_from(const Registry& services) {
    std::vector<IanaRecord> added;
    std::size_t pairs = 0;
    for (const core::Proto proto : {core::Proto::tcp, core::Proto::udp}) {
        const std::size_t p = proto_index(proto);
        // The ports this registry names or reserves, from one pass over its records (not a lookup per port).
        std::vector<bool> named(port_count, false);
        for (const auto& r : records_) {
            if (!applies_to(r, p)) continue;
            const auto status = record_status(r);
            if (status == core::RegistryStatus::unassigned) continue;
            for (std::uint32_t port = r.port_lo; port <= r.port_hi; ++port) named[port] = true;
        }
        for (std::uint32_t port = 0; port < port_count; ++port) {
            if (named[port]) continue;
            const std::uint32_t begin = services.offsets_[p][port], end = services.offsets_[p][port + 1];
            bool any = false;
            for (std::uint32_t i = begin; i < end; ++i) {
                IanaRecord r = services.records_[services.entries_[p][i]];
                if (record_status(r) != core::RegistryStatus::assigned) continue;
                r.port_lo = r.port_hi = static_cast<std::uint16_t>(port);
                r.protocol = proto == core::Proto::tcp ? "tcp" : "udp";
                r.filled = true;
                added.push_back(std::move(r));
                any = true;
            }
            if (any) ++pairs;
        }
    }
    if (added.empty()) return 0;
    records_.insert(records_.end(), std::make_move_iterator(added.begin()),
                    std::make_move_iterator(added.end()));
    build_index();
    fill_source_ = services.source();
    filled_ports_ += pairs;
    return pairs;
}

Registry::PortInfo Registry::lookup(std::uint16_t port, core::Proto proto) const {
    PortInfo info;
    const std::size_t p = proto_index(proto);
    const std::uint32_t begin = offsets_[p][port], end = offsets_[p][port + 1u];
    info.records.reserve(end - begin);
    bool reserved = false, unassigned = false;
    const IanaRecord* first_named = nullptr;
    for (std::uint32_t i = begin; i < end; ++i) {
        const IanaRecord* r = &records_[entries_[p][i]];
        info.records.push_back(r);
        switch (record_status(*r)) {
            case core::RegistryStatus::assigned:
                if (!first_named) first_named = r;
                if (!info.primary && !is_secondary_name(*r)) info.primary = r;
                break;
            case core::RegistryStatus::reserved:
                reserved = true;
                break;
            default:
                unassigned = true;
                break;
        }
    }
    if (!info.primary) info.primary = first_named;
    info.status = first_named  ? (first_named->filled ? core::RegistryStatus::services_file
                                                      : core::RegistryStatus::assigned)
                  : reserved   ? core::RegistryStatus::reserved
                  : unassigned ? core::RegistryStatus::unassigned
                               : core::RegistryStatus::unknown;
    return info;
}

}  // namespace ghostport::registry
