// `ghostport registry update/install`: fetching IANA's CSV and installing it atomically.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace ghostport::registry {

inline constexpr const char* iana_csv_url =
    "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.csv";

// Largest body download() accepts.
inline constexpr std::size_t max_download_bytes = 64u * 1024 * 1024;

// Checks that `text` is IANA's CSV (header, every record parses, at least one record with a port), then
// writes it to `dest` atomically: creates dest's folder, writes a temporary file beside `dest`, fsyncs it,
// renames it over `dest` and fsyncs the folder. Throws core::InputError when `text` is invalid (nothing is
// written, no folder created) and core::RuntimeError naming the path when the disk fails (the temporary
// file is removed).
void install_registry_text(std::string_view text, const std::filesystem::path& dest);

// GETs `url` with libcurl (http/https only, redirects followed, `timeout` for the whole transfer) and
// returns the body. Throws core::RuntimeError naming the url and the reason on a network error, an HTTP
// status >= 400 or a body larger than max_download_bytes.
std::string download(const std::string& url, std::chrono::seconds timeout);

}  // namespace ghostport::registry
