// SPDX-License-Identifier: GPL-2.0-or-later
// A scratch /proc tree (/tmp/gpt-<pid>-<tag>) with processes made of comm, status, cgroup, exe and fd links;
// removed on destruction.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace gp_test {

class FakeProcTree {
  public:
    explicit FakeProcTree(const std::string& tag)
        : root_(std::filesystem::path("/tmp") / ("gpt-" + std::to_string(::getpid()) + "-" + tag)) {
        std::filesystem::remove_all(root_);
        std::filesystem::create_directories(root_ / "self");  // not a pid: skipped by the readers
    }
    ~FakeProcTree() { std::filesystem::remove_all(root_); }
    FakeProcTree(const FakeProcTree&) = delete;
    FakeProcTree& operator=(const FakeProcTree&) = delete;

    // Adds process `pid` with its comm, exe link target, real uid, cgroup text and fd link targets.
    void add(int pid, const std::string& comm, const std::string& exe, int uid, const std::string& cgroup,
             const std::vector<std::string>& fds) {
        auto dir = root_ / std::to_string(pid);
        std::filesystem::create_directories(dir / "fd");
        std::ofstream(dir / "comm") << comm << "\n";
        std::ofstream(dir / "status") << "Name:\t" << comm << "\nUid:\t" << uid << "\t" << uid << "\t0\t0\n";
        std::ofstream(dir / "cgroup") << cgroup;
        std::filesystem::create_symlink(exe, dir / "exe");
        for (std::size_t i = 0; i < fds.size(); ++i)
            std::filesystem::create_symlink(fds[i], dir / "fd" / std::to_string(i + 3));
    }
    std::string root() const { return root_.string(); }

  private:
    std::filesystem::path root_;
};

}  // namespace gp_test
