// The metrics registry: the exact text of a small registry, histogram bucket placement, label
// escaping, bounded label sets, and the hooks the fronts call.

#include "ops/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace presign::ops {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// The lines of `text` that start with `prefix`.
std::string lines_starting(const std::string& text, std::string_view prefix) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        const std::string_view line(text.data() + at, end - at);
        if (line.starts_with(prefix)) {
            out += line;
            out += '\n';
        }
        at = end + 1;
    }
    return out;
}

TEST(metrics, renders_a_small_registry_exactly) {
    metrics m;
    m.set_start_time(std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)));
    m.record_request(server_id::api, "/get-upload-url", 200, microseconds(120));
    m.record_request(server_id::api, "/get-upload-url", 200, milliseconds(3));
    m.record_request(server_id::api, "/get-upload-url", 401, microseconds(40));
    m.record_request(server_id::store, "PutObject", 200, milliseconds(7000));
    m.count_url(url_kind::upload_post);
    m.count_url(url_kind::upload_post);
    m.count_url(url_kind::download);
    m.count_rejection(server_id::api, "unauthorized");
    m.count_rejection(server_id::store, "SignatureDoesNotMatch");
    m.add_store_bytes(1000, 0);
    m.add_store_bytes(24, 5);
    m.set_connection_gauge(server_id::api, [] { return std::size_t{3}; });

    const std::string expected =
        R"(# HELP presign_http_requests_total HTTP requests answered, by listener, route and status (0: the connection was lost before a response).
# TYPE presign_http_requests_total counter
presign_http_requests_total{server="api",route="/get-upload-url",status="200"} 2
presign_http_requests_total{server="api",route="/get-upload-url",status="401"} 1
presign_http_requests_total{server="store",route="PutObject",status="200"} 1
# HELP presign_http_request_duration_seconds Time from a request's head read to its response written, in seconds.
# TYPE presign_http_request_duration_seconds histogram
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.00005"} 1
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.0001"} 1
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.00025"} 2
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.0005"} 2
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.001"} 2
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.0025"} 2
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.005"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.01"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.025"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.05"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.1"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.25"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="0.5"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="1"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="2.5"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="5"} 3
presign_http_request_duration_seconds_bucket{server="api",route="/get-upload-url",le="+Inf"} 3
presign_http_request_duration_seconds_sum{server="api",route="/get-upload-url"} 0.00316
presign_http_request_duration_seconds_count{server="api",route="/get-upload-url"} 3
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.00005"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.0001"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.00025"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.0005"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.001"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.0025"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.005"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.01"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.025"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.05"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.1"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.25"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="0.5"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="1"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="2.5"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="5"} 0
presign_http_request_duration_seconds_bucket{server="store",route="PutObject",le="+Inf"} 1
presign_http_request_duration_seconds_sum{server="store",route="PutObject"} 7
presign_http_request_duration_seconds_count{server="store",route="PutObject"} 1
# HELP presign_urls_issued_total Presigned URLs and forms handed out, by kind.
# TYPE presign_urls_issued_total counter
presign_urls_issued_total{kind="upload_post"} 2
presign_urls_issued_total{kind="upload_put"} 0
presign_urls_issued_total{kind="download"} 1
presign_urls_issued_total{kind="part"} 0
presign_urls_issued_total{kind="other"} 0
# HELP presign_rejections_total Requests refused with a client error, by listener and error code.
# TYPE presign_rejections_total counter
presign_rejections_total{server="api",reason="unauthorized"} 1
presign_rejections_total{server="store",reason="SignatureDoesNotMatch"} 1
# HELP presign_store_bytes_received_total Request body bytes the store received.
# TYPE presign_store_bytes_received_total counter
presign_store_bytes_received_total 1024
# HELP presign_store_bytes_sent_total Response body bytes the store sent.
# TYPE presign_store_bytes_sent_total counter
presign_store_bytes_sent_total 5
# HELP presign_open_connections Client connections open now, by listener.
# TYPE presign_open_connections gauge
presign_open_connections{server="api"} 3
# HELP presign_access_log_dropped_total Access log lines dropped because the log output could not keep up.
# TYPE presign_access_log_dropped_total counter
presign_access_log_dropped_total 0
# HELP presign_process_start_time_seconds Start time of the process since the Unix epoch, in seconds.
# TYPE presign_process_start_time_seconds gauge
presign_process_start_time_seconds 1700000000
)";
    EXPECT_EQ(m.render(), expected);
}

TEST(metrics, places_durations_in_the_first_bucket_they_do_not_exceed) {
    duration_histogram h;
    h.observe(nanoseconds(0));       // le 0.00005
    h.observe(microseconds(50));     // exactly on a bound: that bucket
    h.observe(nanoseconds(50'001));  // just above: the next
    h.observe(milliseconds(5000));   // the last finite bound
    h.observe(milliseconds(5001));   // +Inf
    h.observe(nanoseconds(-5));      // a clock step back counts as 0
    const auto r = h.read();
    EXPECT_EQ(r.cumulative[0], 3u);   // 0, 50 µs, -5 ns
    EXPECT_EQ(r.cumulative[1], 4u);   // + 50.001 µs
    EXPECT_EQ(r.cumulative[14], 4u);  // le 2.5
    EXPECT_EQ(r.cumulative[15], 5u);  // le 5
    EXPECT_EQ(r.cumulative[16], 6u);  // +Inf
    EXPECT_EQ(r.count, 6u);
    EXPECT_NEAR(r.sum_seconds, 10.001100001, 1e-9);
}

TEST(metrics, escapes_label_values) {
    std::string out;
    append_label_value(out, "a\\b\"c\nd");
    EXPECT_EQ(out, R"(a\\b\"c\nd)");
    metrics m;
    m.count_rejection(server_id::api, "we\"ird\\reason\n");
    EXPECT_NE(m.render().find(R"(reason="we\"ird\\reason\n"} 1)"), std::string::npos);
}

TEST(metrics, formats_values_as_the_text_format_reads_them) {
    const auto text = [](double v) {
        std::string out;
        append_value(out, v);
        return out;
    };
    EXPECT_EQ(text(0.0), "0");
    EXPECT_EQ(text(0.00005), "0.00005");
    EXPECT_EQ(text(2.5), "2.5");
    EXPECT_EQ(text(1e20), "1e+20");
    EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "+Inf");
}

TEST(metrics, counts_statuses_by_code_with_lost_connections_as_zero) {
    metrics m;
    m.record_request(server_id::store, "GetObject", 0, microseconds(1));
    m.record_request(server_id::store, "GetObject", 206, microseconds(1));
    m.record_request(server_id::store, "GetObject", 299, microseconds(1));  // unregistered
    EXPECT_EQ(
        lines_starting(m.render(), "presign_http_requests_total{"),
        "presign_http_requests_total{server=\"store\",route=\"GetObject\",status=\"0\"} 1\n"
        "presign_http_requests_total{server=\"store\",route=\"GetObject\",status=\"206\"} 1\n"
        "presign_http_requests_total{server=\"store\",route=\"GetObject\",status=\"other\"} 1\n");
    EXPECT_EQ(status_index::label(status_index::of(511)), "511");
    EXPECT_EQ(status_index::label(status_index::of(70000)), "other");
}

TEST(metrics, a_label_set_never_grows_past_its_bound) {
    metrics m;
    for (int i = 0; i < 1000; ++i)
        m.record_request(server_id::api, "/route-" + std::to_string(i), 200, microseconds(1));
    const std::string series = lines_starting(m.render(), "presign_http_requests_total{");
    EXPECT_EQ(std::count(series.begin(), series.end(), '\n'), 65);  // 64 routes + other
    EXPECT_NE(series.find("route=\"other\",status=\"200\"} 936"), std::string::npos) << series;
}

TEST(metrics, long_labels_are_cut_and_still_count_together) {
    metrics m;
    const std::string long_route(200, 'r');
    m.record_request(server_id::api, long_route, 200, microseconds(1));
    m.record_request(server_id::api, long_route + "x", 200, microseconds(1));
    EXPECT_NE(m.render().find("route=\"" + std::string(k_label_max, 'r') + "\",status=\"200\"} 2"),
              std::string::npos);
}

TEST(metrics, records_from_many_threads_without_losing_counts) {
    metrics m;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&m, t] {
            for (int i = 0; i < 10000; ++i) {
                m.record_request(server_id::api, i % 2 ? "/a" : "/b", 200, microseconds(t));
                m.count_rejection(server_id::store, "AccessDenied");
            }
        });
    for (auto& t : threads) t.join();
    const std::string text = m.render();
    EXPECT_NE(text.find("route=\"/a\",status=\"200\"} 20000"), std::string::npos);
    EXPECT_NE(text.find("route=\"/b\",status=\"200\"} 20000"), std::string::npos);
    EXPECT_NE(text.find("reason=\"AccessDenied\"} 40000"), std::string::npos);
}

TEST(metrics, hooks_record_into_the_installed_registry_only) {
    count_url(url_kind::part);  // none installed: nothing happens
    {
        metrics m;
        install(&m);
        count_url(url_kind::part);
        count_rejection(server_id::api, "forbidden");
        const std::string text = m.render();
        EXPECT_NE(text.find("presign_urls_issued_total{kind=\"part\"} 1"), std::string::npos);
        EXPECT_NE(text.find("reason=\"forbidden\"} 1"), std::string::npos);
    }
    EXPECT_EQ(installed(), nullptr);  // a registry uninstalls itself when it goes
}

}  // namespace
}  // namespace presign::ops
