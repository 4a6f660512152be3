// SPDX-License-Identifier: GPL-2.0-or-later
#include "registry/prevalence.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "real_files.hpp"

using ghostport::core::InputError;
using ghostport::core::Proto;
using ghostport::registry::locate_prevalence;
using ghostport::registry::Prevalence;
namespace t = ghostport::registry::testing;

namespace {

const char* sample =
    "# Fields in this file are: Service name, portnum/protocol, open-frequency, optional comments\n"
    "#\n"
    "alpha\t7/tcp\t0.100000\t# first\n"
    "beta\t9/tcp\t0.300000\n"
    "gamma\t8/tcp\t0.100000\n"
    "alpha\t7/udp\t0.500000\n"
    "\n"
    "zeta\t11/tcp\t0.000000\n"
    "dup\t7/tcp\t0.900000\n"
    "stream\t7/sctp\t0.200000\n";

std::string error_of(const std::string& text) {
    try {
        Prevalence::parse(text, "prev");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Prevalence, LooksUpByPortAndProtocol) {
    const auto p = Prevalence::parse(sample, "prev");
    EXPECT_EQ(p.source(), "prev");
    EXPECT_EQ(p.size(), 5u);  // the duplicate and the sctp line are not kept
    const auto* e = p.lookup(7, Proto::tcp);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->name, "alpha");
    EXPECT_DOUBLE_EQ(e->frequency, 0.1);  // the first line for a (port, proto) wins
    ASSERT_NE(p.lookup(7, Proto::udp), nullptr);
    EXPECT_DOUBLE_EQ(p.lookup(7, Proto::udp)->frequency, 0.5);
    EXPECT_EQ(p.lookup(9, Proto::udp), nullptr);
    EXPECT_EQ(p.lookup(65535, Proto::tcp), nullptr);
    ASSERT_NE(p.lookup(11, Proto::tcp), nullptr);
    EXPECT_EQ(p.lookup(11, Proto::tcp)->frequency, 0.0);
}

TEST(Prevalence, TopPortsByFrequencyThenPort) {
    const auto p = Prevalence::parse(sample, "prev");
    EXPECT_EQ(p.top_ports(10, Proto::tcp), (std::vector<std::uint16_t>{9, 7, 8, 11}));
    EXPECT_EQ(p.top_ports(2, Proto::tcp), (std::vector<std::uint16_t>{9, 7}));
    EXPECT_EQ(p.top_ports(0, Proto::tcp), std::vector<std::uint16_t>{});
    EXPECT_EQ(p.top_ports(5, Proto::udp), std::vector<std::uint16_t>{7});
}

TEST(Prevalence, MalformedLinesNameTheLine) {
    EXPECT_EQ(error_of("ok\t1/tcp\t0.1\nbad\t70000/tcp\t0.1\n"),
              "prev: line 2: bad port/protocol \"70000/tcp\" (expected e.g. 22/tcp)");
    EXPECT_NE(error_of("bad\t1/icmp\t0.1\n").find("line 1: bad port/protocol"), std::string::npos);
    EXPECT_NE(error_of("bad\t1\t0.1\n").find("line 1: bad port/protocol"), std::string::npos);
    EXPECT_EQ(error_of("bad\t1/tcp\t1.5\n"),
              "prev: line 1: bad frequency \"1.5\" (expected a number in [0, 1])");
    EXPECT_NE(error_of("bad\t1/tcp\t-0.1\n").find("line 1: bad frequency"), std::string::npos);
    EXPECT_NE(error_of("bad\t1/tcp\tnan\n").find("line 1: bad frequency"), std::string::npos);
    EXPECT_NE(error_of("bad\t1/tcp\t0.1x\n").find("line 1: bad frequency"), std::string::npos);
    EXPECT_NE(error_of("bad\t1/tcp\n").find("line 1: expected \"name port/protocol frequency\""),
              std::string::npos);
    EXPECT_NE(error_of("bad\t1/tcp\t0.1\textra\n").find("line 1: expected"), std::string::npos);
    EXPECT_EQ(error_of("fine\t1/tcp\t1\n# comment only\n"), "");
}

TEST(Prevalence, LocateUsesTheFlagOrTheSystemFile) {
    EXPECT_THROW(locate_prevalence(std::string("/nonexistent/nmap-services")), InputError);
    const std::string here = GHOSTPORT_SOURCE_DIR "/CMakeLists.txt";
    EXPECT_EQ(locate_prevalence(here), std::filesystem::path(here));
    const auto found = locate_prevalence(std::nullopt);
    if (t::have(t::nmap_services_path))
        EXPECT_EQ(found, std::filesystem::path(t::nmap_services_path));
    else
        EXPECT_FALSE(found.has_value());
}

TEST(Prevalence, LoadRejectsFilesWithoutEntries) {
    EXPECT_THROW(Prevalence::load("/nonexistent/nmap-services"), InputError);
    EXPECT_THROW(Prevalence::load("/"), InputError);
}

TEST(PrevalenceReal, NmapServices) {
    GHOSTPORT_SKIP_UNLESS(t::nmap_services_path);
    const auto& p = t::nmap_services();
    const auto* ssh = p.lookup(22, Proto::tcp);
    ASSERT_NE(ssh, nullptr);
    EXPECT_EQ(ssh->name, "ssh");
    EXPECT_NEAR(ssh->frequency, 0.182286, 1e-9);
    const auto* isis = p.lookup(1642, Proto::tcp);
    ASSERT_NE(isis, nullptr);
    EXPECT_EQ(isis->frequency, 0.0);
    const auto top = p.top_ports(3, Proto::tcp);
    ASSERT_EQ(top.size(), 3u);
    EXPECT_EQ(top[0], 80);
    EXPECT_EQ(p.top_ports(1000, Proto::tcp).size(), 1000u);
}
