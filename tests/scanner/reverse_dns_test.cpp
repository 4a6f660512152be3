// SPDX-License-Identifier: GPL-2.0-or-later
// Reverse DNS: /etc/hosts lookups, deduplication, deadlines, a destructor that never waits for a stuck
// lookup, and the hostname sanitizer. Lookups that must hang use an injected lookup function.
#include "scanner/reverse_dns.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include "tests/skip.hpp"

using namespace ghostport::scanner;
using ghostport::core::Address;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

Address addr(const std::string& text) {
    return *Address::parse(text);
}

// True when /etc/hosts maps 127.0.0.1 to "localhost" (as its first name, which getnameinfo returns).
bool hosts_has_localhost() {
    std::ifstream in("/etc/hosts");
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line.substr(0, line.find('#')));
        std::string ip, name;
        if (words >> ip >> name && ip == "127.0.0.1") return name == "localhost";
    }
    return false;
}

Clock::duration time_of(const std::function<void()>& f) {
    auto start = Clock::now();
    f();
    return Clock::now() - start;
}

}  // namespace

TEST(ReverseDns, LoopbackResolvesToLocalhostThroughEtcHosts) {
    if (!hosts_has_localhost())
        GP_SKIP("/etc/hosts does not map 127.0.0.1 to localhost first (add \"127.0.0.1 localhost\")");
    ReverseDns rdns;
    rdns.submit(addr("127.0.0.1"));
    auto names = rdns.names(Clock::now() + 10s);
    ASSERT_EQ(names.count(addr("127.0.0.1")), 1u);
    EXPECT_EQ(names.at(addr("127.0.0.1")), "localhost");
}

TEST(ReverseDns, NoSubmissionsMeansNoNamesAndNoWait) {
    ReverseDns rdns;
    EXPECT_LT(time_of([&] { EXPECT_TRUE(rdns.names(Clock::now() + 10s).empty()); }), 1s);
}

TEST(ReverseDns, EachAddressIsLookedUpOnce) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    ReverseDns rdns(4, [calls](const Address& a) -> std::optional<std::string> {
        ++*calls;
        return a == addr("198.18.0.10") ? std::optional<std::string>("web1.lab.example") : std::nullopt;
    });
    for (int i = 0; i < 50; ++i) {
        rdns.submit(addr("198.18.0.10"));
        rdns.submit(addr("198.18.0.11"));
    }
    auto names = rdns.names(Clock::now() + 10s);
    EXPECT_EQ(*calls, 2);
    EXPECT_EQ(names, (std::map<Address, std::string>{{addr("198.18.0.10"), "web1.lab.example"}}));
    rdns.submit(addr("198.18.0.10"));  // done before: still not looked up again
    rdns.names(Clock::now() + 10s);
    EXPECT_EQ(*calls, 2);
}

TEST(ReverseDns, NamesAreSanitizedAndUnnamedHostsAbsent) {
    ReverseDns rdns(2, [](const Address& a) -> std::optional<std::string> {
        if (a == addr("198.18.0.10")) return "web1.lab.example.";
        if (a == addr("198.18.0.11")) return "evil\x1b[2J.example";
        if (a == addr("198.18.0.12")) throw std::runtime_error("resolver blew up");
        return std::nullopt;
    });
    for (const char* a : {"198.18.0.10", "198.18.0.11", "198.18.0.12", "198.18.0.13"}) rdns.submit(addr(a));
    EXPECT_EQ(rdns.names(Clock::now() + 10s),
              (std::map<Address, std::string>{{addr("198.18.0.10"), "web1.lab.example"}}));
}

// A lookup that hangs (a dead name server): names() returns at its deadline with what it has, a deadline
// in the past returns at once, and the destructor returns at once while the lookup is still stuck.
TEST(ReverseDns, StuckLookupsNeverBlockNamesOrTheDestructor) {
    auto gate = std::make_shared<std::promise<void>>();
    std::shared_future<void> opened = gate->get_future().share();
    auto finished = std::make_shared<std::atomic<int>>(0);
    auto rdns =
        std::make_unique<ReverseDns>(2, [opened, finished](const Address& a) -> std::optional<std::string> {
            if (a != addr("198.18.0.10")) opened.wait_for(30s);
            ++*finished;
            return "fast.example";
        });
    rdns->submit(addr("198.18.0.10"));
    ASSERT_EQ(rdns->names(Clock::now() + 10s).size(), 1u);
    for (int i = 11; i < 60; ++i) rdns->submit(addr("198.18.0." + std::to_string(i)));

    EXPECT_LT(time_of([&] { EXPECT_EQ(rdns->names(Clock::now() - 1s).size(), 1u); }), 100ms);
    EXPECT_LT(time_of([&] { EXPECT_EQ(rdns->names(Clock::now() + 200ms).size(), 1u); }), 2s);
    EXPECT_LT(time_of([&] { rdns.reset(); }), 100ms);

    // The two stuck threads finish on their own later; the queued addresses were dropped with the object.
    gate->set_value();
    for (auto until = Clock::now() + 10s; *finished < 3 && Clock::now() < until;)
        std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(*finished, 3);
}

// The real resolver on addresses that have no names (198.18.0.0/24 and 2001:2::/32 are benchmarking
// ranges): wherever their lookups stand, a past deadline and the destructor return at once.
TEST(ReverseDns, DestructorReturnsPromptlyWithRealLookupsOutstanding) {
    auto rdns = std::make_unique<ReverseDns>();
    for (int i = 0; i < 64; ++i) {
        rdns->submit(addr("198.18.0." + std::to_string(100 + i)));
        rdns->submit(addr("2001:2::" + std::to_string(100 + i)));
    }
    EXPECT_LT(time_of([&] { EXPECT_TRUE(rdns->names(Clock::now() - 1s).empty()); }), 100ms);
    EXPECT_LT(time_of([&] { rdns.reset(); }), 100ms);
}

TEST(CleanHostname, KeepsValidNamesAndStripsOneTrailingDot) {
    EXPECT_EQ(clean_hostname("localhost"), "localhost");
    EXPECT_EQ(clean_hostname("web1.lab.example."), "web1.lab.example");
    EXPECT_EQ(clean_hostname("_ldap-1.Corp.example"), "_ldap-1.Corp.example");
    EXPECT_EQ(clean_hostname("2.0.192.in-addr.arpa"), "2.0.192.in-addr.arpa");
    std::string longest = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') +
                          "." + std::string(61, 'd');
    ASSERT_EQ(longest.size(), 253u);
    EXPECT_EQ(clean_hostname(longest), longest);
    EXPECT_EQ(clean_hostname(longest + "."), longest);
}

TEST(CleanHostname, RejectsHostileText) {
    using namespace std::string_literals;
    for (std::string bad : {""s,
                            "."s,
                            ".."s,
                            "a.."s,
                            ".example"s,
                            "a..b"s,
                            "evil\x1b[31m.example"s,
                            "a\nb"s,
                            "a\rb"s,
                            "with space.example"s,
                            "tab\t.example"s,
                            "nul\0byte.example"s,
                            "comma,inject.example"s,
                            "\"quote\".example"s,
                            "<script>.example"s,
                            "semi;colon"s,
                            "pipe|x"s,
                            "slash/x"s,
                            "back\\slash"s,
                            "percent%s"s,
                            "caf\xc3\xa9.example"s,
                            "\xff\xfe"s,
                            "192.0.2.1"s,
                            "192.0.2.1."s,
                            "127.1"s,
                            "2001:db8::1"s,
                            std::string(64, 'a') + ".example",
                            std::string(254, 'a'),
                            std::string(127, 'a') + "." + std::string(127, 'b')}) {
        EXPECT_EQ(clean_hostname(bad), std::nullopt) << '"' << bad << '"';
    }
}
