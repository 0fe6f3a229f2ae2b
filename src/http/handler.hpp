#pragma once
// What a front implements to serve HTTP: decide on the head, then take the body in chunks.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <variant>

#include "http/message.hpp"

namespace presign::http {

/// One request whose body the front has agreed to read. Methods run in order, one at a time,
/// on the server's worker threads (not necessarily the same one): on_body for each chunk
/// (bounded size: at most limits::body_chunk_bytes, full-sized while the body arrives faster
/// than on_body takes it), then finish. The transport reads the next chunk while on_body runs.
class exchange {
  public:
    virtual ~exchange() = default;
    /// Takes the next body chunk. Returning a response stops reading: it is sent and the
    /// connection is closed (the rest of the body is never read).
    virtual std::optional<response> on_body(std::span<const char> chunk) = 0;
    /// The whole body has arrived; returns the response.
    virtual response finish() = 0;
};

/// Why the transport refused a request before any front saw it.
enum class transport_error {
    header_too_large,  ///< request line + headers over limits::max_header_bytes
    body_too_large,    ///< body over limits::max_body_bytes
    bad_request,       ///< unparsable request
    /// The body stalled past limits::body_idle_timeout: the answer is sent (best effort, to a
    /// client that may not be reading) and the connection closed; the exchange was dropped.
    request_timeout,
    internal_error,  ///< the front threw (a bug): answered 500, the connection closed
};

/// A front: the S3 protocol or the presign API.
class handler {
  public:
    virtual ~handler() = default;
    /// Called once the head is read, on a worker thread (it may block on disk I/O), except for
    /// GET and HEAD requests without a body, which run on the connection's I/O thread when
    /// limits::inline_get_and_head is set: for those a front must do bounded work only (reads
    /// of a few KiB, no fsync, no waiting on locks held across disk I/O). Returns either a
    /// response (any announced body is not read, and the connection is closed after the
    /// response) or an exchange for the body.
    virtual std::variant<response, std::unique_ptr<exchange>> on_request(
        const request_head& head) = 0;
    /// The response for a request the transport refused (in the front's error format).
    virtual response on_transport_error(transport_error error) = 0;
    /// Whether the front's work for `head` is bounded CPU work only: no disk, no network, no
    /// waiting on locks held across either (the API's JSON routes that only sign). Such a
    /// request with a body of at most limits::inline_body_bytes is served entirely on the
    /// connection's I/O thread: the body read whole, then on_request, on_body and finish there,
    /// saving the pool round trips that cost more than signing does. Called on the I/O thread;
    /// must itself be cheap. Default: no.
    virtual bool bounded(const request_head& head) const {
        (void)head;
        return false;
    }
};

/// Every limit of the transport, explicit.
struct limits {
    std::size_t max_header_bytes = 16 * 1024;                  ///< request line + headers
    std::uint64_t max_body_bytes = 5ULL * 1024 * 1024 * 1024;  ///< 5 GiB, S3's single PUT limit
    std::size_t body_chunk_bytes = 256 * 1024;                 ///< the largest chunk on_body sees
    std::chrono::seconds header_timeout{30};  ///< to receive a whole head (slowloris bound)
    /// Longest wait for the next body bytes, or for the client to take more response bytes.
    std::chrono::seconds body_idle_timeout{60};
    std::chrono::seconds keep_alive_timeout{60};  ///< idle time between requests
    std::size_t max_connections = 10000;
    /// Threads that run the front (which may block on disk I/O and fsync), apart from the
    /// I/O threads that only move bytes. Most of their time is spent waiting for fsync, and
    /// fsyncs in flight together share the file system's journal commits: with 64 clients
    /// posting 1 MiB forms, 4 threads gave 95 uploads/s, 16 gave 281, 32 no more (2 CPUs).
    unsigned worker_threads = 16;
    /// Answer GET and HEAD requests without a body on the I/O thread (see handler::on_request):
    /// a small object is served in less time than the two thread switches of a pool round trip.
    bool inline_get_and_head = true;
    /// The largest body of a request the front calls bounded (handler::bounded) that is still
    /// served on the I/O thread; 0: never. Larger or chunked bodies go through the pool.
    std::size_t inline_body_bytes = 16 * 1024;
};

}  // namespace presign::http
