// SPDX-License-Identifier: GPL-2.0-or-later
// The bash completion the real binary generates (--bash-completion), sourced into a plain bash and driven as
// bash drives it (COMP_WORDS, COMP_CWORD): subcommands, options, value sets, file names; and, read from each
// subcommand's --help rather than from the generator's own walk, every option and subcommand is offered.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "lab.hpp"

using namespace gp_test;

namespace {

namespace fs = std::filesystem;

// A folder gpt-<pid>-completion in the temp directory holding the generated script and a driver; removed
// on destruction.
class Completion : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("gpt-" + std::to_string(getpid()) + "-completion");
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        auto r = run({ghostport_binary(), "--bash-completion"}, std::chrono::seconds(20));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        ASSERT_NE(r.out.find("complete -F _ghostport ghostport"), std::string::npos) << r.out;
        std::ofstream(dir_ / "ghostport.bash") << r.out;
        // The driver: source the script, set the words as bash would, print COMPREPLY one per line.
        std::ofstream(dir_ / "drive.bash")
            << "source \"$1\" || exit 9\nshift\n"
               "COMP_WORDS=(\"$@\")\nCOMP_CWORD=$(($# - 1))\n"
               "COMP_LINE=\"$*\"\nCOMP_POINT=${#COMP_LINE}\nCOMPREPLY=()\n"
               "_ghostport || exit 8\n"
               "for w in \"${COMPREPLY[@]}\"; do printf '%s\\n' \"$w\"; done\n";
    }
    void TearDown() override { fs::remove_all(dir_); }

    // What completing the last of `words` (after "ghostport") offers.
    std::set<std::string> complete(const std::vector<std::string>& words) const {
        std::vector<std::string> argv{"bash",
                                      "--norc",
                                      "--noprofile",
                                      (dir_ / "drive.bash").string(),
                                      (dir_ / "ghostport.bash").string(),
                                      "ghostport"};
        argv.insert(argv.end(), words.begin(), words.end());
        auto r = run(argv, std::chrono::seconds(20));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.err, "");
        std::set<std::string> out;
        std::istringstream in(r.out);
        for (std::string line; std::getline(in, line);) out.insert(line);
        return out;
    }

    fs::path dir_;
};

using Words = std::set<std::string>;

// The option names (-x, --xyz) and subcommand names that `ghostport <path> --help` lists.
struct HelpNames {
    std::set<std::string> options, subcommands;
};

HelpNames help_names(const std::vector<std::string>& path) {
    std::vector<std::string> argv{ghostport_binary()};
    argv.insert(argv.end(), path.begin(), path.end());
    argv.push_back("--help");
    auto r = run(argv, std::chrono::seconds(20));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    HelpNames names;
    std::istringstream in(r.out);
    std::string section;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == ':' && line.front() != ' ') section = line;
        if (!line.starts_with("  ") || line.size() < 3 || line[2] == ' ') continue;
        const std::string first = line.substr(2, line.find(' ', 2) - 2);  // "-p,--ports" or "scan"
        if (section == "Subcommands:") {
            names.subcommands.insert(first);
        } else if (first.starts_with('-')) {
            std::istringstream items(first);
            for (std::string name; std::getline(items, name, ',');) names.options.insert(name);
        }
    }
    return names;
}

}  // namespace

TEST_F(Completion, SubcommandsAndNestedOnes) {
    EXPECT_EQ(complete({"sc"}), Words({"scan"}));
    EXPECT_EQ(complete({"l"}), Words({"lookup", "listeners"}));
    EXPECT_EQ(complete({"registry", "up"}), Words({"update"}));
    EXPECT_EQ(complete({"registry", ""}), Words({"update", "install", "info"}));
    // Words after the subcommand path, and options' values, do not confuse the walk.
    EXPECT_EQ(complete({"scan", "--engine", "registry", "--pre"}), Words({"--prevalence"}));
}

TEST_F(Completion, OptionsOfTheCurrentSubcommand) {
    EXPECT_EQ(complete({"scan", "--pre"}), Words({"--prevalence"}));
    EXPECT_EQ(complete({"scan", "-q"}), Words({"-q"}));
    EXPECT_EQ(complete({"registry", "update", "--"}), Words({"--help", "--url", "--ca-file"}));
    // nmap's spellings are offered for scan, and nowhere else.
    auto s = complete({"scan", "-s"});
    for (const char* alias : {"-sS", "-sT", "-sU", "-sV", "-sn"}) EXPECT_EQ(s.count(alias), 1u) << alias;
    EXPECT_EQ(complete({"scan", "-P"}), Words({"-Pn"}));
    EXPECT_EQ(complete({"scan", "-i"}), Words({"-iL"}));
    EXPECT_EQ(complete({"lookup", "-s"}), Words());
    // The hidden option is neither in --help nor offered.
    EXPECT_EQ(complete({"--b"}), Words());
}

TEST_F(Completion, FixedValueSets) {
    EXPECT_EQ(complete({"scan", "--engine", ""}), Words({"auto", "syn", "connect"}));
    EXPECT_EQ(complete({"scan", "--engine", "s"}), Words({"syn"}));
    EXPECT_EQ(complete({"scan", "--engine", "=", "c"}), Words({"connect"}));  // --engine=c split at the =
    EXPECT_EQ(complete({"scan", "--format", ""}), Words({"table", "csv", "json", "xml", "html"}));
    EXPECT_EQ(complete({"listeners", "--format", ""}), Words({"table", "csv", "json", "html"}));
    EXPECT_EQ(complete({"scan", "--show", "open,cl"}), Words({"open,closed"}));
    EXPECT_EQ(complete({"scan", "--fail-on", "gh"}), Words({"ghost"}));
    EXPECT_EQ(complete({"listeners", "--fail-on", "del"}), Words({"deleted-exe"}));
    // A value that is not a subcommand's place: the value of --engine is not completed as an option list.
    EXPECT_EQ(complete({"scan", "--ports", "well"}), Words({"well-known"}));
}

TEST_F(Completion, FileNamesForFileOptionsAndFilePositionals) {
    for (const char* name : {"report.csv", "readme", "other"}) std::ofstream(dir_ / name) << "x\n";
    const std::string prefix = (dir_ / "re").string();
    const Words files{(dir_ / "report.csv").string(), (dir_ / "readme").string()};
    EXPECT_EQ(complete({"scan", "-o", prefix}), files);
    EXPECT_EQ(complete({"scan", "--output", prefix}), files);
    EXPECT_EQ(complete({"scan", "-iL", prefix}), files);
    EXPECT_EQ(complete({"scan", "--registry", prefix}), files);
    EXPECT_EQ(complete({"listeners", "--against", prefix}), files);
    EXPECT_EQ(complete({"registry", "install", prefix}), files);
    EXPECT_EQ(complete({"diff", prefix}), files);
    EXPECT_EQ(complete({"merge", "--unchecked", prefix}), files);
    // Not file names: a value that is a port list, and lookup's port positional.
    EXPECT_EQ(complete({"scan", "-p", prefix}), Words());
    EXPECT_EQ(complete({"lookup", prefix}), Words());
}

// Every option and subcommand --help lists, for every subcommand, is offered (read from --help, so a
// generator that skipped a kind of option or a nested subcommand would fail here).
TEST_F(Completion, EveryOptionAndSubcommandThatHelpListsIsOffered) {
    const std::vector<std::vector<std::string>> paths{{},
                                                      {"scan"},
                                                      {"lookup"},
                                                      {"registry"},
                                                      {"registry", "update"},
                                                      {"registry", "install"},
                                                      {"registry", "info"},
                                                      {"diff"},
                                                      {"merge"},
                                                      {"listeners"}};
    std::size_t options_seen = 0;
    for (const auto& path : paths) {
        const HelpNames names = help_names(path);
        auto words = path;
        words.push_back("-");
        const auto offered = complete(words);
        for (const auto& option : names.options) {
            EXPECT_EQ(offered.count(option), 1u)
                << "ghostport " << testing::PrintToString(path) << " " << option;
            ++options_seen;
        }
        words.back() = "";
        const auto subs = complete(words);
        for (const auto& sub : names.subcommands)
            EXPECT_EQ(subs.count(sub), 1u) << "ghostport " << testing::PrintToString(path) << " " << sub;
        if (path.empty()) {
            EXPECT_EQ(names.subcommands.size(), 6u);
        }
        if (path == std::vector<std::string>{"registry"}) {
            EXPECT_EQ(names.subcommands.size(), 3u);
        }
    }
    EXPECT_GT(options_seen, 60u);  // the --help parse found the options (scan alone has over 40)
}
