// SPDX-License-Identifier: GPL-2.0-or-later
// The Matcher: every pattern of the definitions compiled once with PCRE2 (JIT where available), matched with
// per-call match data under match, depth and heap limits, and the templates filled from the groups.
#include "probes/service_match.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace ghostport::probes {
namespace {

// Bounds on one pcre2_match call: backtracking steps, nesting depth, and heap (KiB) for the interpreter.
// Real patterns need a few thousand steps on a real answer; these leave a wide margin and still bound a
// hostile one to milliseconds.
constexpr std::uint32_t match_limit = 200'000;
constexpr std::uint32_t depth_limit = 5'000;
constexpr std::uint32_t heap_limit_kib = 8 * 1024;
constexpr std::uint32_t ovector_pairs = 10;  // $0..$9

struct Compiled {
    pcre2_code* code = nullptr;
    const ServiceMatch* match = nullptr;
};

// The highest $N a template uses (0 when none).
unsigned highest_reference(const MatchTemplate& t) {
    unsigned hi = 0;
    for (const std::string* s : {&t.product, &t.version, &t.info, &t.cpe})
        for (std::size_t i = 0; i + 1 < s->size(); ++i)
            if ((*s)[i] == '$' && (*s)[i + 1] >= '1' && (*s)[i + 1] <= '9')
                hi = std::max(hi, static_cast<unsigned>((*s)[i + 1] - '0'));
    return hi;
}

bool is_blank(unsigned char u) {
    return u == ' ' || u == '\t' || u == '\r' || u == '\n';
}

// A group's bytes as printable text: tab, CR and LF become spaces, other control bytes are dropped, bytes
// 0x80-0xff become \xHH; trimmed; at most Matcher::max_group_chars characters, never splitting an escape.
void append_clean(std::string& out, std::string_view group) {
    static constexpr char hex[] = "0123456789abcdef";
    while (!group.empty() && (is_blank(group.front()) || static_cast<unsigned char>(group.front()) < 0x20))
        group.remove_prefix(1);
    while (!group.empty() && (is_blank(group.back()) || static_cast<unsigned char>(group.back()) < 0x20))
        group.remove_suffix(1);
    std::size_t used = 0;
    for (const char c : group) {
        const auto u = static_cast<unsigned char>(c);
        if (is_blank(u)) {
            if (used + 1 > Matcher::max_group_chars) break;
            out += ' ';
            ++used;
        } else if (u < 0x20 || u == 0x7f) {
            continue;
        } else if (u >= 0x80) {
            if (used + 4 > Matcher::max_group_chars) break;
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xF];
            used += 4;
        } else {
            if (used + 1 > Matcher::max_group_chars) break;
            out += c;
            ++used;
        }
    }
}

// `tmpl` with each $N replaced by group N of the match in `md` over `subject` (unset group: nothing).
std::string fill(const std::string& tmpl, std::string_view subject, pcre2_match_data* md, int rc) {
    std::string out;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '$' && i + 1 < tmpl.size() && tmpl[i + 1] >= '1' && tmpl[i + 1] <= '9') {
            const auto n = static_cast<std::size_t>(tmpl[i + 1] - '0');
            ++i;
            if (rc > 0 && n >= static_cast<std::size_t>(rc)) continue;
            const PCRE2_SIZE a = ov[2 * n], b = ov[2 * n + 1];
            if (a == PCRE2_UNSET || b == PCRE2_UNSET || b < a || b > subject.size()) continue;
            append_clean(out, subject.substr(a, b - a));
        } else {
            out += tmpl[i];
        }
    }
    // A template like "$1 $2" with an empty $2 leaves a trailing blank.
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

struct Matcher::Impl {
    const ServiceDefs& defs;
    std::vector<std::vector<Compiled>> compiled;  // per probe, in file order
    std::vector<std::vector<std::size_t>> chain;  // per probe: itself, then its fallbacks (each once)
    pcre2_match_context* context = nullptr;

    explicit Impl(const ServiceDefs& d) : defs(d) {}
    ~Impl() {
        for (auto& probe : compiled)
            for (auto& c : probe) pcre2_code_free(c.code);
        pcre2_match_context_free(context);
    }
};

Matcher::Matcher(const ServiceDefs& defs) : impl_(std::make_unique<Impl>(defs)) {
    impl_->context = pcre2_match_context_create(nullptr);
    if (!impl_->context) throw core::RuntimeError("pcre2: out of memory");
    pcre2_set_match_limit(impl_->context, match_limit);
    pcre2_set_depth_limit(impl_->context, depth_limit);
    pcre2_set_heap_limit(impl_->context, heap_limit_kib);

    impl_->compiled.resize(defs.probes.size());
    impl_->chain.resize(defs.probes.size());
    for (std::size_t p = 0; p < defs.probes.size(); ++p) {
        const ServiceProbe& probe = defs.probes[p];
        impl_->chain[p].push_back(p);
        for (const auto& f : probe.fallback) {
            const int idx = defs.find(f);
            if (idx < 0)
                throw core::InputError(fmt::format("{}:{}: probe \"{}\" falls back to unknown probe \"{}\"",
                                                   defs.source, probe.line, probe.name, f));
            auto& ch = impl_->chain[p];
            if (std::find(ch.begin(), ch.end(), static_cast<std::size_t>(idx)) == ch.end())
                ch.push_back(static_cast<std::size_t>(idx));
        }
        for (const ServiceMatch& m : probe.matches) {
            // NEVER_UTF: answers are bytes; a (*UTF) in a pattern must not make invalid UTF-8 an error.
            std::uint32_t options = PCRE2_NEVER_UTF;
            if (m.caseless) options |= PCRE2_CASELESS;
            if (m.dotall) options |= PCRE2_DOTALL;
            int error = 0;
            PCRE2_SIZE offset = 0;
            pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(m.pattern.data()), m.pattern.size(),
                                             options, &error, &offset, nullptr);
            if (!code) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(error, msg, sizeof msg);
                throw core::InputError(fmt::format("{}:{}: bad pattern: {} at offset {}", defs.source, m.line,
                                                   reinterpret_cast<const char*>(msg), offset));
            }
            impl_->compiled[p].push_back({code, &m});
            std::uint32_t groups = 0;
            pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
            if (const unsigned ref = highest_reference(m.tmpl); ref > groups)
                throw core::InputError(fmt::format("{}:{}: template uses ${} but the pattern has {} group{}",
                                                   defs.source, m.line, ref, groups, groups == 1 ? "" : "s"));
            pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // no JIT: the interpreter runs it, same result
        }
    }
}

Matcher::~Matcher() = default;

std::optional<MatchHit> Matcher::match(std::size_t probe, std::string_view data,
                                       std::string_view only_service) const {
    if (probe >= impl_->compiled.size()) return std::nullopt;
    const std::string_view subject = data.substr(0, max_answer);
    pcre2_match_data* md = pcre2_match_data_create(ovector_pairs, nullptr);
    if (!md) return std::nullopt;
    std::optional<MatchHit> soft;
    std::optional<MatchHit> hard;
    for (const std::size_t p : impl_->chain[probe]) {
        for (const Compiled& c : impl_->compiled[p]) {
            const ServiceMatch& m = *c.match;
            if (!only_service.empty() && m.service != only_service) continue;
            if (m.soft && soft) continue;  // the first soft match is all that can be used
            const int rc = pcre2_match(c.code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(),
                                       0, 0, md, impl_->context);
            if (rc < 0) continue;  // no match, or a limit hit: either way not this one
            MatchHit hit;
            hit.service = m.service;
            hit.soft = m.soft;
            hit.line = m.line;
            if (!m.soft) {
                hit.product = fill(m.tmpl.product, subject, md, rc);
                hit.version = fill(m.tmpl.version, subject, md, rc);
                hit.info = fill(m.tmpl.info, subject, md, rc);
                hit.cpe = fill(m.tmpl.cpe, subject, md, rc);
                hard = std::move(hit);
                break;
            }
            soft = std::move(hit);
        }
        if (hard) break;
    }
    pcre2_match_data_free(md);
    return hard ? hard : soft;
}

bool Matcher::can_name(std::size_t probe, std::string_view service) const {
    if (probe >= impl_->compiled.size()) return false;
    for (const std::size_t p : impl_->chain[probe])
        for (const Compiled& c : impl_->compiled[p])
            if (c.match->service == service) return true;
    return false;
}

}  // namespace ghostport::probes
