// SPDX-License-Identifier: GPL-2.0-or-later
// The identify stage (scan -sV): Asio coroutines that hold one conversation chain per open port, bounded per
// host and in all, with TLS through OpenSSL. The only file that includes asio::ssl.
#include "scanner/identify.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "probes/banner.hpp"
#include "probes/ssh_kex.hpp"
#include "probes/tls_facts.hpp"
#include "scanner/fd_limit.hpp"
#include "scanner/identify_plan.hpp"

namespace ghostport::scanner {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr std::size_t answer_cap = 16 * 1024;  // bytes kept from one conversation: the rest is not read
constexpr unsigned max_conversations = 10;     // per port, whatever the definitions hold
constexpr unsigned default_concurrency = 2048;

tcp::endpoint to_endpoint(const core::Address& a, std::uint16_t port) {
    if (a.is_v4()) return {asio::ip::address_v4(a.v4()), port};
    asio::ip::address_v6::bytes_type b;
    std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
    return {asio::ip::address_v6(b), port};
}

// One TCP connection, plain or (after a handshake) TLS, with a deadline on every operation: a timer that
// cancels the socket. `generation` keeps a timer that fired late from cancelling a later operation.
struct Conn : std::enable_shared_from_this<Conn> {
    Conn(asio::io_context& io, ssl::context& tls) : stream(io, tls), timer(io) {}
    ssl::stream<tcp::socket> stream;
    asio::steady_timer timer;
    std::uint64_t generation = 0;
    bool tls = false;  // the handshake succeeded: reads and writes go through TLS
    bool peer_closed = false;
    std::string bytes;                          // everything read, at most answer_cap
    clock::time_point asked{};                  // connected, or last sent to: when an answer could start
    std::optional<clock::duration> answered{};  // how long after `asked` the first byte came

    tcp::socket& socket() { return stream.next_layer(); }
    void arm(clock::time_point deadline) {
        timer.expires_at(deadline);
        timer.async_wait([self = shared_from_this(), gen = ++generation](const error_code& ec) {
            if (!ec && gen == self->generation) {
                error_code ignored;
                self->socket().cancel(ignored);
            }
        });
    }
    void disarm() {
        ++generation;
        timer.cancel();
    }
    // Closes with a reset (SO_LINGER 0): no TIME_WAIT is left behind, no shutdown dialogue is waited for.
    void close() {
        disarm();
        error_code ignored;
        if (socket().is_open()) {
            socket().set_option(asio::socket_base::linger(true, 0), ignored);
            socket().close(ignored);
        }
    }
};

// How a conversation's connection attempt ended: the port's answer, or a failure of this machine's own
// (out of descriptors or local ports), which says nothing about the port.
enum class Connected : std::uint8_t { yes, refused, timed_out, local_failure };

awaitable<Connected> connect(Conn& c, const tcp::endpoint& ep, clock::time_point deadline) {
    error_code ec;
    c.arm(deadline);
    co_await c.socket().async_connect(ep, asio::redirect_error(use_awaitable, ec));
    c.disarm();
    if (!ec) {
        c.socket().set_option(tcp::no_delay(true), ec);
        c.asked = clock::now();
        co_return Connected::yes;
    }
    if (ec == asio::error::operation_aborted || ec == asio::error::timed_out) co_return Connected::timed_out;
    if (ec == asio::error::connection_refused || ec == asio::error::connection_reset)
        co_return Connected::refused;
    if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
        ec == asio::error::address_in_use || ec.value() == EADDRNOTAVAIL)
        co_return Connected::local_failure;
    co_return Connected::refused;  // unreachable, prohibited: the port is gone for us
}

awaitable<bool> send(Conn& c, std::string_view data, clock::time_point deadline) {
    if (data.empty()) co_return true;
    error_code ec;
    c.arm(deadline);
    if (c.tls)
        co_await asio::async_write(c.stream, asio::buffer(data), asio::redirect_error(use_awaitable, ec));
    else
        co_await asio::async_write(c.socket(), asio::buffer(data), asio::redirect_error(use_awaitable, ec));
    c.disarm();
    c.asked = clock::now();
    c.answered.reset();
    co_return !ec;
}

// Reads into c.bytes until `done(c.bytes)` says enough, the peer closes, answer_cap is reached or the
// deadline passes. With a `grace`, what arrives within it after `done` first says enough is read too (an
// answer split across segments: a status line matched before the header that names the product), and an
// answer that `done` never accepts ends once the service has been quiet for `grace` after it began
// (a soft match or an error line is complete; waiting out the deadline would only cost time). Returns
// whether anything new was read.
template <typename Done>
awaitable<bool> read_until(Conn& c, clock::time_point deadline, Done done,
                           clock::duration grace = clock::duration::zero()) {
    const std::size_t before = c.bytes.size();
    bool satisfied = false;
    std::array<char, 4096> buf;
    const clock::duration quiet =
        grace > clock::duration::zero() ? grace + std::chrono::milliseconds(150) : grace;
    while (!c.peer_closed && c.bytes.size() < answer_cap && clock::now() < deadline) {
        error_code ec;
        const bool answering = c.bytes.size() > before;
        c.arm(answering && quiet > clock::duration::zero() ? std::min(deadline, clock::now() + quiet)
                                                           : deadline);
        std::size_t n = 0;
        if (c.tls)
            n = co_await c.stream.async_read_some(asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
        else
            n = co_await c.socket().async_read_some(asio::buffer(buf),
                                                    asio::redirect_error(use_awaitable, ec));
        c.disarm();
        if (n > 0 && !c.answered) c.answered = clock::now() - c.asked;
        c.bytes.append(buf.data(), std::min(n, answer_cap - c.bytes.size()));
        if (ec) {
            if (ec != asio::error::operation_aborted) c.peer_closed = true;  // eof, reset, TLS alert
            break;
        }
        if (!satisfied && done(std::string_view(c.bytes))) {
            if (grace <= clock::duration::zero()) break;
            satisfied = true;
            deadline = std::min(deadline, clock::now() + grace);
        }
    }
    co_return c.bytes.size() > before;
}

// Everything the stage shares between its coroutines; only the stage's own thread touches it.
struct Job {
    core::PortResult result;
    std::string sni;
};

class IdentifyStage final : public Stage {
  public:
    IdentifyStage(const probes::ServiceDefs& defs, const probes::Matcher& matcher, const IdentifyOptions& o,
                  HostNameOf name_of, ServiceFound found)
        : defs_(defs),
          matcher_(matcher),
          opt_(o),
          name_of_(std::move(name_of)),
          found_(std::move(found)),
          tls_(ssl::context::tls_client),
          work_(asio::make_work_guard(io_)) {
        greeting_ = defs_.find("greeting");
        trace_ = std::getenv("GHOSTPORT_TRACE") != nullptr;  // undocumented, like the SYN engine's
        // Two sockets a conversation at most (a TLS probe opens the next while the last closes), and the
        // sweep's engine holds its own share of the descriptors (scan_setup gives it half).
        if (opt_.concurrency == 0)
            opt_.concurrency = std::min(default_concurrency, concurrency_for(raise_fd_limit(), 0) / 4 + 1);
        opt_.per_host = std::max(1u, opt_.per_host);
        // Old and odd servers are still servers: offer every protocol version and cipher, verify nothing
        // (the certificate is reported, not trusted).
        SSL_CTX* ctx = tls_.native_handle();
        SSL_CTX_set_min_proto_version(ctx, 0);
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
        thread_ = std::thread([this] { io_.run(); });
    }

    ~IdentifyStage() override {
        if (thread_.joinable()) {
            asio::post(io_, [this] { abandon(); });
            work_.reset();
            thread_.join();
        }
    }

    void take(const core::PortResult& r) override {
        if (r.state != core::PortState::open || r.proto != core::Proto::tcp) return;
        Job job{r, name_of_ ? name_of_(r.host) : std::string()};
        asio::post(io_, [this, job = std::move(job)]() mutable { enqueue(std::move(job)); });
    }

    void finish(const std::atomic<bool>* stop) override {
        if (!thread_.joinable()) return;  // finished already
        asio::post(io_, [this] {
            draining_ = true;
            maybe_done();
        });
        std::unique_lock lock(done_mutex_);
        while (!done_cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; })) {
            if (stop && stop->load()) asio::post(io_, [this] { abandon(); });
        }
        lock.unlock();
        work_.reset();
        thread_.join();
    }

  private:
    struct HostState {
        // The slowest first answer any of the host's services gave (capped): a loaded host's waits grow
        // with it, where the network round trip alone would cut them short.
        std::chrono::microseconds answer_latency{0};
        unsigned running = 0;
        std::uint64_t open = 0;
        bool all_open = false;
        std::deque<Job> held;  // waiting for one of the host's conversations to end
    };

    void enqueue(Job job) {
        HostState& h = hosts_[job.result.host];
        if (h.all_open || abandoned_) {
            found_(job.result, {});
            return;
        }
        if (++h.open > opt_.port_threshold) {
            // Over the threshold the host is all-open: its rows collapse into one, identified by nobody.
            h.all_open = true;
            for (auto& held : h.held) found_(held.result, {});
            h.held.clear();
            found_(job.result, {});
            return;
        }
        queue_.push_back(std::move(job));
        start_jobs();
    }

    void start_jobs() {
        while (active_ < opt_.concurrency && !queue_.empty()) {
            Job job = std::move(queue_.front());
            queue_.pop_front();
            HostState& h = hosts_[job.result.host];
            if (h.running >= opt_.per_host) {
                h.held.push_back(std::move(job));
                continue;
            }
            spawn(std::move(job), h);
        }
    }

    void spawn(Job job, HostState& h) {
        ++h.running;
        ++active_;
        asio::co_spawn(io_, run_job(std::move(job)), asio::detached);
    }

    awaitable<void> run_job(Job job) {
        core::ServiceInfo info;
        try {
            info = co_await identify(job);
        } catch (const std::exception&) {
            info = {};  // only allocation failure can get here; the port stays unidentified
        }
        const bool dropped = abandoned_ && !info.named();
        found_(job.result, dropped ? core::ServiceInfo{} : std::move(info));
        HostState& h = hosts_[job.result.host];
        --h.running;
        --active_;
        if (!h.held.empty() && !abandoned_ && h.running < opt_.per_host) {
            Job next = std::move(h.held.front());
            h.held.pop_front();
            spawn(std::move(next), h);
        }
        start_jobs();
        maybe_done();
    }

    // Ctrl-C: every conversation's socket is closed; coroutines end at their next step.
    void abandon() {
        if (abandoned_) return;
        abandoned_ = true;
        for (auto& c : live_)
            if (auto conn = c.lock()) conn->close();
        for (auto& j : queue_) found_(j.result, {});
        queue_.clear();
        for (auto& [host, h] : hosts_) {
            for (auto& j : h.held) found_(j.result, {});
            h.held.clear();
        }
        maybe_done();
    }

    void maybe_done() {
        if (!draining_ || active_ > 0 || !queue_.empty()) return;
        for (auto& [host, h] : hosts_)
            if (!h.held.empty()) return;
        std::lock_guard lock(done_mutex_);
        done_ = true;
        done_cv_.notify_all();
    }

    std::shared_ptr<Conn> new_conn() {
        auto c = std::make_shared<Conn>(io_, tls_);
        // Pruned only when it has grown well past the conversations in flight: amortised O(1) a connection.
        if (live_.size() > 2 * static_cast<std::size_t>(active_) + 64)
            std::erase_if(live_, [](const std::weak_ptr<Conn>& w) { return w.expired(); });
        live_.push_back(c);
        return c;
    }

    // A new conversation with the port, counted in info.conversations; nullptr when it could not be
    // connected (`how` says why).
    awaitable<std::shared_ptr<Conn>> open(const Job& job, clock::time_point deadline, core::ServiceInfo& info,
                                          Connected& how) {
        auto c = new_conn();
        ++info.conversations;
        how = co_await connect(
            *c, to_endpoint(job.result.host, job.result.port),
            std::min(deadline, clock::now() + connect_wait(std::chrono::microseconds(job.result.rtt_us))));
        co_return how == Connected::yes ? c : nullptr;
    }

    // One port's identification; see the man page's SERVICE IDENTIFICATION for the order it follows.
    awaitable<core::ServiceInfo> identify(const Job& job);
    awaitable<bool> tls_handshake(Conn& c, const Job& job, clock::time_point deadline,
                                  core::ServiceInfo& info);
    awaitable<void> ssh_host_key(const Job& job, clock::time_point deadline, core::ServiceInfo& info);
    awaitable<void> starttls(const Job& job, clock::time_point deadline, core::ServiceInfo& info);

    const probes::ServiceDefs& defs_;
    const probes::Matcher& matcher_;
    IdentifyOptions opt_;
    HostNameOf name_of_;
    ServiceFound found_;
    int greeting_ = -1;
    bool trace_ = false;

    asio::io_context io_{1};
    ssl::context tls_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;

    std::deque<Job> queue_;
    std::map<core::Address, HostState> hosts_;
    std::vector<std::weak_ptr<Conn>> live_;
    unsigned active_ = 0;
    bool draining_ = false, abandoned_ = false;

    std::mutex done_mutex_;
    std::condition_variable done_cv_;
    bool done_ = false;
};

void apply(core::ServiceInfo& info, const probes::MatchHit& hit) {
    info.name = hit.service;
    info.soft = hit.soft;
    if (!hit.product.empty()) info.product = hit.product;
    if (!hit.version.empty()) info.version = hit.version;
    if (!hit.info.empty()) info.extra_info = hit.info;
    if (!hit.cpe.empty()) info.cpe = hit.cpe;
}

void add_fingerprint(core::ServiceInfo& info, const std::string& fp) {
    if (fp.empty()) return;
    if (!info.fingerprint.empty()) info.fingerprint += ';';
    info.fingerprint += fp;
}

// The first bytes a port sent: the banner, kept from the first conversation that got any.
void keep_banner(core::ServiceInfo& info, std::string_view bytes) {
    if (info.banner.empty() && !bytes.empty()) info.banner = probes::printable_banner(bytes, 256);
}

bool is_ip_literal(const std::string& name) {
    error_code ec;
    asio::ip::make_address(name, ec);
    return !ec;
}

awaitable<bool> IdentifyStage::tls_handshake(Conn& c, const Job& job, clock::time_point deadline,
                                             core::ServiceInfo& info) {
    SSL* ssl = c.stream.native_handle();
    if (!job.sni.empty() && !is_ip_literal(job.sni)) SSL_set_tlsext_host_name(ssl, job.sni.c_str());
    error_code ec;
    c.arm(deadline);
    co_await c.stream.async_handshake(ssl::stream_base::client, asio::redirect_error(use_awaitable, ec));
    c.disarm();
    if (ec) co_return false;
    c.tls = true;
    info.tls = SSL_get_version(ssl);
    if (X509* cert = SSL_get1_peer_certificate(ssl)) {
        unsigned char* der = nullptr;
        const int len = i2d_X509(cert, &der);
        if (len > 0) {
            if (auto facts = probes::cert_facts(std::string_view(reinterpret_cast<char*>(der), len))) {
                info.cert_subject = facts->subject;
                info.cert_san = facts->san;
                info.cert_issuer = facts->issuer;
                info.cert_not_after = facts->not_after;
                info.cert_self_signed = facts->self_signed;
                add_fingerprint(info, facts->fingerprint);
            }
            OPENSSL_free(der);
        }
        X509_free(cert);
    }
    co_return true;
}

awaitable<void> IdentifyStage::ssh_host_key(const Job& job, clock::time_point deadline,
                                            core::ServiceInfo& info) {
    Connected how;
    auto c = co_await open(job, deadline, info, how);
    if (!c) co_return;
    probes::SshKexReader reader;
    if (!co_await send(*c, probes::ssh_client_banner() + probes::ssh_kexinit_packet(), deadline)) co_return;
    std::size_t fed = 0;
    bool init_sent = false;
    auto status = probes::SshKexReader::Status::need_more;
    co_await read_until(*c, deadline, [&](std::string_view all) {
        status = reader.feed(all.substr(fed));
        fed = all.size();
        return status != probes::SshKexReader::Status::need_more;
    });
    if (status == probes::SshKexReader::Status::kexinit_seen) {
        init_sent = co_await send(*c, probes::ssh_ecdh_init_packet(reader.choice()), deadline);
        if (init_sent)
            co_await read_until(*c, deadline, [&](std::string_view all) {
                status = reader.feed(all.substr(fed));
                fed = all.size();
                return status == probes::SshKexReader::Status::host_key ||
                       status == probes::SshKexReader::Status::failed;
            });
    }
    if (status == probes::SshKexReader::Status::host_key) add_fingerprint(info, reader.fingerprint());
    c->close();
}

awaitable<void> IdentifyStage::starttls(const Job& job, clock::time_point deadline, core::ServiceInfo& info) {
    const StartTlsDialogue* d = starttls_dialogue(info.name);
    if (!d) co_return;
    const std::chrono::microseconds rtt(job.result.rtt_us);
    Connected how;
    auto c = co_await open(job, deadline, info, how);
    if (!c) co_return;
    auto step_deadline = [&] { return std::min(deadline, clock::now() + answer_wait(rtt, {})); };
    ReplyVerdict v = ReplyVerdict::ok;
    if (d->read_greeting) {
        co_await read_until(*c, step_deadline(), [&](std::string_view a) {
            v = d->greeting(a);
            return v != ReplyVerdict::need_more;
        });
        if (v != ReplyVerdict::ok) {
            c->close();
            co_return;
        }
    }
    for (const auto& step : d->steps) {
        c->bytes.clear();
        if (!co_await send(*c, step.send, deadline)) {
            c->close();
            co_return;
        }
        v = ReplyVerdict::need_more;
        co_await read_until(*c, step_deadline(), [&](std::string_view a) {
            v = step.reply(a);
            return v != ReplyVerdict::need_more;
        });
        if (v != ReplyVerdict::ok) {
            c->close();
            co_return;
        }
    }
    if (co_await tls_handshake(*c, job, deadline, info)) info.tls = "STARTTLS " + info.tls;
    c->close();
}

awaitable<core::ServiceInfo> IdentifyStage::identify(const Job& job) {
    core::ServiceInfo info;
    const auto end = clock::now() + opt_.timeout;
    HostState& host = hosts_[job.result.host];
    // The waits follow the round trip, or the host's slowest answer so far when that is longer.
    const std::chrono::microseconds network_rtt(job.result.rtt_us);
    std::chrono::microseconds rtt = std::max(network_rtt, host.answer_latency);
    auto learn = [&](const Conn& conv) {
        if (!conv.answered) return;
        const auto took = std::min<std::chrono::microseconds>(
            std::chrono::duration_cast<std::chrono::microseconds>(*conv.answered), std::chrono::seconds(1));
        host.answer_latency = std::max(host.answer_latency, took);
        rtt = std::max(network_rtt, host.answer_latency);
    };
    auto until = [&](std::chrono::milliseconds d) { return std::min(end, clock::now() + d); };
    // A TLS handshake costs the server real work; give it more than a plain answer gets.
    auto handshake_wait = [&](const probes::ServiceProbe& p) {
        return std::max(answer_wait(rtt, p.wait), std::chrono::milliseconds(2000));
    };

    std::string soft;  // the service a soft match named: later probes must be able to name it
    std::optional<probes::MatchHit> hard, soft_hit;
    bool any_bytes = false;
    // Waits in a row that ended with the connection open and not a byte read: after `silent_limit` of them
    // (the greeting and two probes) the port is called silent. A service that needs another probe closes
    // or complains when it reads bytes it does not understand; one that keeps quiet through three will not
    // speak to a fourth, and a middlebox must not cost a whole --version-timeout per port.
    constexpr unsigned silent_limit = 3;
    unsigned silent_streak = 0;
    auto note_silence = [&](const Conn& conv) {
        learn(conv);
        any_bytes = any_bytes || !conv.bytes.empty();
        silent_streak = (conv.bytes.empty() && !conv.peer_closed) ? silent_streak + 1 : 0;
    };
    // Matches `answer` (what probe `probe` got) and keeps the verdict; true on a hard match.
    auto judge = [&](int probe, std::string_view answer) {
        if (probe < 0 || answer.empty()) return false;
        auto hit = matcher_.match(static_cast<std::size_t>(probe), answer, soft);
        if (!hit) return false;
        if (!hit->soft) {
            hard = std::move(hit);
            return true;
        }
        if (soft.empty()) {
            soft = hit->service;
            soft_hit = std::move(hit);
        }
        return false;
    };
    const auto grace =
        std::chrono::milliseconds(40) + 2 * std::chrono::duration_cast<std::chrono::milliseconds>(rtt);
    // A read's stop condition: the answer so far is a hard match for `probe`.
    auto hard_match = [&](int probe) {
        return [&, probe](std::string_view a) {
            if (probe < 0) return false;
            const auto hit = matcher_.match(static_cast<std::size_t>(probe), a, soft);
            return hit && !hit->soft;
        };
    };
    // Connects and lets the service speak first; nullptr when no connection could be made.
    Connected how = Connected::yes;
    auto greet = [&]() -> awaitable<std::shared_ptr<Conn>> {
        auto c = co_await open(job, end, info, how);
        if (c) co_await read_until(*c, until(greeting_wait(rtt)), hard_match(greeting_), grace);
        co_return c;
    };

    // Conversation 1: the greeting. A close without a byte is tried once more a moment later before the
    // port is called tcpwrapped: a daemon shedding load (sshd's MaxStartups) closes the same way.
    auto c = co_await greet();
    for (int again = 0; c && c->bytes.empty() && c->peer_closed && again < 1 && !abandoned_; ++again) {
        c->close();
        asio::steady_timer pause(io_);
        pause.expires_after(std::chrono::milliseconds(250));
        error_code ignored;
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ignored));
        c = co_await greet();
    }
    if (!c) {
        // The port closed meanwhile, or this machine ran out of descriptors: either way nothing was learnt.
        if (how == Connected::local_failure) co_return core::ServiceInfo{};
        info.name = core::service_unknown;
        info.extra_info = "the port no longer accepted connections";
        co_return info;
    }
    if (c->bytes.empty() && c->peer_closed) {
        c->close();
        info.name = core::service_tcpwrapped;
        co_return info;
    }
    note_silence(*c);
    keep_banner(info, c->bytes);
    judge(greeting_, c->bytes);
    if (trace_)
        std::fprintf(stderr, "identify %s:%u greeting: %zu bytes%s\n", job.result.host.to_string().c_str(),
                     job.result.port, c->bytes.size(), hard ? ", matched" : "");
    // A silent, still open first connection carries the first probe too: one conversation saved.
    std::shared_ptr<Conn> reusable = (c->bytes.empty() && !c->peer_closed) ? c : nullptr;
    if (!reusable) c->close();

    // Identification of this port is over: named, out of time or conversations, or abandoned.
    auto done = [&] {
        return hard || clock::now() >= end || info.conversations >= max_conversations || abandoned_;
    };
    auto stopped = [&] { return done() || silent_streak >= silent_limit; };
    for (std::size_t index : probe_order(defs_, job.result.port, opt_.intensity)) {
        if (stopped()) break;
        const auto& probe = defs_.probes[index];
        // After a soft match only the probes that can name that service; TLS only when that service is TLS.
        if (!soft.empty() && !matcher_.can_name(index, soft) &&
            (probe.kind != probes::ProbeKind::tls || soft != "ssl"))
            continue;
        std::shared_ptr<Conn> conv = std::exchange(reusable, nullptr);
        if (!conv && !(conv = co_await open(job, end, info, how))) continue;
        if (probe.kind == probes::ProbeKind::tls) {
            const auto shake_start = clock::now();
            const bool shaken = co_await tls_handshake(*conv, job, until(handshake_wait(probe)), info);
            if (trace_)
                std::fprintf(
                    stderr, "identify %s:%u tls: %s after %lld ms\n", job.result.host.to_string().c_str(),
                    job.result.port, shaken ? "handshake" : "no handshake",
                    static_cast<long long>(
                        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - shake_start)
                            .count()));
            if (!shaken) {
                note_silence(*conv);
                conv->close();
                continue;
            }
            // Inside TLS: a greeting first, then the in-tls probes, the first on this connection. A soft
            // "ssl" (a plain answer saying TLS is expected) has done its job: what is inside counts.
            if (soft == "ssl") {
                soft.clear();
                soft_hit.reset();
            }
            co_await read_until(*conv, until(greeting_wait(rtt)), hard_match(greeting_), grace);
            keep_banner(info, conv->bytes);
            judge(greeting_, conv->bytes);
            std::shared_ptr<Conn> inside = (conv->bytes.empty() && !conv->peer_closed) ? conv : nullptr;
            for (std::size_t inner : probe_order(defs_, job.result.port, 9)) {
                if (done()) break;
                const auto& p = defs_.probes[inner];
                if (!p.in_tls || p.kind != probes::ProbeKind::send) continue;
                if (!soft.empty() && !matcher_.can_name(inner, soft)) continue;
                std::shared_ptr<Conn> t = std::exchange(inside, nullptr);
                if (!t) {
                    core::ServiceInfo again;  // the certificate is known already
                    if (!(t = co_await open(job, end, info, how))) continue;
                    if (!co_await tls_handshake(*t, job, until(handshake_wait(p)), again)) {
                        t->close();
                        continue;
                    }
                }
                t->bytes.clear();
                if (co_await send(*t, p.payload, until(answer_wait(rtt, p.wait))))
                    co_await read_until(*t, until(answer_wait(rtt, p.wait)),
                                        hard_match(static_cast<int>(inner)), grace);
                learn(*t);
                keep_banner(info, t->bytes);
                judge(static_cast<int>(inner), t->bytes);
                t->close();
            }
            conv->close();
            if (!hard && soft.empty()) info.name = "ssl";
            break;
        }
        if (co_await send(*conv, probe.payload, until(answer_wait(rtt, probe.wait))))
            co_await read_until(*conv, until(answer_wait(rtt, probe.wait)),
                                hard_match(static_cast<int>(index)), grace);
        note_silence(*conv);
        keep_banner(info, conv->bytes);
        judge(static_cast<int>(index), conv->bytes);
        if (trace_)
            std::fprintf(stderr, "identify %s:%u %s: %zu bytes%s%s\n", job.result.host.to_string().c_str(),
                         job.result.port, probe.name.c_str(), conv->bytes.size(),
                         conv->peer_closed ? ", closed" : "", hard ? ", matched" : "");
        conv->close();
    }
    if (reusable) reusable->close();

    if (hard) {
        apply(info, *hard);
    } else if (soft_hit) {
        apply(info, *soft_hit);
    } else if (info.name.empty()) {
        info.name = core::service_unknown;
        if (!any_bytes) info.extra_info = "accepted connections but never sent a byte";
    }
    // The SSH host key and STARTTLS, within what is left of --version-timeout.
    if (abandoned_ || clock::now() >= end) co_return info;
    if (info.name == "ssh") co_await ssh_host_key(job, end, info);
    if (info.tls.empty() && info.named() && !abandoned_) co_await starttls(job, end, info);
    co_return info;
}

}  // namespace

std::unique_ptr<Stage> make_identify_stage(const probes::ServiceDefs& defs, const probes::Matcher& matcher,
                                           const IdentifyOptions& options, HostNameOf name_of,
                                           ServiceFound found) {
    return std::make_unique<IdentifyStage>(defs, matcher, options, std::move(name_of), std::move(found));
}

}  // namespace ghostport::scanner
