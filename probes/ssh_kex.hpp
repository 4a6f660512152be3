// SPDX-License-Identifier: GPL-2.0-or-later
// The client side of SSH's key exchange up to the server's host key: enough to read the host key and its
// fingerprint for service identification (scan -sV), never to authenticate or to finish the exchange.
//
// Design notes
// - Protocol: RFC 4253 §4.2 (identification strings), §6 (binary packets), §7.1 (KEXINIT and algorithm
//   negotiation), §8 (diffie-hellman-group14, KEXDH_INIT/REPLY); RFC 5656 §4 (ecdh-sha2-nistp256,
//   KEX_ECDH_INIT/REPLY); RFC 8731 (curve25519-sha256); RFC 8268 (diffie-hellman-group14-sha256).
// - A conversation: send ssh_client_banner() and ssh_kexinit_packet() at once (a client may send its
//   KEXINIT without waiting, RFC 4253 §7.1); feed everything the server sends to an SshKexReader; when it
//   reports kexinit_seen, send ssh_ecdh_init_packet(reader.choice()); keep feeding until host_key (or
//   failed), then close. The exchange is never finished, so nothing is authenticated.
// - The host key is K_S, the first field of the server's reply (message 31), as the server sent it: its
//   signature over the exchange hash is not checked, so the fingerprint is what the server claims.
// - The reader is pure byte work and bounds-checks every length: a malformed, oversized or unexpected input
//   is `failed`, never a crash or an exception. OpenSSL libcrypto makes the ephemeral keys and the SHA-256.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ghostport::probes {

// Caps on what a server may make us hold: one binary packet (RFC 4253 §6.1 asks every implementation to
// handle 35000 bytes) and everything a server may send before its host key (banner lines included).
inline constexpr std::size_t ssh_max_packet_length = 35000;
inline constexpr std::size_t ssh_max_total_bytes = 256 * 1024;

// The outcome of algorithm negotiation (RFC 4253 §7.1): the first of our algorithms the server also lists.
struct SshKexChoice {
    std::string kex;       // "curve25519-sha256", ...; "" until the server's KEXINIT was read
    std::string host_key;  // "ssh-ed25519", "rsa-sha2-512", ...
    bool operator==(const SshKexChoice&) const = default;
};

// Our name-lists, in order of preference (what ssh_kexinit_packet offers).
inline constexpr std::string_view ssh_kex_algorithms =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256";
inline constexpr std::string_view ssh_host_key_algorithms =
    "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256,ssh-rsa";
inline constexpr std::string_view ssh_cipher_algorithms =
    "chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com";
inline constexpr std::string_view ssh_mac_algorithms =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";

// Our identification string, CR LF included: "SSH-2.0-ghostport\r\n".
std::string ssh_client_banner();

// An unencrypted binary packet carrying SSH_MSG_KEXINIT (20) with a random cookie, the name-lists above
// (compression "none", no languages), first_kex_packet_follows false and reserved 0; padded with 4..11
// random bytes so that the packet is a multiple of 8 bytes long.
std::string ssh_kexinit_packet();

// The packet that starts the chosen key exchange, with a fresh ephemeral key: SSH_MSG_KEX_ECDH_INIT (30)
// with an X25519 public key (curve25519-sha256, @libssh.org) or an uncompressed P-256 point
// (ecdh-sha2-nistp256), or SSH_MSG_KEXDH_INIT (30) with e = 2^x mod p of the RFC 3526 2048-bit group
// (diffie-hellman-group14-sha256). "" for any other kex, or if OpenSSL fails to make a key.
std::string ssh_ecdh_init_packet(const SshKexChoice& choice);

// Reads what an SSH server sends, in order, across any number of feed() calls split anywhere.
class SshKexReader {
  public:
    enum class Status {
        need_more,     // nothing new to act on: feed more bytes
        kexinit_seen,  // the server's KEXINIT was read in this call: send ssh_ecdh_init_packet(choice())
        host_key,      // the host key was read (sticky): host_key_type() and fingerprint() are set
        failed,        // not SSH 2, malformed, too large, no algorithm in common, or a disconnect (sticky)
    };

    // Consumes `bytes`: the identification line (after any other lines, RFC 4253 §4.2; "SSH-2.0-" or
    // "SSH-1.99-", at most 255 bytes with its line end), then binary packets: IGNORE, DEBUG and
    // UNIMPLEMENTED are skipped, then KEXINIT, then message 31 with K_S. kexinit_seen is reported once, in
    // the call that read the KEXINIT, unless the same call also read the host key (then host_key). Packets
    // longer than ssh_max_packet_length, more than ssh_max_total_bytes in all, or any other message fail.
    Status feed(std::string_view bytes);

    Status status() const { return status_; }
    // The server's identification line without its line end ("SSH-2.0-OpenSSH_9.2p1 Debian-2"), raw bytes
    // as sent (callers escape it); "" until read.
    const std::string& server_banner() const { return banner_; }
    // The negotiated algorithms; empty until kexinit_seen.
    const SshKexChoice& choice() const { return choice_; }
    // K_S, the server's public host key blob (RFC 4253 §6.6), and its type (the blob's first string,
    // "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"); "" until host_key.
    const std::string& host_key_blob() const { return key_blob_; }
    const std::string& host_key_type() const { return key_type_; }
    // As ssh-keygen -l prints it: "<type> SHA256:<base64 of SHA-256(K_S), no '=' padding>"; "" until
    // host_key.
    std::string fingerprint() const;

  private:
    enum class Stage { banner, kexinit, reply, done };
    Status fail();
    bool read_banner();  // consumes banner-phase lines; false when more bytes are needed
    Status on_packet(std::string_view payload);

    Status status_ = Status::need_more;
    Stage stage_ = Stage::banner;
    std::string buf_;  // bytes received but not consumed yet
    std::size_t total_ = 0;
    std::string banner_;
    SshKexChoice choice_;
    std::string key_blob_;
    std::string key_type_;
};

}  // namespace ghostport::probes
