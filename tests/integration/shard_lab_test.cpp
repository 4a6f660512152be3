// SPDX-License-Identifier: GPL-2.0-or-later
// Shards of a subnet sweep in the namespace lab: three `--shard K/3` scans of a /24 where 20 hosts are up
// (each shard runs its own host discovery, then its slice of the live hosts' ports), merged, equal one
// unsharded sweep.
#include <unistd.h>

#include <filesystem>

#include "lab.hpp"

using namespace gp_test;
namespace fs = std::filesystem;

namespace {

class ShardLab : public PerEngine {};

}  // namespace

TEST_P(ShardLab, ThreeShardsOfASweepMergedEqualTheWholeSweep) {
    GP_REQUIRE_LAB();
    Lab lab(20);
    lab.listen(
        {"198.18.0.10:22", "198.18.0.13:80", "198.18.0.17:443", "198.18.0.21:1642", "198.18.0.29:2999"});
    ScratchDir scratch("shards");
    const fs::path dir = scratch.path();
    const std::vector<std::string> scan{"198.18.0.0/24", "-p",    "1-3000", "--seed", "9",
                                        "--timeout",     "500ms", "-q",     "--show", "open,closed"};
    auto with = [&](std::vector<std::string> extra) {
        auto argv = scan;
        argv.insert(argv.end(), extra.begin(), extra.end());
        return lab.in_scanner(args(argv));
    };
    auto whole = run(with({"--format", "csv"}), std::chrono::seconds(120));
    ASSERT_EQ(whole.exit_code, 0) << whole.err;

    std::vector<std::string> merge{ghostport_binary(), "merge", "--format", "csv", "-q"};
    for (int k = 1; k <= 3; ++k) {
        const std::string out = (dir / ("shard-" + std::to_string(k) + ".json")).string();
        auto shard = run(with({"--shard", std::to_string(k) + "/3", "-o", out}), std::chrono::seconds(120));
        ASSERT_EQ(shard.exit_code, 0) << shard.err;
        merge.push_back(out);
    }
    auto merged = run(with_registry(merge), std::chrono::seconds(60));
    ASSERT_EQ(merged.exit_code, 0) << merged.err;

    const auto want = parse_csv_report(whole.out);
    const auto got = parse_csv_report(merged.out);
    EXPECT_EQ(keys(got, "open"), keys(want, "open"));
    EXPECT_EQ(keys(got, "open").size(), 5u);
    EXPECT_EQ(keys(got, "closed"), keys(want, "closed"));
    EXPECT_EQ(got.size(), want.size());
}

INSTANTIATE_TEST_SUITE_P(Engines, ShardLab, ::testing::Values("syn", "connect"),
                         [](const auto& info) { return info.param; });
