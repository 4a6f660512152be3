// SPDX-License-Identifier: GPL-2.0-or-later
// SSH key exchange up to the host key: packet builders and the reader (see ssh_kex.hpp).
#include "probes/ssh_kex.hpp"

#include <cctype>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <memory>

namespace ghostport::probes {
namespace detail {
namespace {

constexpr std::uint8_t msg_disconnect = 1;
constexpr std::uint8_t msg_ignore = 2;
constexpr std::uint8_t msg_unimplemented = 3;
constexpr std::uint8_t msg_debug = 4;
constexpr std::uint8_t msg_kexinit = 20;
constexpr std::uint8_t msg_kex_init = 30;     // KEXDH_INIT and KEX_ECDH_INIT
constexpr std::uint8_t msg_kex_reply = 31;    // KEXDH_REPLY and KEX_ECDH_REPLY
constexpr std::size_t max_banner_line = 255;  // RFC 4253 §4.2, CR LF included

// Appends v as a big-endian uint32.
void put_u32(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>(v >> 24));
    out.push_back(static_cast<char>(v >> 16));
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v));
}

// Appends an SSH string (uint32 length, then the bytes).
void put_string(std::string& out, std::string_view s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

// `n` random bytes from OpenSSL's generator; "" if it fails.
std::string random_bytes(std::size_t n) {
    std::string s(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(n)) != 1) return {};
    return s;
}

// Wraps `payload` in an unencrypted binary packet (RFC 4253 §6): length, padding length, payload, 4..11
// random padding bytes making the whole a multiple of 8. "" if random bytes are unavailable.
std::string make_packet(std::string_view payload) {
    std::size_t pad = 8 - (payload.size() + 5) % 8;
    if (pad < 4) pad += 8;
    std::string padding = random_bytes(pad);
    if (padding.size() != pad) return {};
    std::string out;
    out.reserve(payload.size() + pad + 5);
    put_u32(out, static_cast<std::uint32_t>(1 + payload.size() + pad));
    out.push_back(static_cast<char>(pad));
    out.append(payload);
    out.append(padding);
    return out;
}

std::uint32_t load_u32(std::string_view s, std::size_t at) {
    auto b = [&](std::size_t i) { return std::uint32_t{static_cast<std::uint8_t>(s[at + i])}; };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

// Reads an SSH string at `at` within `s`, advancing `at`; false if it does not fit.
bool get_string(std::string_view s, std::size_t& at, std::string_view& out) {
    if (s.size() < 4 || at > s.size() - 4) return false;
    std::uint32_t len = load_u32(s, at);
    if (len > s.size() - at - 4) return false;
    out = s.substr(at + 4, len);
    at += 4 + len;
    return true;
}

// The first name in `ours` (comma-separated, our preference) that `theirs` also lists; "" if none.
std::string first_common(std::string_view ours, std::string_view theirs) {
    auto lists = [](std::string_view list, std::string_view name) {
        while (!list.empty()) {
            auto comma = list.find(',');
            if (list.substr(0, comma) == name) return true;
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
        return false;
    };
    while (!ours.empty()) {
        auto comma = ours.find(',');
        auto name = ours.substr(0, comma);
        if (lists(theirs, name)) return std::string(name);
        if (comma == std::string_view::npos) break;
        ours.remove_prefix(comma + 1);
    }
    return {};
}

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BnFree {
    void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
struct BnCtxFree {
    void operator()(BN_CTX* p) const { BN_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// A fresh X25519 public key (32 bytes); "" on failure.
std::string x25519_public() {
    Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
    if (!key) return {};
    std::string pub(32, '\0');
    std::size_t len = pub.size();
    if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(pub.data()), &len) != 1 ||
        len != 32)
        return {};
    return pub;
}

// A fresh P-256 public key as an uncompressed point (65 bytes, SEC1 §2.3.3); "" on failure.
std::string p256_public() {
    Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key) return {};
    std::array<unsigned char, 133> buf{};
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf.data(), buf.size(),
                                        &len) != 1 ||
        len != 65 || buf[0] != 0x04)
        return {};
    return std::string(reinterpret_cast<const char*>(buf.data()), len);
}

// e = 2^x mod p for the RFC 3526 2048-bit MODP group with a random 512-bit x, as an SSH mpint (RFC 4251 §5:
// big-endian two's complement, a leading zero byte when the top bit is set); "" on failure.
std::string group14_e_mpint() {
    Bn p(BN_get_rfc3526_prime_2048(nullptr));
    Bn g(BN_new());
    Bn x(BN_new());
    Bn e(BN_new());
    std::unique_ptr<BN_CTX, BnCtxFree> ctx(BN_CTX_new());
    if (!p || !g || !x || !e || !ctx || BN_set_word(g.get(), 2) != 1 ||
        BN_priv_rand(x.get(), 512, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_mod_exp(e.get(), g.get(), x.get(), p.get(), ctx.get()) != 1)
        return {};
    int n = BN_num_bytes(e.get());
    if (n <= 0) return {};
    std::string bytes(static_cast<std::size_t>(n), '\0');
    BN_bn2bin(e.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    if (static_cast<std::uint8_t>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
    return bytes;
}

}  // namespace
}  // namespace detail

std::string ssh_client_banner() {
    return "SSH-2.0-ghostport\r\n";
}

std::string ssh_kexinit_packet() {
    std::string cookie = detail::random_bytes(16);
    if (cookie.size() != 16) return {};
    std::string p;
    p.push_back(static_cast<char>(detail::msg_kexinit));
    p.append(cookie);
    detail::put_string(p, ssh_kex_algorithms);
    detail::put_string(p, ssh_host_key_algorithms);
    detail::put_string(p, ssh_cipher_algorithms);  // client to server
    detail::put_string(p, ssh_cipher_algorithms);  // server to client
    detail::put_string(p, ssh_mac_algorithms);
    detail::put_string(p, ssh_mac_algorithms);
    detail::put_string(p, "none");  // compression, both ways
    detail::put_string(p, "none");
    detail::put_string(p, "");  // languages, both ways
    detail::put_string(p, "");
    p.push_back('\0');      // first_kex_packet_follows
    detail::put_u32(p, 0);  // reserved
    return detail::make_packet(p);
}

std::string ssh_ecdh_init_packet(const SshKexChoice& choice) {
    std::string key;
    if (choice.kex == "curve25519-sha256" || choice.kex == "curve25519-sha256@libssh.org")
        key = detail::x25519_public();
    else if (choice.kex == "ecdh-sha2-nistp256")
        key = detail::p256_public();
    else if (choice.kex == "diffie-hellman-group14-sha256")
        key = detail::group14_e_mpint();
    if (key.empty()) return {};
    std::string p;
    p.push_back(static_cast<char>(detail::msg_kex_init));
    detail::put_string(p, key);
    return detail::make_packet(p);
}

SshKexReader::Status SshKexReader::fail() {
    status_ = Status::failed;
    stage_ = Stage::done;
    buf_.clear();
    buf_.shrink_to_fit();
    return status_;
}

bool SshKexReader::read_banner() {
    while (true) {
        auto nl = buf_.find('\n');
        if (nl == std::string::npos) {
            // Lines other than the identification may be longer (RFC 4253 §4.2 does not bound them): only
            // the total cap applies to them. A line that starts like ours must end within 255 bytes.
            if (buf_.size() >= 4 && buf_.compare(0, 4, "SSH-") == 0 && buf_.size() >= detail::max_banner_line)
                fail();
            return false;
        }
        std::string_view line(buf_.data(), nl);
        if (line.size() >= 4 && line.substr(0, 4) == "SSH-") {
            if (nl + 1 > detail::max_banner_line) {
                fail();
                return false;
            }
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.substr(0, 8) != "SSH-2.0-" && line.substr(0, 9) != "SSH-1.99-") {
                fail();
                return false;
            }
            banner_.assign(line);
            buf_.erase(0, nl + 1);
            stage_ = Stage::kexinit;
            return true;
        }
        buf_.erase(0, nl + 1);  // a line before the identification: skipped
    }
}

SshKexReader::Status SshKexReader::on_packet(std::string_view payload) {
    auto type = static_cast<std::uint8_t>(payload[0]);
    if (type == detail::msg_ignore || type == detail::msg_debug || type == detail::msg_unimplemented)
        return Status::need_more;
    if (type == detail::msg_disconnect) return fail();
    if (stage_ == Stage::kexinit) {
        if (type != detail::msg_kexinit) return fail();
        std::size_t at = 1 + 16;  // type, cookie
        if (payload.size() < at) return fail();
        std::string_view lists[10];
        for (auto& l : lists)
            if (!detail::get_string(payload, at, l)) return fail();
        if (payload.size() - at < 5) return fail();  // first_kex_packet_follows, reserved
        SshKexChoice c;
        c.kex = detail::first_common(ssh_kex_algorithms, lists[0]);
        c.host_key = detail::first_common(ssh_host_key_algorithms, lists[1]);
        if (c.kex.empty() || c.host_key.empty()) return fail();
        choice_ = std::move(c);
        stage_ = Stage::reply;
        return Status::kexinit_seen;
    }
    // Stage::reply: K_S, then Q_S or f, then the signature (RFC 5656 §4, RFC 4253 §8).
    if (type != detail::msg_kex_reply) return fail();
    std::size_t at = 1;
    std::string_view blob, server_key, signature, key_type;
    if (!detail::get_string(payload, at, blob) || !detail::get_string(payload, at, server_key) ||
        !detail::get_string(payload, at, signature))
        return fail();
    std::size_t in_blob = 0;
    // The key type goes into reports and is split on when diffing: only a plain algorithm name is accepted
    // (RFC 4251 6: printable US-ASCII, no comma, at most 64 characters; we allow the usual [A-Za-z0-9@._-]).
    if (!detail::get_string(blob, in_blob, key_type) || key_type.empty() || key_type.size() > 64)
        return fail();
    for (char ch : key_type)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '@' || ch == '.' || ch == '_' ||
              ch == '-'))
            return fail();
    key_blob_.assign(blob);
    key_type_.assign(key_type);
    stage_ = Stage::done;
    buf_.clear();
    status_ = Status::host_key;
    return status_;
}

SshKexReader::Status SshKexReader::feed(std::string_view bytes) {
    if (status_ == Status::failed || status_ == Status::host_key) return status_;
    if (bytes.size() > ssh_max_total_bytes - total_) return fail();
    total_ += bytes.size();
    buf_.append(bytes);
    Status result = Status::need_more;
    if (stage_ == Stage::banner && !read_banner()) return status_;
    std::size_t at = 0;
    while (stage_ == Stage::kexinit || stage_ == Stage::reply) {
        if (buf_.size() - at < 5) break;
        std::uint32_t len = detail::load_u32(buf_, at);
        auto pad = static_cast<std::uint8_t>(buf_[at + 4]);
        // The payload must hold at least the message type: len >= padding length + 2.
        if (len > ssh_max_packet_length || len < std::uint32_t{pad} + 2) return fail();
        if (buf_.size() - at - 4 < len) break;
        std::string_view payload(buf_.data() + at + 5, len - pad - 1);
        at += 4 + len;
        Status s = on_packet(payload);
        if (s == Status::failed || s == Status::host_key) return s;
        if (s == Status::kexinit_seen) result = s;
    }
    buf_.erase(0, at);
    return result;
}

std::string SshKexReader::fingerprint() const {
    if (key_type_.empty()) return {};
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(key_blob_.data()), key_blob_.size(), digest.data());
    std::array<unsigned char, 4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1> b64{};
    int n = EVP_EncodeBlock(b64.data(), digest.data(), static_cast<int>(digest.size()));
    std::string text(reinterpret_cast<const char*>(b64.data()), n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!text.empty() && text.back() == '=') text.pop_back();
    return key_type_ + " SHA256:" + text;
}

}  // namespace ghostport::probes
