#pragma once
// The s3client's HTTP/1.1 transport: blocking calls over plain TCP or TLS, each bounded by a
// deadline, over a small pool of keep-alive connections shared by every thread. Beast and Asio
// stay inside transport.cpp; this header names neither.
//
// One call holds one connection from the pool (or a fresh one) until its reply has been read
// whole; the connection goes back to the pool only when the reply allows keep-alive. A pooled
// connection the server has closed in the meantime is dropped before use when that is already
// visible, and otherwise retried once on a fresh connection when it fails before any reply
// byte arrives (the server never saw the request, so sending it again is safe).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3client/error.hpp"
#include "sigv4/canonical.hpp"

namespace presign::s3client {

/// Where a URL points: `scheme://host[:port]/target`.
struct url_parts {
    std::string scheme;      ///< "http" or "https"
    std::string host;        ///< a name or an address, IPv6 without brackets
    std::uint16_t port = 0;  ///< the URL's port, or the scheme's default
    std::string target;      ///< path and query as sent in the request line ("/" at least)
};

/// Splits an absolute http(s) URL. Nullopt for another scheme, user info, an empty host, a bad
/// port, or a fragment.
std::optional<url_parts> parse_url(std::string_view url);

/// One request as the transport sends it.
struct http_request {
    std::string method;  ///< "GET", "PUT", ...
    std::string url;     ///< absolute: `http(s)://authority/path?query`
    /// Sent as given, without Content-Length (set from the body); a Host header is added from
    /// the URL when none is given (the port only when not the scheme's default).
    std::vector<sigv4::header> headers;
    std::string body;  ///< Content-Length is set from its size
};

/// One reply, its body read whole.
struct http_reply {
    unsigned status = 0;
    std::vector<sigv4::header> headers;
    std::string body;

    /// The first header named `name` (case-insensitive), or "".
    std::string_view header(std::string_view name) const;
};

/// The transport's limits.
struct transport_settings {
    std::chrono::milliseconds timeout{10000};       ///< per call: connect + send + whole reply
    std::size_t max_idle_connections = 8;           ///< kept open for reuse; 0: none
    std::size_t max_reply_bytes = 8 * 1024 * 1024;  ///< a larger reply body is an error
    /// PEM file of the certificate authorities to trust for https; empty: the system's.
    std::string ca_file;
};

/// Counters for tests and diagnostics.
struct transport_stats {
    std::size_t connections_opened = 0;  ///< fresh connections (TCP connect, TLS handshake)
    std::size_t connections_reused = 0;  ///< calls that took a pooled connection
    std::size_t stale_retries = 0;       ///< pooled connections that failed and were retried
};

/// A blocking HTTP/1.1 client with a connection pool. Thread-safe: send() may run on several
/// threads at once, each call on its own connection.
class transport {
  public:
    explicit transport(transport_settings settings);
    ~transport();
    transport(const transport&) = delete;
    transport& operator=(const transport&) = delete;

    /// Sends `request` and reads the whole reply, within settings.timeout from the call. Any
    /// HTTP status is a reply; the error (status 0) is for a bad URL, a failed name lookup,
    /// connect or TLS handshake (certificates are verified, SNI is sent), a timeout, a
    /// malformed reply or one whose body exceeds max_reply_bytes. Messages name the stage and
    /// the host, never the request's headers. Name lookups of host names are bounded by the
    /// system resolver's own timeouts, which cannot be cancelled; addresses need none.
    result<http_reply> send(const http_request& request) const;

    /// The counters so far.
    transport_stats stats() const;

    struct connection;  ///< one open connection (transport.cpp)
    struct impl;        ///< the pool and the TLS context (transport.cpp)

  private:
    std::unique_ptr<impl> impl_;
};

}  // namespace presign::s3client
