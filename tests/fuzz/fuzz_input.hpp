// SPDX-License-Identifier: GPL-2.0-or-later
// What every fuzz target shares: the input as text, and the one exception a parser may throw for bad input.
// A fuzz target catches core::InputError only (a clear one-line error is the contract for bad input); any
// other exception escapes, and libFuzzer reports it as a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gp_fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace gp_fuzz

// Each target defines this (libFuzzer's entry point; replay_main.cpp calls it for the corpus in CTest).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
