#include "app/operations.hpp"

#include <algorithm>
#include <stdexcept>

#include "api/routes.hpp"
#include "app/cli_common.hpp"
#include "app/embedded_store.hpp"
#include "core/request_id.hpp"
#include "ops/access_log.hpp"

namespace presign::app {

namespace {
// GET /metrics in front of another handler (or alone).
class metrics_endpoint final : public http::handler {
  public:
    metrics_endpoint(const ops::metrics& registry, std::shared_ptr<http::handler> inner)
        : registry_(registry), inner_(std::move(inner)) {}

    std::variant<http::response, std::unique_ptr<http::exchange>> on_request(
        const http::request_head& head) override {
        const bool ours = ops::path_of(head.target) == "/metrics";
        const bool readable = head.method == "GET" || head.method == "HEAD";
        if (inner_ && !(ours && readable)) return inner_->on_request(head);
        http::response res;
        res.set("X-Request-Id", core::new_request_id(false));
        res.set("Cache-Control", "no-store");
        if (!ours) {
            res.status = 404;
            res.set("Content-Type", "text/plain; charset=utf-8");
            res.body = "not found: only /metrics is served here\n";
        } else if (!readable) {
            res.status = 405;
            res.set("Allow", "GET, HEAD");
            res.set("Content-Type", "text/plain; charset=utf-8");
            res.body = "use GET\n";
        } else {
            res.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            res.body = registry_.render();
            if (head.method == "HEAD") res.set("Content-Length", std::to_string(res.body.size()));
        }
        return res;
    }

    bool bounded(const http::request_head& head) const override {
        return !inner_ || inner_->bounded(head);  // the metrics text is rendered from memory
    }

    http::response on_transport_error(http::transport_error error) override {
        if (inner_) return inner_->on_transport_error(error);
        http::response res;
        res.status = error == http::transport_error::internal_error ? 500 : 400;
        res.set("Content-Type", "text/plain; charset=utf-8");
        res.body = "bad request\n";
        return res;
    }

  private:
    const ops::metrics& registry_;
    std::shared_ptr<http::handler> inner_;
};
}  // namespace

operations::operations(const std::string& access_log) {
    if (access_log != "off") {
        try {
            log_ = ops::line_writer::open(access_log, &metrics_.access_log_dropped());
        } catch (const std::runtime_error& e) {
            throw usage_error(std::string("access_log: ") + e.what());
        }
    }
    ops::install(&metrics_);
}

operations::~operations() {
    ops::install(nullptr);
}

http::request_observer operations::observer(ops::server_id server) {
    return [this, server](const http::request_record& r) { observe(server, r); };
}

void operations::observe(ops::server_id server, const http::request_record& r) {
    const std::string_view route = server == ops::server_id::api
                                       ? api::route_label(ops::path_of(r.target))
                                       : (r.operation.empty() ? "other" : r.operation);
    metrics_.record_request(server, route, r.status, r.duration);
    if (server == ops::server_id::store) metrics_.add_store_bytes(r.bytes_in, r.bytes_out);
    if (!log_) return;
    ops::access_entry e;
    e.time = std::chrono::system_clock::now();
    e.server = ops::name(server);
    e.request_id = r.request_id;
    e.remote = r.remote_address;
    e.method = r.method;
    e.route = route;
    e.target = r.target;
    e.status = r.status;
    e.duration = r.duration;
    e.bytes_in = r.bytes_in;
    e.bytes_out = r.bytes_out;
    e.caller = r.identity;
    thread_local std::string line;  // warm after the first request: no allocation
    line.clear();
    ops::append_access_line(line, e);
    log_->write(line);
}

std::shared_ptr<http::handler> operations::with_metrics_endpoint(
    std::shared_ptr<http::handler> inner) {
    return std::make_shared<metrics_endpoint>(metrics_, std::move(inner));
}

std::unique_ptr<http::server> serve_metrics(operations& monitor,
                                            const std::pair<std::string, std::uint16_t>& at,
                                            const std::string& setting) {
    try {
        return std::make_unique<http::server>(monitor.with_metrics_endpoint(nullptr), at.first,
                                              at.second, http::limits{}, 1);
    } catch (const std::exception& e) {
        throw usage_error("cannot serve metrics on " + setting + ": " + e.what());
    }
}

bool wait_for_drain(const std::function<bool(std::chrono::steady_clock::time_point)>& drained,
                    std::chrono::seconds timeout) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    for (;;) {
        const auto step = std::min(deadline, clock::now() + std::chrono::milliseconds(100));
        if (drained(step)) return true;
        if (clock::now() >= deadline) return false;
        if (take_stop_signal()) return false;  // asked again: stop now
    }
}

}  // namespace presign::app
