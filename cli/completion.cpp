// SPDX-License-Identifier: GPL-2.0-or-later
// The bash completion script, generated from the CLI11 option tree so it always matches the options.
#include "cli/completion.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "cli/nmap_aliases.hpp"

namespace ghostport::cli {

namespace {

// Values that options checked after parsing (not by a CLI11 validator) take from a fixed set. `command`
// "" fits every command; a row naming the command wins.
struct ValueSet {
    std::string_view command, option, values;
    bool list;  // comma-separated items
};

constexpr ValueSet value_sets[] = {
    {"", "--format", "table csv json xml html", false},
    {"listeners", "--format", "table csv json html", false},
    {"", "--show", "open closed filtered open-filtered all", true},
    {"", "--fail-on", "new gone changed ghost all-open rarity>= unexpected borrowed unassigned label=", true},
    {"listeners", "--fail-on",
     "new gone changed ghost rarity>= unexpected unassigned deleted-exe label=", true},
    {"scan", "--ports", "all well-known registered dynamic", true},
};

struct Choices {
    std::string values;  // space-separated
    bool list = false;
};

struct Command {
    std::string path;  // "" for ghostport itself, "registry update", ...
    std::vector<std::string> subcommands, options, value_options, file_options;
    bool positional_files = false;
    std::map<std::string, Choices> choices;  // by every name of the option
};

// A word that needs no quoting inside a bash double-quoted string or a case pattern in quotes.
bool plain(std::string_view word) {
    return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-_.:=>+/").find(c) != std::string_view::npos;
    });
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    for (std::size_t at = 0; at < text.size();) {
        const auto end = std::min(text.find(' ', at), text.size());
        if (end > at) words.emplace_back(text.substr(at, end - at));
        at = end + 1;
    }
    return words;
}

// The plain words of `words`, space-separated (others, such as open|filtered, are left out).
std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words)
        if (plain(w)) out += (out.empty() ? "" : " ") + w;
    return out;
}

// The set in a CLI11 IsMember check, as its type name shows it ("TEXT:{auto,syn,connect}"), else nullopt.
std::optional<std::string> member_set(const CLI::Option& option) {
    const std::string type = option.get_type_name();
    const auto open = type.find('{'), close = type.find('}', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return std::nullopt;
    std::string values = type.substr(open + 1, close - open - 1);
    std::replace(values.begin(), values.end(), ',', ' ');
    return values;
}

std::optional<Choices> table_choices(std::string_view command, const std::vector<std::string>& names) {
    std::optional<Choices> found;
    for (const auto& row : value_sets) {
        if (std::find(names.begin(), names.end(), row.option) == names.end()) continue;
        if (row.command == command) return Choices{std::string(row.values), row.list};
        if (row.command.empty()) found = Choices{std::string(row.values), row.list};
    }
    return found;
}

void add_option(Command& c, const CLI::Option& option) {
    if (option.get_group().empty()) return;  // hidden from --help: not offered either
    const bool takes_value = option.get_items_expected_max() > 0;
    const bool file = option.get_type_name().starts_with("FILE");
    if (!option.nonpositional()) {
        c.positional_files = c.positional_files || file;
        return;
    }
    std::vector<std::string> names;
    for (const auto& l : option.get_lnames()) names.push_back("--" + l);
    for (const auto& s : option.get_snames()) names.push_back("-" + s);
    std::optional<Choices> choices;
    if (takes_value) {
        if (auto set = member_set(option))
            choices = Choices{*set, false};
        else
            choices = table_choices(c.path, names);
    }
    for (const auto& n : names) {
        c.options.push_back(n);
        if (takes_value) c.value_options.push_back(n);
        if (takes_value && file) c.file_options.push_back(n);
        if (choices) c.choices[n] = *choices;
    }
}

// nmap's spellings whose option `c` has: offered beside it, taking its value when it takes one.
void add_aliases(Command& c) {
    auto has = [](const std::vector<std::string>& v, std::string_view w) {
        return std::find(v.begin(), v.end(), w) != v.end();
    };
    for (const auto& alias : nmap_aliases) {
        if (!has(c.options, alias.words.front())) continue;
        std::string_view last;
        for (auto w : alias.words)
            if (!w.empty()) last = w;
        const std::string spelling(alias.spelling);
        c.options.push_back(spelling);
        if (has(c.value_options, last)) c.value_options.push_back(spelling);
        if (has(c.file_options, last)) c.file_options.push_back(spelling);
        if (auto it = c.choices.find(std::string(last)); it != c.choices.end())
            c.choices[spelling] = it->second;
    }
}

void walk(const CLI::App& app, const std::string& path, std::vector<Command>& out) {
    Command c;
    c.path = path;
    for (const CLI::Option* option : app.get_options()) add_option(c, *option);
    add_aliases(c);
    auto subs = app.get_subcommands([](const CLI::App*) { return true; });
    for (const CLI::App* sub : subs) c.subcommands.push_back(sub->get_name());
    out.push_back(std::move(c));
    for (const CLI::App* sub : subs)
        walk(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

constexpr std::string_view script_head =
    R"(# bash completion for ghostport: generated by `ghostport --bash-completion` from its option tree.

# Sets, for the command path $1 ("" for ghostport itself, "registry update", ...): subs (its subcommands),
# opts (its options), valopts (those that take a value), fileopts (those whose value is a file name) and
# posfile (1 when its positional arguments are file names).
_ghostport_command() {
    subs="" opts="" valopts="" fileopts="" posfile=0
    case "$1" in
)";

constexpr std::string_view script_middle = R"(    esac
}

# Sets choices (the fixed set of values of option $2 of command path $1, or "") and list (1 when they are
# comma-separated).
_ghostport_choices() {
    choices="" list=0
    case "$1 $2" in
)";

constexpr std::string_view script_tail = R"(    esac
}

# File names completing $cur.
_ghostport_files() {
    if declare -F _filedir >/dev/null; then
        _filedir
    else
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
}

_ghostport() {
    local cur="${COMP_WORDS[COMP_CWORD]}" path="" word="" option="" head="" i
    local subs opts valopts fileopts posfile choices list
    COMPREPLY=()
    # Walk the words before the cursor: subcommands deepen the path; an option's value is passed over.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ -n $option ]]; then
            [[ $word == "=" ]] || option=""  # `--opt=value` split at the = (COMP_WORDBREAKS)
            continue
        fi
        _ghostport_command "$path"
        case "$word" in
        -*=*) ;;
        -*) [[ " $valopts " == *" $word "* ]] && option="$word" ;;
        *) [[ " $subs " == *" $word "* ]] && path="${path:+$path }$word" ;;
        esac
    done
    _ghostport_command "$path"
    if [[ -z $option && $cur == -*=* ]]; then  # `--opt=value` as one word
        option="${cur%%=*}"
        head="$option="
        cur="${cur#*=}"
    fi
    [[ -n $option && $cur == "=" ]] && { cur=""; head="="; }
    if [[ -n $option ]]; then
        _ghostport_choices "$path" "$option"
        if [[ -n $choices ]]; then
            if ((list)) && [[ $cur == *,* ]]; then
                head="$head${cur%,*},"
                cur="${cur##*,}"
            fi
            mapfile -t COMPREPLY < <(compgen -P "$head" -W "$choices" -- "$cur")
        elif [[ " $fileopts " == *" $option "* && -z $head ]]; then
            _ghostport_files
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
        return 0
    fi
    ((posfile)) && _ghostport_files
    [[ -n $subs ]] && mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -W "$subs" -- "$cur")
    return 0
}

complete -F _ghostport ghostport
)";

}  // namespace

std::string bash_completion(const CLI::App& app) {
    std::vector<Command> commands;
    walk(app, "", commands);
    std::string out(script_head);
    for (const auto& c : commands)
        out += fmt::format(
            "    \"{}\")\n        subs=\"{}\"\n        opts=\"{}\"\n        valopts=\"{}\"\n"
            "        fileopts=\"{}\"\n        posfile={}\n        ;;\n",
            c.path, join(c.subcommands), join(c.options), join(c.value_options), join(c.file_options),
            c.positional_files ? 1 : 0);
    out += script_middle;
    for (const auto& c : commands)
        for (const auto& [option, choices] : c.choices)
            if (plain(option))
                out += fmt::format("    \"{} {}\") choices=\"{}\" list={} ;;\n", c.path, option,
                                   join(split_words(choices.values)), choices.list ? 1 : 0);
    out += script_tail;
    return out;
}

}  // namespace ghostport::cli
