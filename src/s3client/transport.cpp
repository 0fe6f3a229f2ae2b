// The transport: Beast's HTTP/1.1 messages over beast::tcp_stream, or beast::ssl_stream on top
// of one. Every connection owns an io_context, and a call runs each asynchronous step on it to
// completion; the stream's expiry (Beast closes the socket when it passes) is the call's
// deadline, set once, so it bounds connect, handshake, send and the whole reply together.
// Running a private io_context per connection keeps calls on different threads independent:
// no thread ever runs another call's handlers.

#include "s3client/transport.hpp"

#include <poll.h>

#include <atomic>
#include <charconv>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/ascii.hpp"

namespace presign::s3client {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using beast::error_code;
using steady = std::chrono::steady_clock;

std::optional<url_parts> parse_url(std::string_view url) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    url_parts out;
    out.scheme = core::to_lower(url.substr(0, sep));
    if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
    url.remove_prefix(sep + 3);
    const auto end = url.find_first_of("/?#");
    const std::string_view authority = url.substr(0, end);
    const std::string_view rest = end == std::string_view::npos ? "" : url.substr(end);
    if (authority.empty() || authority.find('@') != std::string_view::npos ||
        rest.find('#') != std::string_view::npos)
        return std::nullopt;

    std::string_view host = authority;
    std::string_view port_text;
    bool has_port = false;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':') return std::nullopt;
        has_port = !after.empty();
        if (has_port) port_text = after.substr(1);
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port_text = authority.substr(colon + 1);
        has_port = true;
        if (host.find(':') != std::string_view::npos) return std::nullopt;  // unbracketed IPv6
    }
    if (host.empty()) return std::nullopt;
    out.host = std::string(host);
    out.port = out.scheme == "https" ? 443 : 80;
    if (has_port) {
        unsigned port = 0;
        const auto [ptr, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
            port == 0 || port > 65535)
            return std::nullopt;
        out.port = static_cast<std::uint16_t>(port);
    }
    out.target = rest.empty() ? "/" : rest.front() == '?' ? "/" + std::string(rest) : rest;
    return out;
}

std::string_view http_reply::header(std::string_view name) const {
    for (const sigv4::header& h : headers)
        if (core::iequals(h.name, name)) return h.value;
    return {};
}

struct transport::connection {
    explicit connection(std::string pool_key) : key(std::move(pool_key)) {}

    std::string key;  // "scheme://host:port": which calls may reuse it
    net::io_context ioc{1};
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;

    beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

struct transport::impl {
    explicit impl(transport_settings s) : settings(std::move(s)) {}

    transport_settings settings;
    std::mutex mutex;                               // guards idle
    std::vector<std::unique_ptr<connection>> idle;  // most recently returned last
    std::once_flag tls_once;
    std::unique_ptr<ssl::context> tls_context;
    std::string tls_failure;
    std::atomic<std::size_t> opened{0};
    std::atomic<std::size_t> reused{0};
    std::atomic<std::size_t> retried{0};

    // Sets up the TLS context once: peers verified against the system's (or the given)
    // certificate authorities, TLS 1.2 at least.
    ssl::context* tls() {
        std::call_once(tls_once, [this] {
            try {
                auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
                SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
                ctx->set_verify_mode(ssl::verify_peer);
                if (settings.ca_file.empty())
                    ctx->set_default_verify_paths();
                else
                    ctx->load_verify_file(settings.ca_file);
                tls_context = std::move(ctx);
            } catch (const boost::system::system_error& e) {
                tls_failure = e.code().message();
            }
        });
        return tls_context.get();
    }
};

namespace {

// Runs one asynchronous operation on `ioc` until it completes; its error. The stream's expiry
// bounds the wait: when it passes, Beast closes the socket and the operation fails with
// beast::error::timeout.
template <class Start>
error_code run(net::io_context& ioc, Start&& start) {
    error_code result = net::error::operation_aborted;  // if the handler never ran
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
}

// Calls f with the connection's stream, TLS or plain.
template <class F>
error_code with_stream(transport::connection& c, F&& f) {
    if (c.tls) return f(*c.tls);
    return f(*c.plain);
}

std::string where_of(const url_parts& where) {
    const bool v6 = where.host.find(':') != std::string::npos;
    return (v6 ? "[" + where.host + "]" : where.host) + ":" + std::to_string(where.port);
}

// "<stage> <host:port>: <reason>" for an error of `ec`.
error describe(std::string_view stage, const url_parts& where, const error_code& ec,
               const transport_settings& s) {
    std::string reason;
    if (ec == beast::error::timeout)
        reason = "timed out (the call's limit is " + std::to_string(s.timeout.count()) + " ms)";
    else if (ec == bhttp::error::body_limit)
        reason = "the reply body is larger than " + std::to_string(s.max_reply_bytes) + " bytes";
    else if (ec == bhttp::error::end_of_stream)
        reason = "the connection was closed before a reply";
    else
        reason = ec.message();
    return error{0, "", std::string(stage) + " " + where_of(where) + ": " + reason};
}

// False when the peer has closed an idle connection (or sent something unasked): it is
// readable or in error although no request is outstanding.
bool still_open(transport::connection& c) {
    pollfd p{};
    p.fd = c.tcp().socket().native_handle();
    p.events = POLLIN;
    return ::poll(&p, 1, 0) == 0;
}

// The endpoints of `where`: an address as is, a name through the resolver.
result<std::vector<tcp::endpoint>> resolve(transport::connection& c, const url_parts& where) {
    error_code ec;
    const net::ip::address address = net::ip::make_address(where.host, ec);
    if (!ec) return std::vector<tcp::endpoint>{tcp::endpoint(address, where.port)};
    tcp::resolver resolver(c.ioc);
    std::vector<tcp::endpoint> found;
    resolver.async_resolve(where.host, std::to_string(where.port),
                           [&](error_code e, const tcp::resolver::results_type& results) {
                               ec = e;
                               for (const auto& entry : results) found.push_back(entry.endpoint());
                           });
    c.ioc.restart();
    c.ioc.run();
    if (ec || found.empty())
        return fail(0, "", "cannot resolve " + where.host + ": " + ec.message());
    return found;
}

// Names the host for TLS: SNI (names only, as RFC 6066 wants) and the identity the
// certificate must carry (a DNS name or an IP address SAN).
void expect_peer(SSL* ssl, const std::string& host) {
    error_code ec;
    net::ip::make_address(host, ec);
    if (!ec) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
    } else {
        SSL_set_tlsext_host_name(ssl, host.c_str());
        SSL_set1_host(ssl, host.c_str());
    }
}

// What one request/reply exchange on one connection came to.
struct attempt {
    error_code ec;
    std::string_view stage;      // what failed, for the message
    bool reply_started = false;  // any reply byte arrived
    std::optional<http_reply> reply;
    bool keep_alive = false;  // the connection may carry another request
};

attempt exchange(transport::connection& c, const bhttp::request<bhttp::string_body>& message,
                 steady::time_point deadline, std::size_t max_reply_bytes) {
    attempt a;
    c.tcp().expires_at(deadline);
    a.ec = with_stream(c, [&](auto& stream) {
        return run(c.ioc, [&](auto handler) { bhttp::async_write(stream, message, handler); });
    });
    if (a.ec) {
        a.stage = "sending the request to";
        return a;
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(max_reply_bytes);
    if (message.method() == bhttp::verb::head) parser.skip(true);  // a HEAD reply has no body
    a.ec = with_stream(c, [&](auto& stream) {
        return run(c.ioc, [&](auto handler) {
            bhttp::async_read_header(stream, c.buffer, parser, handler);
        });
    });
    if (!a.ec && !parser.is_done()) {
        // Beast 1.74 loses the body_limit error of a Content-Length over the limit when the
        // body follows the header in the same read, so the length is checked here first. (A
        // HEAD reply is done with its header: its Content-Length is the object's size.)
        if (parser.content_length().value_or(0) > max_reply_bytes)
            a.ec = bhttp::error::body_limit;
        else
            a.ec = with_stream(c, [&](auto& stream) {
                return run(c.ioc, [&](auto handler) {
                    bhttp::async_read(stream, c.buffer, parser, handler);
                });
            });
    }
    a.reply_started = parser.got_some() || c.buffer.size() > 0;
    if (a.ec) {
        a.stage = "reading the reply from";
        return a;
    }
    auto& msg = parser.get();
    http_reply reply;
    reply.status = msg.result_int();
    for (const auto& field : msg)
        reply.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    reply.body = std::move(msg.body());
    a.reply = std::move(reply);
    a.keep_alive = msg.keep_alive() && c.buffer.size() == 0;
    return a;
}

// True for a header that would break the request's framing.
bool has_line_break(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// The Host value for `where`: the port only when it is not the scheme's default (as signers
// sign it).
std::string host_of(const url_parts& where) {
    const bool v6 = where.host.find(':') != std::string::npos;
    std::string out = v6 ? "[" + where.host + "]" : where.host;
    if (where.port != (where.scheme == "https" ? 443 : 80))
        out.append(":").append(std::to_string(where.port));
    return out;
}

result<bhttp::request<bhttp::string_body>> build_message(const http_request& request,
                                                         const url_parts& where) {
    if (!sigv4::is_token(request.method)) return fail(0, "", "invalid HTTP method");
    bhttp::request<bhttp::string_body> message;
    message.method_string(request.method);
    message.target(where.target);
    message.version(11);
    for (const sigv4::header& h : request.headers) {
        if (!sigv4::is_token(h.name) || has_line_break(h.value))
            return fail(0, "", "invalid header '" + h.name + "'");
        message.insert(h.name, h.value);
    }
    if (message.find(bhttp::field::host) == message.end())
        message.set(bhttp::field::host, host_of(where));
    message.body() = request.body;
    message.prepare_payload();
    return message;
}

}  // namespace

transport::transport(transport_settings settings)
    : impl_(std::make_unique<impl>(std::move(settings))) {
    if (impl_->settings.timeout.count() <= 0)
        throw std::invalid_argument("s3client: the timeout must be positive");
    // A CA file given is a start-up setting: find a bad one now rather than on the first call.
    if (!impl_->settings.ca_file.empty() && impl_->tls() == nullptr)
        throw std::invalid_argument("s3client: cannot load the CA file " + impl_->settings.ca_file +
                                    ": " + impl_->tls_failure);
}

transport::~transport() = default;

transport_stats transport::stats() const {
    return {impl_->opened.load(), impl_->reused.load(), impl_->retried.load()};
}

namespace {

// An idle connection to `key` that still looks open, or null.
std::unique_ptr<transport::connection> take_idle(transport::impl& s, const std::string& key) {
    for (;;) {
        std::unique_ptr<transport::connection> c;
        {
            std::lock_guard lock(s.mutex);
            for (auto it = s.idle.rbegin(); it != s.idle.rend(); ++it) {
                if ((*it)->key == key) {
                    c = std::move(*it);
                    s.idle.erase(std::next(it).base());
                    break;
                }
            }
        }
        if (!c || still_open(*c)) return c;
        // Closed by the server while idle: dropped here, outside the lock.
    }
}

// Keeps `c` for reuse when there is room; otherwise it is closed.
void give_back(transport::impl& s, std::unique_ptr<transport::connection> c) {
    c->tcp().expires_never();
    std::lock_guard lock(s.mutex);
    if (s.idle.size() < s.settings.max_idle_connections) s.idle.push_back(std::move(c));
}

// A fresh connection to `where`, connected (and TLS set up) before `deadline`.
result<std::unique_ptr<transport::connection>> open(transport::impl& s, const url_parts& where,
                                                    const std::string& key,
                                                    steady::time_point deadline) {
    auto c = std::make_unique<transport::connection>(key);
    auto endpoints = resolve(*c, where);
    if (!endpoints) return core::fail(endpoints.error());
    if (where.scheme == "https") {
        ssl::context* ctx = s.tls();
        if (ctx == nullptr) return fail(0, "", "cannot set up TLS: " + s.tls_failure);
        c->tls.emplace(c->ioc, *ctx);
        expect_peer(c->tls->native_handle(), where.host);
    } else {
        c->plain.emplace(c->ioc);
    }
    c->tcp().expires_at(deadline);
    error_code ec = run(c->ioc, [&](auto handler) { c->tcp().async_connect(*endpoints, handler); });
    if (ec) return core::fail(describe("cannot connect to", where, ec, s.settings));
    c->tcp().socket().set_option(tcp::no_delay(true), ec);
    if (c->tls) {
        ec = run(c->ioc,
                 [&](auto handler) { c->tls->async_handshake(ssl::stream_base::client, handler); });
        if (ec) {
            error e = describe("TLS handshake with", where, ec, s.settings);
            const long verify = SSL_get_verify_result(c->tls->native_handle());
            if (verify != X509_V_OK)
                e.message.append(" (").append(X509_verify_cert_error_string(verify)).append(")");
            return core::fail(std::move(e));
        }
    }
    ++s.opened;
    return c;
}

}  // namespace

result<http_reply> transport::send(const http_request& request) const {
    const auto deadline = steady::now() + impl_->settings.timeout;
    const auto where = parse_url(request.url);
    if (!where) return fail(0, "", "not an http or https URL");
    auto message = build_message(request, *where);
    if (!message) return core::fail(message.error());
    const std::string key = where->scheme + "://" + where_of(*where);
    const std::size_t max_reply = impl_->settings.max_reply_bytes;

    if (auto pooled = take_idle(*impl_, key)) {
        ++impl_->reused;
        attempt a = exchange(*pooled, *message, deadline, max_reply);
        if (a.reply) {
            if (a.keep_alive) give_back(*impl_, std::move(pooled));
            return std::move(*a.reply);
        }
        // Only a connection that failed before any reply byte may have been closed by the
        // server before it read the request; anything else is this call's failure.
        if (a.ec == beast::error::timeout || a.reply_started)
            return core::fail(describe(a.stage, *where, a.ec, impl_->settings));
        ++impl_->retried;
    }
    auto fresh = open(*impl_, *where, key, deadline);
    if (!fresh) return core::fail(fresh.error());
    attempt a = exchange(**fresh, *message, deadline, max_reply);
    if (!a.reply) return core::fail(describe(a.stage, *where, a.ec, impl_->settings));
    if (a.keep_alive) give_back(*impl_, std::move(*fresh));
    return std::move(*a.reply);
}

}  // namespace presign::s3client
