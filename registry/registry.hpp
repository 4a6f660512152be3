// SPDX-License-Identifier: GPL-2.0-or-later
// The service registry in memory (IANA's CSV or a services(5) file), indexed by (port, protocol).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"
#include "core/result.hpp"
#include "registry/iana_record.hpp"

namespace ghostport::registry {

enum class RegistryFormat { iana_csv, services };

class Registry {
  public:
    // Parses IANA's service-names-port-numbers.csv. Throws core::InputError "<source>: line N: <what>" on a
    // bad record and "<source>: not IANA's service-names-port-numbers.csv format (line 1: ...)" when the
    // header lacks IANA's columns. Both the 2014 and the 2025 header variants are accepted.
    static Registry from_iana_csv(std::string_view text, std::string source);

    // Parses a services(5) file (`name port/proto [aliases...] [# comment]`). Ports it lists are
    // assigned; ports it does not list are unknown. Throws core::InputError "<source>: line N: <what>".
    static Registry from_services(std::string_view text, std::string source);

    // Reads `path` and parses it as IANA's CSV when its first line is IANA's header, else as services(5).
    // Throws core::InputError naming the path when it is unreadable, empty, invalid or lists no port.
    static Registry load(const std::filesystem::path& path);
    // The same, for the text already read from `path`.
    static Registry load(const std::filesystem::path& path, std::string_view text);

    // Adds `services`' records for every (port, tcp/udp) this registry does not name (no record, or only
    // Unassigned ones), marked filled: lookup gives such a port RegistryStatus::services_file. Ports this
    // registry names or reserves are left alone. Returns the number of (port, protocol) pairs filled.
    std::size_t fill_from(const Registry& services);

    struct PortInfo {
        core::RegistryStatus status = core::RegistryStatus::unknown;  // unknown: no record covers the port
        const IanaRecord* primary = nullptr;     // first named record that is not an alias/historic name
        std::vector<const IanaRecord*> records;  // every record covering (port, proto), in file order
    };

    // Everything the registry says about (port, proto); records with an empty protocol apply to both.
    // Status: assigned when a named record covers it (services_file when that record was filled in by
    // fill_from), else reserved, else unassigned, else unknown.
    // The pointers stay valid for the life of this Registry.
    PortInfo lookup(std::uint16_t port, core::Proto proto) const;

    // Newest Registration/Modification date in the file, "YYYY-MM-DD"; "" when it has none.
    std::string snapshot_date() const { return snapshot_date_; }

    const std::string& source() const { return source_; }
    // The services(5) file fill_from took ports from ("" when none) and how many (port, protocol) pairs.
    const std::string& fill_source() const { return fill_source_; }
    std::size_t filled_ports() const { return filled_ports_; }
    RegistryFormat format() const { return format_; }
    std::size_t size() const { return records_.size(); }
    const std::vector<IanaRecord>& records() const { return records_; }

  private:
    Registry(std::vector<IanaRecord> records, std::string source, RegistryFormat format);
    void build_index();

    std::vector<IanaRecord> records_;
    std::string source_;
    RegistryFormat format_;
    std::string snapshot_date_;
    std::string fill_source_;
    std::size_t filled_ports_ = 0;
    // Per protocol (tcp, udp): records covering `port` are entries_[p][offsets_[p][port] ..
    // offsets_[p][port+1]).
    std::array<std::vector<std::uint32_t>, 2> offsets_;
    std::array<std::vector<std::uint32_t>, 2> entries_;
};

}  // namespace ghostport::registry
