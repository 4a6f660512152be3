// SPDX-License-Identifier: GPL-2.0-or-later
// The one way a test skips: with a reason, and never under CI=true, where a skip is a failure that says
// what to install or enable.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace gp_test {

// True when the environment says CI=true: nothing may skip.
inline bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string_view(ci) == "true";
}

}  // namespace gp_test

// Skips the current test with `why` (a string), or fails it with `why` under CI=true. Use at test level
// (it returns from the calling function).
#define GP_SKIP(why)                                                                     \
    do {                                                                                 \
        const std::string gp_skip_why = (why);                                           \
        if (::gp_test::in_ci()) FAIL() << gp_skip_why << " (CI=true: no test may skip)"; \
        GTEST_SKIP() << gp_skip_why;                                                     \
    } while (0)
