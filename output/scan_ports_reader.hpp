// SPDX-License-Identifier: GPL-2.0-or-later
// Reading a scan report of this host for `ghostport listeners --against`: ghostport's JSON (or CSV) report,
// or an XML report (ghostport's own, or nmap's -oX), as the hosts, port states and probed ports it records.
#pragma once

#include <string>
#include <string_view>

#include "core/listener_against.hpp"

namespace ghostport::output {

// Reads an nmap-style XML document: each <host>'s <address addr addrtype="ipv4|ipv6"> (a mac address is
// skipped), each <port protocol portid> with its <state state>, and each <scaninfo protocol services> as
// the ports probed per protocol ("1-1024,1642"). Only "open" is open ("open|filtered" is not). Entities and
// character references in attribute values are decoded. Throws core::InputError "bad XML: ..." for a tag
// that does not close, a bad address, port or protocol, or a document with no <nmaprun>.
core::ScanView read_scan_xml(std::string_view text);

// Reads FILE as XML when its first non-blank character is '<', else as a ghostport report (JSON or CSV,
// output::read_report_file) through core::scan_view. Errors are prefixed with "FILE: ".
core::ScanView read_scan_view_file(const std::string& path);

}  // namespace ghostport::output
