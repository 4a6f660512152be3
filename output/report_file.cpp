// SPDX-License-Identifier: GPL-2.0-or-later
// Reading reports back from files, and finding the newest one in a folder.
#include "output/report_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/errors.hpp"
#include "output/csv_sink.hpp"
#include "output/json_sink.hpp"

namespace ghostport::output {

namespace fs = std::filesystem;

core::Report read_report_file(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw core::InputError(fmt::format("{}: a directory, not a report", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::InputError(fmt::format("{}: cannot read it", path));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw core::InputError(fmt::format("{}: cannot read it", path));
    const std::string text = buffer.str();
    std::size_t first = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    first = text.find_first_not_of(" \t\r\n", first);
    if (first == std::string::npos) throw core::InputError(fmt::format("{}: empty, not a report", path));
    try {
        if (text[first] == '{') return read_json_report(text);
        core::Report report;
        report.rows = read_csv_report(text);
        return report;
    } catch (const core::InputError& e) {
        throw core::InputError(fmt::format("{}: {}", path, e.what()));
    }
}

std::optional<std::string> newest_report_in(const std::string& dir) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) throw core::InputError(fmt::format("{}: cannot list the folder ({})", dir, ec.message()));
    std::optional<fs::path> best;
    fs::file_time_type best_time{};
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) throw core::InputError(fmt::format("{}: cannot list the folder ({})", dir, ec.message()));
        const fs::path& p = it->path();
        const std::string ext = p.extension().string();
        if (ext != ".csv" && ext != ".json" && ext != ".jsonl") continue;
        if (p.filename().string().starts_with(".")) continue;  // temporary files of atomic writes
        std::error_code file_ec;
        if (!it->is_regular_file(file_ec)) continue;
        const auto t = it->last_write_time(file_ec);
        if (file_ec) continue;
        if (!best || t > best_time || (t == best_time && p.filename() > best->filename())) {
            best = p;
            best_time = t;
        }
    }
    if (!best) return std::nullopt;
    return best->string();
}

}  // namespace ghostport::output
