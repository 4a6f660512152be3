// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>

using namespace std::chrono_literals;
using ghostport::output::Progress;
using ghostport::output::detail::progress_line;

namespace {

// Everything written to a tmpfile() so far.
std::string contents(std::FILE* f) {
    std::fflush(f);
    const long end = std::ftell(f);
    std::string text(static_cast<std::size_t>(end), '\0');
    std::rewind(f);
    const std::size_t n = std::fread(text.data(), 1, text.size(), f);
    text.resize(n);
    std::fseek(f, 0, SEEK_END);
    return text;
}

struct TmpFile {
    std::FILE* f = std::tmpfile();
    ~TmpFile() {
        if (f) std::fclose(f);
    }
};

}  // namespace

TEST(Progress, LineFormat) {
    // 122,460 probes in 2 s is 61,230/s; 168,420 left take 2.75 s, shown rounded up.
    EXPECT_EQ(progress_line(122460, 290880, 7, 2s), "  42.1%  61,230 probes/s  open 7  ETA 0:03");
    EXPECT_EQ(progress_line(0, 1000, 0, 0s), "   0.0%  0 probes/s  open 0  ETA -:--");
    EXPECT_EQ(progress_line(0, 1000, 0, 5s), "   0.0%  0 probes/s  open 0  ETA -:--");
    EXPECT_EQ(progress_line(1000, 1000, 3, 4s), " 100.0%  250 probes/s  open 3  ETA 0:00");
    EXPECT_EQ(progress_line(1200, 1000, 3, 4s), " 100.0%  300 probes/s  open 3  ETA 0:00");
    EXPECT_EQ(progress_line(0, 0, 0, 0s), " 100.0%  0 probes/s  open 0  ETA 0:00");
    EXPECT_EQ(progress_line(1, 3602, 0, 1s), "   0.0%  1 probes/s  open 0  ETA 1:00:01");
    EXPECT_EQ(progress_line(10, 1210, 1, 1s), "   0.8%  10 probes/s  open 1  ETA 2:00");
}

TEST(Progress, DisabledWritesNothing) {
    TmpFile tmp;
    ASSERT_NE(tmp.f, nullptr);
    {
        Progress p(false, tmp.f);
        p.update(1, 10, 0, 1s);
        p.update(5, 10, 1, 2s);
        p.finish();
    }
    EXPECT_EQ(contents(tmp.f), "");
}

TEST(Progress, RewritesInPlaceThrottledAndClears) {
    TmpFile tmp;
    ASSERT_NE(tmp.f, nullptr);
    Progress p(true, tmp.f);
    p.update(1000, 10000, 2, 1s);
    const std::string first = "\r  10.0%  1,000 probes/s  open 2  ETA 0:09";
    EXPECT_EQ(contents(tmp.f), first);

    p.update(1100, 10000, 2, 1s + 100ms);  // within 250 ms of the last draw: skipped
    EXPECT_EQ(contents(tmp.f), first);

    p.update(1300, 10000, 3, 1s + 300ms);
    const std::string second = "\r  13.0%  1,000 probes/s  open 3  ETA 0:09";
    EXPECT_EQ(contents(tmp.f), first + second);

    // A shorter line is padded with spaces over the longer one.
    p.update(0, 0, 0, 2s);
    const std::string third = "\r 100.0%  0 probes/s  open 0  ETA 0:00";
    const std::size_t pad = second.size() - third.size();
    EXPECT_EQ(contents(tmp.f), first + second + third + std::string(pad, ' '));

    p.finish();
    const std::string cleared = "\r" + std::string(third.size() - 1, ' ') + "\r";
    EXPECT_EQ(contents(tmp.f), first + second + third + std::string(pad, ' ') + cleared);

    p.finish();  // nothing on screen: nothing more
    EXPECT_EQ(contents(tmp.f), first + second + third + std::string(pad, ' ') + cleared);
}

TEST(Progress, DestructorClearsTheLine) {
    TmpFile tmp;
    ASSERT_NE(tmp.f, nullptr);
    {
        Progress p(true, tmp.f);
        p.update(1, 2, 0, 1s);
    }
    const std::string text = contents(tmp.f);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\r');
    EXPECT_EQ(text.substr(text.rfind('\r', text.size() - 2)),
              "\r" + std::string(std::string("  50.0%  1 probes/s  open 0  ETA 0:01").size(), ' ') + "\r");
}
