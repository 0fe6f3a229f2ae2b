#pragma once
// presign's metrics, rendered for Prometheus (text exposition format 0.0.4):
//
//   presign_http_requests_total{server,route,status}         counter
//   presign_http_request_duration_seconds{server,route}      histogram, 50 µs .. 5 s
//   presign_urls_issued_total{kind}                          counter
//   presign_rejections_total{server,reason}                  counter (4xx answers by error code)
//   presign_store_bytes_received_total                       counter (request bodies)
//   presign_store_bytes_sent_total                           counter (response bodies)
//   presign_open_connections{server}                         gauge
//   presign_access_log_dropped_total                         counter
//   presign_process_start_time_seconds                       gauge
//
// `server` is the listener ("api" or "store"); `route` a label from a small fixed set (an API
// route, an S3 operation name, or "other"), never a raw path. Recording is lock-free and does
// not allocate. The fronts record URLs and rejections through the hooks at the end of this file,
// which write into the registry the process installed (none: they do nothing).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "ops/metric_types.hpp"

namespace presign::ops {

/// The listener a request came to.
enum class server_id { api, store };
/// "api" or "store".
std::string_view name(server_id s) noexcept;

/// The kinds of URL the API hands out.
enum class url_kind {
    upload_post,  ///< a presigned POST form
    upload_put,   ///< a presigned PUT URL
    download,     ///< a presigned GET URL
    part,         ///< a presigned UploadPart URL of a multipart upload
    other,        ///< any other presigned request
};
/// "upload_post", "upload_put", ...
std::string_view name(url_kind k) noexcept;

/// The registry. Thread-safe; recording never blocks.
class metrics {
  public:
    metrics();
    ~metrics();
    metrics(const metrics&) = delete;
    metrics& operator=(const metrics&) = delete;

    /// Counts one request of `server` answered with `status` (0: the connection was lost before
    /// a response) after `duration`. `route` should come from a small fixed set; the first 64
    /// distinct values each get their series, later ones count as "other".
    void record_request(server_id server, std::string_view route, unsigned status,
                        std::chrono::nanoseconds duration) noexcept;
    /// Counts one URL or form handed out.
    void count_url(url_kind kind) noexcept;
    /// Counts one refused request of `server`; `reason` is the error code (bounded as routes).
    void count_rejection(server_id server, std::string_view reason) noexcept;
    /// Adds body bytes the store received and sent.
    void add_store_bytes(std::uint64_t received, std::uint64_t sent) noexcept;
    /// Access log lines dropped because the log could not keep up (line_writer counts them).
    counter& access_log_dropped() noexcept { return access_log_dropped_; }

    /// Reports `open()` as the open connections of `server` at every render (an empty function
    /// removes it). May be called while renders run.
    void set_connection_gauge(server_id server, std::function<std::size_t()> open);
    /// The process start time reported (default: when the registry was made).
    void set_start_time(std::chrono::system_clock::time_point t) noexcept { start_time_ = t; }

    /// The whole registry in the text exposition format, series in a stable order (by server,
    /// route, status). Every family is present, with zero values where nothing was counted.
    std::string render() const;

  private:
    struct per_server;
    void render_requests(std::string& out) const;
    void render_durations(std::string& out) const;
    void render_rejections(std::string& out) const;

    std::unique_ptr<per_server> servers_[2];
    counter urls_[5];
    counter store_received_, store_sent_, access_log_dropped_;
    std::chrono::system_clock::time_point start_time_;
    mutable std::mutex gauges_mutex_;
    std::function<std::size_t()> gauges_[2];
};

/// Makes `m` the registry the hooks below record into (nullptr: none). `m` must outlive every
/// hook call made while it is installed.
void install(metrics* m) noexcept;
/// The installed registry, or nullptr.
metrics* installed() noexcept;

/// Hook for the fronts: counts a URL or form handed out (no-op without a registry).
void count_url(url_kind kind) noexcept;
/// Hook for the fronts: counts a refused request by its error code, e.g. "unauthorized" or
/// "SignatureDoesNotMatch" (no-op without a registry).
void count_rejection(server_id server, std::string_view reason) noexcept;

}  // namespace presign::ops
