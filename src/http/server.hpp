#pragma once
// The HTTP/1.1 server: a listener, and a session per connection that reads the head first,
// asks the handler, streams the body in bounded chunks and writes the response.

#include <cstdint>
#include <memory>
#include <string>

#include "http/handler.hpp"

namespace presign::http {

/// A running server. Threads are started by start() and joined by stop() or the destructor.
class server {
  public:
    /// Listens on `address:port` (port 0: any free port) with `threads` I/O threads.
    /// Throws std::runtime_error when the address cannot be bound (a start-up failure).
    server(std::shared_ptr<handler> front, const std::string& address, std::uint16_t port,
           limits limits, unsigned threads = 1);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// The bound port (useful with port 0).
    std::uint16_t port() const noexcept;
    /// Stops accepting, closes connections and joins the threads. Idempotent.
    void stop();

    struct impl;  ///< implementation detail (declared here so server.cpp's helpers can name it)

  private:
    std::unique_ptr<impl> impl_;
};

}  // namespace presign::http
