// SPDX-License-Identifier: GPL-2.0-or-later
// Unit and container from recorded /proc/PID/cgroup contents of systemd, docker, kubernetes, podman and LXC
// hosts.
#include "listeners/cgroup.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using ghostport::listeners::CgroupFacts;
using ghostport::listeners::parse_cgroup;

const std::string id64 = "4f1e2b9c0d3a8e7f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";

TEST(Cgroup, SystemdV2Service) {
    EXPECT_EQ(parse_cgroup("0::/system.slice/nginx.service\n"), (CgroupFacts{"nginx.service", ""}));
}

TEST(Cgroup, SystemdV1PicksNameSystemd) {
    const std::string text =
        "12:pids:/system.slice/ssh.service\n"
        "11:cpu,cpuacct:/system.slice/ssh.service\n"
        "10:memory:/system.slice/ssh.service\n"
        "2:devices:/system.slice/ssh.service\n"
        "1:name=systemd:/system.slice/ssh.service\n"
        "0::/\n";
    EXPECT_EQ(parse_cgroup(text), (CgroupFacts{"ssh.service", ""}));
}

TEST(Cgroup, UserUnitIsTheDeepest) {
    EXPECT_EQ(parse_cgroup("0::/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service\n"),
              (CgroupFacts{"foo.service", ""}));
    EXPECT_EQ(parse_cgroup("0::/user.slice/user-1000.slice/session-3.scope\n"),
              (CgroupFacts{"session-3.scope", ""}));
}

TEST(Cgroup, InitScope) {
    EXPECT_EQ(parse_cgroup("0::/init.scope\n").unit, "init.scope");
}

TEST(Cgroup, DockerV2Scope) {
    auto facts = parse_cgroup("0::/system.slice/docker-" + id64 + ".scope\n");
    EXPECT_EQ(facts.container, id64);
    EXPECT_EQ(facts.unit, "docker-" + id64 + ".scope");
}

TEST(Cgroup, DockerV1Path) {
    const std::string text = "12:pids:/docker/" + id64 + "\n" + "1:name=systemd:/docker/" + id64 + "\n";
    EXPECT_EQ(parse_cgroup(text), (CgroupFacts{"", id64}));
}

TEST(Cgroup, DockerCgroupfsDriverV2) {
    EXPECT_EQ(parse_cgroup("0::/docker/" + id64 + "\n"), (CgroupFacts{"", id64}));
}

TEST(Cgroup, KubernetesContainerd) {
    const std::string text =
        "0::/kubepods.slice/kubepods-burstable.slice/"
        "kubepods-burstable-pod0f5c2a1e_8d3b_4c7a_9e1f_2b6d4a8c0e3f.slice/cri-containerd-" +
        id64 + ".scope\n";
    auto facts = parse_cgroup(text);
    EXPECT_EQ(facts.container, id64);
    EXPECT_EQ(facts.unit, "cri-containerd-" + id64 + ".scope");
}

TEST(Cgroup, KubernetesCrio) {
    auto facts =
        parse_cgroup("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podabc.slice/crio-" +
                     id64 + ".scope\n");
    EXPECT_EQ(facts.container, id64);
}

TEST(Cgroup, KubernetesV1Cgroupfs) {
    auto facts =
        parse_cgroup("4:memory:/kubepods/burstable/pod0f5c2a1e-8d3b-4c7a-9e1f-2b6d4a8c0e3f/" + id64 + "\n");
    EXPECT_EQ(facts.container, id64);
}

TEST(Cgroup, Podman) {
    auto facts = parse_cgroup("0::/machine.slice/libpod-" + id64 + ".scope/container\n");
    EXPECT_EQ(facts.container, id64);
    EXPECT_EQ(facts.unit, "libpod-" + id64 + ".scope");
    auto rootless = parse_cgroup("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" +
                                 id64 + ".scope/container\n");
    EXPECT_EQ(rootless.container, id64);
}

TEST(Cgroup, Lxc) {
    EXPECT_EQ(parse_cgroup("0::/lxc.payload.web1/system.slice/nginx.service\n"),
              (CgroupFacts{"nginx.service", "web1"}));
    EXPECT_EQ(parse_cgroup("1:name=systemd:/lxc/db2/system.slice/postgresql.service\n"),
              (CgroupFacts{"postgresql.service", "db2"}));
    EXPECT_EQ(parse_cgroup("0::/lxc.monitor.web1\n"), (CgroupFacts{"", ""}));  // the monitor is on the host
}

TEST(Cgroup, SystemdInsideDockerNamesBoth) {
    auto facts = parse_cgroup("0::/system.slice/docker-" + id64 + ".scope/system.slice/redis.service\n");
    EXPECT_EQ(facts.unit, "redis.service");
    EXPECT_EQ(facts.container, id64);
}

TEST(Cgroup, NothingToSay) {
    EXPECT_EQ(parse_cgroup(""), (CgroupFacts{}));
    EXPECT_EQ(parse_cgroup("0::/\n"), (CgroupFacts{}));
    EXPECT_EQ(parse_cgroup("garbage\n::\n1:x\n0::relative/path.service\n"), (CgroupFacts{}));
    EXPECT_EQ(parse_cgroup("0::/system.slice\n"), (CgroupFacts{}));
    EXPECT_EQ(parse_cgroup("0::/.service\n"), (CgroupFacts{}));  // no unit name before the suffix
}

}  // namespace
