#pragma once
// What `presign serve` and `presign store` report about themselves: the metrics registry (the
// fronts' hooks record into it), one access log line per request, and GET /metrics; plus the
// graceful stop on SIGINT/SIGTERM.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/handler.hpp"
#include "http/request_record.hpp"
#include "http/server.hpp"
#include "ops/line_writer.hpp"
#include "ops/metrics.hpp"

namespace presign::app {

/// The metrics and access log of one process. Installs its registry for the fronts' hooks
/// (ops::count_url, ops::count_rejection) while it lives; create it before the servers and let
/// it outlive them.
class operations {
  public:
    /// `access_log`: "stderr", "off", or a file to append to. Throws usage_error when the file
    /// cannot be opened.
    explicit operations(const std::string& access_log);
    ~operations();
    operations(const operations&) = delete;
    operations& operator=(const operations&) = delete;

    ops::metrics& metrics() noexcept { return metrics_; }

    /// The request observer of a listener: counts each request (by route: the API's route label
    /// for the API, the S3 operation for the store), the store's body bytes, and writes the
    /// access log line.
    http::request_observer observer(ops::server_id server);

    /// A handler answering GET and HEAD /metrics with the registry (text format 0.0.4) and
    /// passing every other request to `inner`; without `inner`, everything else is 404.
    std::shared_ptr<http::handler> with_metrics_endpoint(std::shared_ptr<http::handler> inner);

  private:
    void observe(ops::server_id server, const http::request_record& r);

    ops::metrics metrics_;
    std::unique_ptr<ops::line_writer> log_;
};

/// GET /metrics of `monitor` on a listener of its own at `at` (host, port); `setting` names it in
/// messages. Throws usage_error when the address cannot be bound.
std::unique_ptr<http::server> serve_metrics(operations& monitor,
                                            const std::pair<std::string, std::uint16_t>& at,
                                            const std::string& setting);

/// After a stop signal, waits until `drained(until)` (which waits at most until `until`) says
/// every server has drained, at most `timeout`; a second SIGINT or SIGTERM cuts the wait short.
/// True when everything drained.
bool wait_for_drain(const std::function<bool(std::chrono::steady_clock::time_point)>& drained,
                    std::chrono::seconds timeout);

}  // namespace presign::app
