// SPDX-License-Identifier: GPL-2.0-or-later
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

// GETs `url` with libcurl over https only and returns the body. Redirects (at most 10) are followed only
// to https:// targets, each checked before it is contacted; the server certificate is verified against
// the system's CA store, or against `ca_file` (PEM) when it is not empty. `timeout` bounds each request.
// Throws core::InputError when `url` is not https://, and core::RuntimeError naming the url and the reason
// on a redirect to anything but https://, a TLS or network error, an HTTP status >= 400 or a body larger
// than max_download_bytes.
std::string download(const std::string& url, std::chrono::seconds timeout, const std::string& ca_file = {});

}  // namespace ghostport::registry
