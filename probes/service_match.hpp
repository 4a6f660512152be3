// SPDX-License-Identifier: GPL-2.0-or-later
// Matching a service's answer against the definitions' PCRE2 patterns, and filling the templates.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "probes/service_defs.hpp"

namespace ghostport::probes {

struct MatchHit {
    std::string service;
    bool soft = false;
    std::string product, version, info, cpe;  // templates with $N filled (groups cleaned to printable text)
    std::size_t line = 0;                     // the match's line in the file
};

class Matcher {
  public:
    // Only the first this many bytes of an answer are matched (a service says who it is early; a 1 MB
    // answer costs no more than a 64 KiB one).
    static constexpr std::size_t max_answer = 64 * 1024;
    // Each $N substitution is cut to this many characters (after cleaning to printable text).
    static constexpr std::size_t max_group_chars = 80;

    // Compiles every pattern of `defs` (kept by reference: it must outlive the Matcher); JIT where PCRE2 has
    // it. Throws core::InputError "FILE:LINE: bad pattern: <PCRE2's message> at offset N".
    explicit Matcher(const ServiceDefs& defs);
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    // The answer `data` got to probe number `probe` (an index into defs.probes): the first hard match among
    // that probe's matches, then its fallbacks' in order; failing that the first soft match; else nullopt.
    // `only_service` (non-empty) restricts to matches for that service (after a soft match). Thread-safe;
    // bounded work per call (PCRE2 match and depth limits), so a hostile answer cannot stall it.
    std::optional<MatchHit> match(std::size_t probe, std::string_view data,
                                  std::string_view only_service = {}) const;

    // Whether probe number `probe` (with its fallbacks) has any match for `service`.
    bool can_name(std::size_t probe, std::string_view service) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ghostport::probes
