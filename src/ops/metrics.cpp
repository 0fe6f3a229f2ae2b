#include "ops/metrics.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <vector>

namespace presign::ops {

namespace {
constexpr std::size_t k_routes = 64;   // per server
constexpr std::size_t k_reasons = 64;  // per server

struct route_cell {
    std::array<counter, status_index::k_size> by_status;
    duration_histogram latency;
};

std::atomic<metrics*> g_installed{nullptr};

// `{server="api",route="/x"` without the closing brace: more labels may follow.
void open_labels(std::string& out, std::string_view metric, server_id server,
                 std::string_view label, std::string_view value) {
    out += metric;
    out += "{server=\"";
    out += name(server);
    out += "\",";
    out += label;
    out += "=\"";
    append_label_value(out, value);
    out += '"';
}
}  // namespace

struct metrics::per_server {
    label_table<route_cell, k_routes> routes;
    label_table<counter, k_reasons> rejections;
};

std::string_view name(server_id s) noexcept {
    return s == server_id::api ? "api" : "store";
}

std::string_view name(url_kind k) noexcept {
    switch (k) {
        case url_kind::upload_post: return "upload_post";
        case url_kind::upload_put: return "upload_put";
        case url_kind::download: return "download";
        case url_kind::part: return "part";
        case url_kind::other: break;
    }
    return "other";
}

metrics::metrics()
    : servers_{std::make_unique<per_server>(), std::make_unique<per_server>()},
      start_time_(std::chrono::system_clock::now()) {}

metrics::~metrics() {
    metrics* self = this;
    g_installed.compare_exchange_strong(self, nullptr);
}

void metrics::record_request(server_id server, std::string_view route, unsigned status,
                             std::chrono::nanoseconds duration) noexcept {
    route_cell& cell = servers_[static_cast<int>(server)]->routes.at(route);
    cell.by_status[status_index::of(status)].add();
    cell.latency.observe(duration);
}

void metrics::count_url(url_kind kind) noexcept {
    urls_[static_cast<int>(kind)].add();
}

void metrics::count_rejection(server_id server, std::string_view reason) noexcept {
    servers_[static_cast<int>(server)]->rejections.at(reason).add();
}

void metrics::add_store_bytes(std::uint64_t received, std::uint64_t sent) noexcept {
    if (received) store_received_.add(received);
    if (sent) store_sent_.add(sent);
}

void metrics::set_connection_gauge(server_id server, std::function<std::size_t()> open) {
    std::lock_guard lock(gauges_mutex_);
    gauges_[static_cast<int>(server)] = std::move(open);
}

void metrics::render_requests(std::string& out) const {
    append_family_head(out, "presign_http_requests_total", "counter",
                       "HTTP requests answered, by listener, route and status (0: the connection "
                       "was lost before a response).");
    std::vector<std::tuple<int, std::string_view, std::size_t, std::uint64_t>> rows;
    for (const int s : {0, 1})
        servers_[s]->routes.for_each([&](std::string_view route, const route_cell& cell) {
            for (std::size_t i = 0; i < status_index::k_size; ++i)
                if (const std::uint64_t n = cell.by_status[i].value(); n > 0)
                    rows.emplace_back(s, route, i, n);
        });
    std::sort(rows.begin(), rows.end());
    for (const auto& [s, route, status, n] : rows) {
        open_labels(out, "presign_http_requests_total", static_cast<server_id>(s), "route", route);
        out += ",status=\"";
        out += status_index::label(status);
        out += "\"} ";
        append_value(out, n);
        out += '\n';
    }
}

void metrics::render_durations(std::string& out) const {
    constexpr std::string_view family = "presign_http_request_duration_seconds";
    append_family_head(out, family, "histogram",
                       "Time from a request's head read to its response written, in seconds.");
    std::vector<std::tuple<int, std::string_view, duration_histogram::reading>> rows;
    for (const int s : {0, 1})
        servers_[s]->routes.for_each([&](std::string_view route, const route_cell& cell) {
            auto r = cell.latency.read();
            if (r.count > 0) rows.emplace_back(s, route, r);
        });
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });
    const std::string bucket = std::string(family) + "_bucket";
    const std::string sum = std::string(family) + "_sum";
    const std::string count = std::string(family) + "_count";
    for (const auto& [s, route, r] : rows) {
        const auto server = static_cast<server_id>(s);
        for (std::size_t i = 0; i < r.cumulative.size(); ++i) {
            open_labels(out, bucket, server, "route", route);
            out += ",le=\"";
            append_value(out, i < k_duration_buckets.size()
                                  ? k_duration_buckets[i]
                                  : std::numeric_limits<double>::infinity());
            out += "\"} ";
            append_value(out, r.cumulative[i]);
            out += '\n';
        }
        open_labels(out, sum, server, "route", route);
        out += "} ";
        append_value(out, r.sum_seconds);
        out += '\n';
        open_labels(out, count, server, "route", route);
        out += "} ";
        append_value(out, r.count);
        out += '\n';
    }
}

void metrics::render_rejections(std::string& out) const {
    append_family_head(out, "presign_rejections_total", "counter",
                       "Requests refused with a client error, by listener and error code.");
    std::vector<std::tuple<int, std::string_view, std::uint64_t>> rows;
    for (const int s : {0, 1})
        servers_[s]->rejections.for_each([&](std::string_view reason, const counter& c) {
            if (const std::uint64_t n = c.value(); n > 0) rows.emplace_back(s, reason, n);
        });
    std::sort(rows.begin(), rows.end());
    for (const auto& [s, reason, n] : rows) {
        open_labels(out, "presign_rejections_total", static_cast<server_id>(s), "reason", reason);
        out += "} ";
        append_value(out, n);
        out += '\n';
    }
}

std::string metrics::render() const {
    std::string out;
    out.reserve(8192);
    render_requests(out);
    render_durations(out);
    append_family_head(out, "presign_urls_issued_total", "counter",
                       "Presigned URLs and forms handed out, by kind.");
    for (int k = 0; k < 5; ++k) {
        out += "presign_urls_issued_total{kind=\"";
        out += name(static_cast<url_kind>(k));
        out += "\"} ";
        append_value(out, urls_[k].value());
        out += '\n';
    }
    render_rejections(out);
    const auto plain = [&out](std::string_view metric, std::string_view type, std::string_view help,
                              auto value) {
        append_family_head(out, metric, type, help);
        out += metric;
        out += ' ';
        append_value(out, value);
        out += '\n';
    };
    plain("presign_store_bytes_received_total", "counter", "Request body bytes the store received.",
          store_received_.value());
    plain("presign_store_bytes_sent_total", "counter", "Response body bytes the store sent.",
          store_sent_.value());
    append_family_head(out, "presign_open_connections", "gauge",
                       "Client connections open now, by listener.");
    {
        std::lock_guard lock(gauges_mutex_);
        for (const int s : {0, 1}) {
            if (!gauges_[s]) continue;
            out += "presign_open_connections{server=\"";
            out += name(static_cast<server_id>(s));
            out += "\"} ";
            append_value(out, static_cast<std::uint64_t>(gauges_[s]()));
            out += '\n';
        }
    }
    plain("presign_access_log_dropped_total", "counter",
          "Access log lines dropped because the log output could not keep up.",
          access_log_dropped_.value());
    const auto started = std::chrono::duration<double>(start_time_.time_since_epoch()).count();
    plain("presign_process_start_time_seconds", "gauge",
          "Start time of the process since the Unix epoch, in seconds.", started);
    return out;
}

void install(metrics* m) noexcept {
    g_installed.store(m, std::memory_order_release);
}

metrics* installed() noexcept {
    return g_installed.load(std::memory_order_acquire);
}

void count_url(url_kind kind) noexcept {
    if (metrics* m = installed()) m->count_url(kind);
}

void count_rejection(server_id server, std::string_view reason) noexcept {
    if (metrics* m = installed()) m->count_rejection(server, reason);
}

}  // namespace presign::ops
