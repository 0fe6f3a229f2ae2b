#pragma once
// The HTTP/1.1 server: a listener, and a session per connection that reads the head first,
// asks the handler, streams the body in bounded chunks and writes the response.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/handler.hpp"
#include "http/request_record.hpp"

namespace presign::http {

/// A running server. Threads are started by the constructor and joined by stop() or the
/// destructor.
class server {
  public:
    /// Listens on `address:port` (port 0: any free port) with `threads` I/O threads. `observer`
    /// (optional) hears about every request once it is answered (request_record.hpp).
    /// Throws std::runtime_error when the address cannot be bound (a start-up failure).
    server(std::shared_ptr<handler> front, const std::string& address, std::uint16_t port,
           limits limits, unsigned threads = 1, request_observer observer = {});
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// The bound port (useful with port 0).
    std::uint16_t port() const noexcept;
    /// Client connections open now.
    std::size_t open_connections() const noexcept;

    /// Begins a graceful stop: the listening socket closes (new connections are refused),
    /// connections waiting for a next request close, and requests in flight go on; each
    /// response from now on says `Connection: close` and ends its connection. Returns once the
    /// listening socket is closed, without waiting for the connections; not to be called from
    /// the server's own threads (a front, an observer). Idempotent.
    void begin_drain();
    /// Waits until every connection has ended, at most until `deadline`. True when they have.
    bool wait_drained(std::chrono::steady_clock::time_point deadline);
    /// begin_drain(), wait_drained(now + timeout), then stop(): requests still running at the
    /// deadline are cut off. True when none had to be.
    bool drain(std::chrono::steady_clock::duration timeout);
    /// Stops at once: stops accepting, drops connections (requests in flight included) and
    /// joins the threads. Idempotent.
    void stop();

    struct impl;  ///< implementation detail (declared here so server.cpp's helpers can name it)

  private:
    std::unique_ptr<impl> impl_;
};

}  // namespace presign::http
