// SPDX-License-Identifier: GPL-2.0-or-later
#include "scanner/target_spec.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/errors.hpp"

using namespace ghostport::scanner;
using ghostport::core::Address;
using ghostport::core::InputError;

namespace {
// Resolves only names the test defines: no DNS traffic leaves the machine.
Resolver fake_resolver() {
    return [](const std::string& host) -> std::vector<Address> {
        if (host == "lab-host") return {*Address::parse("198.18.0.7"), *Address::parse("2001:2::7")};
        if (host == "empty-host") return {};
        throw InputError("bad target '" + host + "': cannot resolve: Name or service not known");
    };
}
std::vector<std::string> expand(const TargetOptions& opt) {
    auto set = build_targets(opt, fake_resolver());
    std::vector<std::string> out;
    for (std::uint64_t i = 0; i < set.size(); ++i) out.push_back(set.at(i).to_string());
    return out;
}
TargetOptions specs(std::vector<std::string> targets) {
    TargetOptions opt;
    opt.targets = std::move(targets);
    return opt;
}
std::string error_of(std::string_view spec) {
    try {
        parse_target(spec, fake_resolver());
    } catch (const InputError& e) {
        return e.what();
    }
    return "accepted";
}
}  // namespace

TEST(TargetSpec, LiteralsBothFamilies) {
    EXPECT_EQ(expand(specs({"198.18.0.1", "2001:2::1"})),
              (std::vector<std::string>{"198.18.0.1", "2001:2::1"}));
}

TEST(TargetSpec, CidrBlocks) {
    auto v4 = expand(specs({"198.18.0.77/30"}));
    EXPECT_EQ(v4, (std::vector<std::string>{"198.18.0.76", "198.18.0.77", "198.18.0.78", "198.18.0.79"}));
    EXPECT_EQ(expand(specs({"198.18.0.1/32"})).size(), 1u);
    EXPECT_EQ(expand(specs({"198.18.0.0/15"})).size(), 131072u);
    auto v6 = expand(specs({"2001:2::/126"}));
    EXPECT_EQ(v6, (std::vector<std::string>{"2001:2::", "2001:2::1", "2001:2::2", "2001:2::3"}));
}

// The whole address space of each family: ::/0 once shifted a 128-bit value by 128 (found by the fuzzer).
TEST(TargetSpec, WholeAddressSpaces) {
    auto v6 = parse_target("::/0", fake_resolver());
    ASSERT_EQ(v6.size(), 1u);
    EXPECT_EQ(v6[0].lo, u128{0});
    EXPECT_EQ(v6[0].hi, ~u128{0});
    auto v4 = parse_target("0.0.0.0/0", fake_resolver());
    ASSERT_EQ(v4.size(), 1u);
    EXPECT_EQ(v4[0].lo, u128{0});
    EXPECT_EQ(v4[0].hi, u128{0xFFFFFFFF});
}

TEST(TargetSpec, Ipv4Ranges) {
    EXPECT_EQ(expand(specs({"198.18.1.10-12"})),
              (std::vector<std::string>{"198.18.1.10", "198.18.1.11", "198.18.1.12"}));
    auto wide = expand(specs({"198.18.1.254-198.18.2.1"}));
    EXPECT_EQ(wide, (std::vector<std::string>{"198.18.1.254", "198.18.1.255", "198.18.2.0", "198.18.2.1"}));
}

TEST(TargetSpec, HostnamesResolveToBothFamiliesAndKeepTheirName) {
    auto set = build_targets(specs({"lab-host"}), fake_resolver());
    ASSERT_EQ(set.size(), 2u);
    EXPECT_EQ(set.hostname(*Address::parse("198.18.0.7")), "lab-host");
    EXPECT_EQ(set.hostname(*Address::parse("2001:2::7")), "lab-host");
}

TEST(TargetSpec, ExcludesAndExcludeFiles) {
    TargetOptions opt;
    opt.targets = {"198.18.0.0/29"};
    opt.excludes = {"198.18.0.0,198.18.0.7", "198.18.0.2-3"};
    EXPECT_EQ(expand(opt),
              (std::vector<std::string>{"198.18.0.1", "198.18.0.4", "198.18.0.5", "198.18.0.6"}));
}

TEST(TargetSpec, TargetFileLines) {
    std::istringstream in("# lab hosts\n198.18.0.1  198.18.0.2 # two\n\n   \n2001:2::1\n");
    EXPECT_EQ(read_target_lines(in), (std::vector<std::string>{"198.18.0.1", "198.18.0.2", "2001:2::1"}));
}

TEST(TargetSpec, MissingTargetFileIsAnInputError) {
    TargetOptions opt;
    opt.input_files = {"/nonexistent/targets.txt"};
    EXPECT_THROW(expand(opt), InputError);
}

TEST(TargetSpec, EveryBadFormNamesTheValue) {
    EXPECT_EQ(error_of(""), "bad target '': empty target");
    EXPECT_EQ(error_of("198.18.0.0/33"), "bad target '198.18.0.0/33': prefix length must be 0-32");
    EXPECT_EQ(error_of("2001:2::/129"), "bad target '2001:2::/129': prefix length must be 0-128");
    EXPECT_EQ(error_of("198.18.0.0/"), "bad target '198.18.0.0/': prefix length must be 0-32");
    EXPECT_EQ(error_of("198.18.0.0/x"), "bad target '198.18.0.0/x': prefix length must be 0-32");
    EXPECT_EQ(error_of("lab-host/24"), "bad target 'lab-host/24': CIDR base is not an IPv4 or IPv6 address");
    EXPECT_EQ(error_of("198.18.1.20-10"), "bad target '198.18.1.20-10': range end is below its start");
    EXPECT_EQ(error_of("198.18.1.10-256"),
              "bad target '198.18.1.10-256': range end must be an IPv4 address or a last octet 0-255");
    EXPECT_EQ(error_of("198.18.1.10-2001:2::1"),
              "bad target '198.18.1.10-2001:2::1': range ends in an IPv6 address");
    EXPECT_EQ(error_of("198.18.2.1-198.18.1.1"),
              "bad target '198.18.2.1-198.18.1.1': range end is below its start");
    EXPECT_EQ(error_of("2001:2::1-5"),
              "bad target '2001:2::1-5': a range needs an IPv4 start address (198.18.1.10-20)");
    EXPECT_EQ(error_of("198.18.0.300"),
              "bad target '198.18.0.300': not an address, CIDR block, IPv4 range or hostname");
    EXPECT_EQ(error_of("bad host!"),
              "bad target 'bad host!': not an address, CIDR block, IPv4 range or hostname");
    EXPECT_EQ(error_of("empty-host"), "bad target 'empty-host': hostname has no IPv4 or IPv6 address");
    EXPECT_EQ(error_of("no-such-host"),
              "bad target 'no-such-host': cannot resolve: Name or service not known");
}

TEST(TargetSpec, EmptyResults) {
    EXPECT_THROW(expand(specs({})), InputError);
    TargetOptions opt;
    opt.targets = {"198.18.0.1"};
    opt.excludes = {"198.18.0.0/24"};
    try {
        expand(opt);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "every target is excluded: nothing to scan");
    }
}
