#pragma once
// The embedded S3-compatible store as a running service: the data root opened and recovered,
// the root and config-file principals, the S3 front, the HTTP server and the abandoned-upload
// sweeper. `presign store` runs one alone; `presign serve` runs one beside the API.

#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "auth/verifier.hpp"
#include "config/root_credentials.hpp"
#include "config/store_config.hpp"
#include "core/clock.hpp"
#include "http/server.hpp"
#include "s3/front.hpp"
#include "store/store.hpp"

namespace presign::app {

class upload_sweeper;

/// Everything the store needs to start.
struct embedded_store_settings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 9000;  ///< 0: any free port
    std::string data_dir = "./presign-data";
    std::string region = "us-east-1";
    std::string domain;  ///< virtual-hosted buckets as BUCKET.DOMAIN when set
    unsigned threads = 2;
    /// Open connections at most; more are accepted and closed at once (http::limits).
    std::size_t max_connections = http::limits{}.max_connections;
    unsigned long abandoned_upload_seconds = 24 * 3600;
    /// The transport timeouts; unset ones keep http::limits' defaults.
    config::timeout_settings timeouts;
    config::store_file_settings file;  ///< users, root pair, default CORS rule
    http::request_observer observer;   ///< hears about every request (metrics, access log)
};

/// A running store. Throws usage_error on any start-up failure (unreadable data root, port in
/// use, a config user reusing the root key).
class embedded_store {
  public:
    explicit embedded_store(const embedded_store_settings& settings);
    ~embedded_store();
    embedded_store(const embedded_store&) = delete;
    embedded_store& operator=(const embedded_store&) = delete;

    /// The bound port.
    std::uint16_t port() const noexcept { return server_->port(); }
    /// The root credentials and where they came from (generated: print them once).
    const config::root_credentials& root() const noexcept { return root_; }
    store::store& objects() noexcept { return *objects_; }
    /// Client connections open now.
    std::size_t open_connections() const noexcept { return server_->open_connections(); }
    /// Begins a graceful stop (http::server::begin_drain): no new connections, requests in
    /// flight go on.
    void begin_drain() { server_->begin_drain(); }
    /// Waits until every connection has ended, at most until `deadline`.
    bool wait_drained(std::chrono::steady_clock::time_point deadline) {
        return server_->wait_drained(deadline);
    }
    /// Stops serving at once (idempotent); the destructor does it too.
    void stop();

  private:
    core::system_clock clock_;
    config::root_credentials root_;
    std::unique_ptr<store::store> objects_;
    std::unique_ptr<auth::verifier> verifier_;
    std::unique_ptr<upload_sweeper> sweeper_;
    std::unique_ptr<http::server> server_;
};

/// "host:port" or "[v6]:port" of the flag `flag`. Throws usage_error.
std::pair<std::string, std::uint16_t> parse_listen(const std::string& text, const char* flag);

/// Blocks SIGINT and SIGTERM in this thread and in the threads it starts afterwards, so that
/// only wait_for_stop_signal() sees them. Call before starting servers.
void block_stop_signals();

/// Waits for SIGINT or SIGTERM.
void wait_for_stop_signal();

/// Whether a blocked stop signal is pending, taking it if so (does not wait).
bool take_stop_signal();

/// "http://host:port", with IPv6 hosts bracketed.
std::string http_url(const std::string& host, std::uint16_t port);

}  // namespace presign::app
