// SPDX-License-Identifier: GPL-2.0-or-later
// What the identify stage tries on one port, and how long it waits: pure decisions, kept apart from the I/O.
#include "scanner/identify_plan.hpp"

#include <algorithm>
#include <array>

namespace ghostport::scanner {

std::vector<std::size_t> probe_order(const probes::ServiceDefs& defs, std::uint16_t port,
                                     unsigned intensity) {
    std::vector<std::size_t> hinted, rest;
    for (std::size_t i = 0; i < defs.probes.size(); ++i) {
        const auto& p = defs.probes[i];
        // UDP payloads (datagram probes) are the UDP engine's, never a TCP conversation.
        if (p.kind == probes::ProbeKind::greeting || p.kind == probes::ProbeKind::datagram) continue;
        if (p.fits_port(port))
            hinted.push_back(i);
        else if (p.rarity <= intensity)
            rest.push_back(i);
    }
    std::stable_sort(hinted.begin(), hinted.end(), [&](std::size_t a, std::size_t b) {
        return defs.probes[a].rarity < defs.probes[b].rarity;
    });
    hinted.insert(hinted.end(), rest.begin(), rest.end());
    return hinted;
}

namespace {

using std::chrono::milliseconds;

milliseconds rtt_ms(std::chrono::microseconds rtt) {
    return std::chrono::duration_cast<milliseconds>(rtt);
}

}  // namespace

// A LAN service that speaks first does so within a few milliseconds, but some look up the client's name
// before greeting; 4 RTTs on top of a floor covers slow paths without making silent ports expensive.
milliseconds greeting_wait(std::chrono::microseconds rtt) {
    return std::clamp(milliseconds(400) + 4 * rtt_ms(rtt), milliseconds(400), milliseconds(3000));
}

milliseconds answer_wait(std::chrono::microseconds rtt, milliseconds probe_wait) {
    if (probe_wait.count() > 0) return probe_wait + 2 * rtt_ms(rtt);
    return std::clamp(milliseconds(800) + 4 * rtt_ms(rtt), milliseconds(800), milliseconds(4000));
}

milliseconds connect_wait(std::chrono::microseconds rtt) {
    return std::clamp(milliseconds(1000) + 6 * rtt_ms(rtt), milliseconds(1000), milliseconds(5000));
}

namespace {

// The last complete line of `a` ("" when none is complete yet).
std::string_view last_line(std::string_view a) {
    if (a.empty() || a.back() != '\n') return {};
    a.remove_suffix(1);
    const auto start = a.rfind('\n');
    return start == std::string_view::npos ? a : a.substr(start + 1);
}

// An FTP/SMTP reply (RFC 959 4.2, RFC 5321 4.2): complete at a line "NNN " (or "NNN\r"); ok when NNN is
// `code`.
template <int code>
ReplyVerdict numbered_reply(std::string_view a) {
    const std::string_view line = last_line(a);
    if (line.size() < 3) return ReplyVerdict::need_more;
    if (line.size() > 3 && line[3] == '-') return ReplyVerdict::need_more;
    const int got = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    return got == code ? ReplyVerdict::ok : ReplyVerdict::refused;
}

// EHLO's reply must advertise STARTTLS (RFC 3207).
ReplyVerdict ehlo_reply(std::string_view a) {
    const ReplyVerdict v = numbered_reply<250>(a);
    if (v != ReplyVerdict::ok) return v;
    return a.find("STARTTLS") != std::string_view::npos ? ReplyVerdict::ok : ReplyVerdict::refused;
}

ReplyVerdict imap_greeting(std::string_view a) {
    const std::string_view line = last_line(a);
    if (line.empty()) return ReplyVerdict::need_more;
    return line.starts_with("* OK") || line.starts_with("* PREAUTH") ? ReplyVerdict::ok
                                                                     : ReplyVerdict::refused;
}

// RFC 3501 6.2.1: untagged lines may come first; the tagged "gp1 OK" ends it.
ReplyVerdict imap_starttls(std::string_view a) {
    const std::string_view line = last_line(a);
    if (!line.starts_with("gp1 ")) return ReplyVerdict::need_more;
    return line.starts_with("gp1 OK") ? ReplyVerdict::ok : ReplyVerdict::refused;
}

ReplyVerdict pop3_reply(std::string_view a) {
    const std::string_view line = last_line(a);
    if (line.empty()) return ReplyVerdict::need_more;
    return line.starts_with("+OK") ? ReplyVerdict::ok : ReplyVerdict::refused;
}

// RFC 4511 4.14: the ExtendedResponse (tag 0x78) of a LDAPMessage; resultCode (ENUMERATED 0x0a) 0 = success.
ReplyVerdict ldap_starttls(std::string_view a) {
    if (a.size() < 2) return ReplyVerdict::need_more;
    if (static_cast<unsigned char>(a[0]) != 0x30) return ReplyVerdict::refused;
    std::size_t len = static_cast<unsigned char>(a[1]), header = 2;
    if (len & 0x80) {
        const std::size_t n = len & 0x7f;
        if (n == 0 || n > 3) return ReplyVerdict::refused;
        if (a.size() < 2 + n) return ReplyVerdict::need_more;
        len = 0;
        for (std::size_t i = 0; i < n; ++i) len = len << 8 | static_cast<unsigned char>(a[2 + i]);
        header = 2 + n;
    }
    if (a.size() < header + len) return ReplyVerdict::need_more;
    const std::string_view msg = a.substr(header, len);
    const auto op = msg.find('\x78');
    if (op == std::string_view::npos) return ReplyVerdict::refused;
    const auto code = msg.find(std::string_view("\x0a\x01", 2), op);
    if (code == std::string_view::npos || code + 2 >= msg.size()) return ReplyVerdict::refused;
    return msg[code + 2] == 0 ? ReplyVerdict::ok : ReplyVerdict::refused;
}

// PostgreSQL's answer to an SSLRequest is one byte: 'S' (go ahead) or 'N' (protocol docs, 55.2.10).
ReplyVerdict postgresql_ssl(std::string_view a) {
    if (a.empty()) return ReplyVerdict::need_more;
    return a[0] == 'S' ? ReplyVerdict::ok : ReplyVerdict::refused;
}

constexpr char ldap_starttls_request[] =
    "\x30\x1d\x02\x01\x01\x77\x18\x80\x16"
    "1.3.6.1.4.1.1466.20037";
constexpr char postgresql_ssl_request[] = "\x00\x00\x00\x08\x04\xd2\x16\x2f";

}  // namespace

const StartTlsDialogue* starttls_dialogue(std::string_view service) {
    static const std::array<std::pair<std::string_view, StartTlsDialogue>, 6> dialogues{{
        {"smtp",
         {true,
          numbered_reply<220>,
          {{"EHLO ghostport.invalid\r\n", ehlo_reply}, {"STARTTLS\r\n", numbered_reply<220>}}}},
        {"imap", {true, imap_greeting, {{"gp1 STARTTLS\r\n", imap_starttls}}}},
        {"pop3", {true, pop3_reply, {{"STLS\r\n", pop3_reply}}}},
        {"ftp", {true, numbered_reply<220>, {{"AUTH TLS\r\n", numbered_reply<234>}}}},
        {"ldap",
         {false,
          nullptr,
          {{std::string_view(ldap_starttls_request, sizeof ldap_starttls_request - 1), ldap_starttls}}}},
        {"postgresql",
         {false,
          nullptr,
          {{std::string_view(postgresql_ssl_request, sizeof postgresql_ssl_request - 1), postgresql_ssl}}}},
    }};
    for (const auto& [name, dialogue] : dialogues)
        if (name == service) return &dialogue;
    return nullptr;
}

}  // namespace ghostport::scanner
