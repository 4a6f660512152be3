// SPDX-License-Identifier: GPL-2.0-or-later
// The nmap-compatible XML report format (xmloutputversion 1.05): the subset that ndiff and importers read.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/report.hpp"

namespace ghostport::output {

// Writes the report as one nmap XML document (UTF-8, "\n" after each element):
//   <?xml ...?> <!DOCTYPE nmaprun> <nmaprun scanner="ghostport" args start startstr version
//   xmloutputversion="1.05">, <scaninfo type protocol="tcp" numservices services=""/>, <verbose/>,
//   <debugging/>, one <host> per address that has rows or is in meta.hosts_up_list, then <runstats>
//   (<finished/>, <hosts/>).
// - scaninfo type: "syn" when meta.engine is "syn", else "connect" (the only other engine; the DTD allows
//   no free text there). numservices is meta.ports_per_host, services meta.ports_scanned ("1-1024,1642").
//   A report with UDP ports (meta.udp_ports_scanned) has <scaninfo type="udp" protocol="udp"> with those,
//   after a TCP one only when TCP ports were scanned too (numservices then counts each list).
// - Hosts in address order (IPv4 first), ports ascending within a host. A host is <status state="up">:
//   reason "syn-ack" when any of its rows has that reason, else "reset" when any has, else "udp-response",
//   else "port-unreach" (UDP rows) when any has, else "user-set" (it is
//   listed because the user targeted it, as nmap -Pn says). addrtype "ipv4" or "ipv6"; every distinct
//   non-empty row.hostname is a <hostname type="user">. starttime/endtime span the rows' scanned_at.
// - A port: <port protocol portid><state state reason reason_ttl="0"/><service .../></port>, reason
//   syn-ack -> "syn-ack", rst -> "reset", no-response -> "no-response", unreachable -> "host-unreach",
//   udp-response -> "udp-response", port-unreach -> "port-unreach" (nmap's words). The state is the row's:
//   open, closed, filtered or open|filtered (<state state="open|filtered" reason="no-response"/>).
//   <service name method="table" conf="3" extrainfo="rarity 9.7; ghost; ...; aka netbus"/> only when the
//   row has a name: the IANA service, else the prevalence file's known_as (then no "aka"). Rarity, labels
//   and known_as ride in extrainfo, so no attribute nmap lacks is invented.
//   In a -sV report (meta.service_scan) a port whose ReportRow::service is identified, and not "unknown"
//   (nmap keeps the table guess then), gets nmap's probed service instead:
//   <service name product version extrainfo tunnel="ssl" method="probed" conf="10"><cpe>..</cpe></service>
//   with each of product, version, extrainfo, tunnel and <cpe> only when set; tunnel when tls is set and
//   does not start with STARTTLS (and the name is not "ssl"); conf 8 for a soft match or tcpwrapped.
// - The ports of a host that no row lists (meta.ports_per_host minus its listed ports) are one
//   <extraports state count/> per state, as ndiff prints "Not shown: N closed ports". The report counts
//   states for the whole scan (meta.closed, meta.open_filtered), not per host: all unlisted ports are
//   "closed", "filtered" or "open|filtered" when the counts show one state only, or split exactly when one
//   host has them all; otherwise each host's are "closed|filtered". A host with no row spans the scan
//   (starttime/endtime) and its reason is "reset" when its unlisted ports are closed, else "user-set". A
//   (host, proto, port) seen twice (two hostnames of one address) is written once.
// - An all-open row (port 0, a host that answered on every port) is not a port: it becomes
//   <extraports state="open" count="C"><extrareasons reason="syn-ack" count="C"/></extraports> first in
//   its host's <ports>, C = meta.ports_per_host minus the host's other listed ports. ndiff prints it as
//   "Not shown: C open ports" and diffs it, and readers that list <port> elements get no phantom port 0.
// - Times are epoch seconds plus ctime-style strings in UTC (nmap uses local time); elapsed has 2 decimals.
//   A partial scan finishes with exit="error" and an errormsg, otherwise exit="success".
// - version is GHOSTPORT_VERSION when the build defines it for this library, else "unknown".
// Every text value passes through detail::xml_escape.
void write_xml(std::ostream& out, const core::Report& report);

namespace detail {

// The text made safe for XML 1.0 character data and attribute values (either quote): & < > " ' as the
// predefined entities; tab, LF, CR, DEL and C1 controls as &#xN; references (so attribute normalisation
// keeps them); the other C0 controls, U+FFFE, U+FFFF (not XML characters even as references) and ill-formed
// UTF-8 as U+FFFD. All else passes as UTF-8.
std::string xml_escape(std::string_view text);

}  // namespace detail

}  // namespace ghostport::output
