// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/scan_setup.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"

namespace ghostport::cli {
namespace {

const registry::Prevalence& prevalence() {
    static const registry::Prevalence p = registry::Prevalence::parse(
        "ssh\t22/tcp\t0.18\nhttp\t80/tcp\t0.48\ndomain\t53/tcp\t0.04\ndomain\t53/udp\t0.21\n"
        "snmp\t161/udp\t0.43\nntp\t123/udp\t0.33\n",
        "prev.txt");
    return p;
}

ScanOptions options(std::string ports, bool udp, bool tcp = false) {
    ScanOptions o;
    o.ports = std::move(ports);
    o.udp = udp;
    o.tcp = tcp;
    return o;
}

std::string error_of(const ScanOptions& o, const registry::Prevalence* p) {
    try {
        choose_ports(o, p);
    } catch (const core::InputError& e) {
        return e.what();
    }
    return "";
}

// Without -sU: TCP alone, every port unless -p says; a plain -p is TCP's.
TEST(ChoosePorts, TcpAloneByDefault) {
    const auto all = choose_ports(options("", false), nullptr);
    EXPECT_TRUE(all.tcp);
    EXPECT_FALSE(all.udp);
    EXPECT_EQ(all.tcp_ports.size(), 65535u);
    EXPECT_TRUE(all.udp_ports.empty());
    const auto some = choose_ports(options("22,80", false), nullptr);
    EXPECT_EQ(some.tcp_ports, (std::vector<std::uint16_t>{22, 80}));
    EXPECT_TRUE(some.udp_ports.empty());
    EXPECT_EQ(choose_ports(options("T:22", false), nullptr).tcp_ports, (std::vector<std::uint16_t>{22}));
}

// -sU alone scans UDP only; with -sS/-sT/--engine or T: ports, both.
TEST(ChoosePorts, UdpAloneOrWithTcp) {
    const auto udp = choose_ports(options("53,161", true), nullptr);
    EXPECT_FALSE(udp.tcp);
    EXPECT_TRUE(udp.udp);
    EXPECT_TRUE(udp.tcp_ports.empty());
    EXPECT_EQ(udp.udp_ports, (std::vector<std::uint16_t>{53, 161}));

    const auto both = choose_ports(options("53", true, true), nullptr);
    EXPECT_TRUE(both.tcp && both.udp);
    EXPECT_EQ(both.tcp_ports, (std::vector<std::uint16_t>{53}));
    EXPECT_EQ(both.udp_ports, (std::vector<std::uint16_t>{53}));

    const auto split = choose_ports(options("U:53,161,T:22,80", true), nullptr);
    EXPECT_TRUE(split.tcp && split.udp);
    EXPECT_EQ(split.tcp_ports, (std::vector<std::uint16_t>{22, 80}));
    EXPECT_EQ(split.udp_ports, (std::vector<std::uint16_t>{53, 161}));
}

// -sU without -p: the 100 most common UDP ports of the prevalence file (here all three it has), most common
// first; --top-ports N is for each protocol scanned.
TEST(ChoosePorts, DefaultAndTopPortsComeFromThePrevalenceFile) {
    const auto udp = choose_ports(options("", true), &prevalence());
    EXPECT_EQ(udp.udp_ports.size(), 3u);
    EXPECT_EQ(udp.udp_ports.front(), 161);
    EXPECT_TRUE(udp.tcp_ports.empty());

    ScanOptions top = options("", true, true);
    top.top_ports = 2;
    const auto both = choose_ports(top, &prevalence());
    EXPECT_EQ(both.tcp_ports.size(), 2u);
    EXPECT_EQ(both.udp_ports.size(), 2u);
    EXPECT_EQ(both.tcp_ports.front(), 80);
}

TEST(ChoosePorts, ErrorsAreOneLineAndSayWhatToDo) {
    const std::string no_file = error_of(options("", true), nullptr);
    EXPECT_NE(no_file.find("install nmap-common"), std::string::npos) << no_file;
    EXPECT_NE(no_file.find("-p"), std::string::npos) << no_file;
    const std::string no_udp = error_of(options("U:53,T:22", false), nullptr);
    EXPECT_NE(no_udp.find("add -sU"), std::string::npos) << no_udp;
    const std::string no_tcp = error_of(options("U:53", true, true), nullptr);
    EXPECT_NE(no_tcp.find("names no TCP port"), std::string::npos) << no_tcp;
    const std::string no_udp_port = error_of(options("T:22", true), nullptr);
    EXPECT_NE(no_udp_port.find("names no UDP port"), std::string::npos) << no_udp_port;
    ScanOptions top = options("", true);
    top.top_ports = 10;
    EXPECT_NE(error_of(top, nullptr).find("--top-ports needs a prevalence file"), std::string::npos);
    for (const auto& e : {no_file, no_udp, no_tcp, no_udp_port}) EXPECT_EQ(e.find('\n'), std::string::npos);
}

// Every UDP port is scanned only when asked, and then the floor that hosts' ICMP limits set is said first.
TEST(UdpDurationNotice, SaidAboveAThousandPorts) {
    EXPECT_EQ(udp_duration_notice(100), "");
    EXPECT_EQ(udp_duration_notice(1000), "");
    EXPECT_EQ(
        udp_duration_notice(65536),
        "-sU on 65536 ports per host: a host that rations ICMP port unreachable like Linux (one a second) "
        "needs up to about 18 h 12 min to tell its closed ones apart; hosts are scanned side by side");
    EXPECT_NE(udp_duration_notice(1500).find("about 24 min"), std::string::npos);
}

}  // namespace
}  // namespace ghostport::cli
