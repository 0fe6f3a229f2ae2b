// The API's metrics hooks: URLs issued by kind, rejections by error code, the caller noted for
// the access log.

#include <gtest/gtest.h>

#include "api/front.hpp"
#include "core/time_format.hpp"
#include "ops/metrics.hpp"

namespace presign::api {
namespace {

const core::fixed_clock k_clock(*core::parse_amz_date("20130524T000000Z"));

struct api_metrics_test : ::testing::Test {
    api_metrics_test() { ops::install(&registry); }
    ~api_metrics_test() override { ops::install(nullptr); }

    static backend_settings backend() {
        backend_settings b;
        b.credentials = {"AKIAIOSFODNN7EXAMPLE",
                         core::secret_string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), ""};
        b.endpoint_url = "http://127.0.0.1:9000";
        return b;
    }

    http::response post(front& api, std::string target, std::string body, std::string key = {}) {
        http::request_head head;
        head.method = "POST";
        head.target = std::move(target);
        head.headers.push_back({"Content-Type", "application/json"});
        if (!key.empty()) head.headers.push_back({"X-Api-Key", key});
        head.content_length = body.size();
        auto out = api.on_request(head);
        if (auto* res = std::get_if<http::response>(&out)) return std::move(*res);
        auto& ex = std::get<std::unique_ptr<http::exchange>>(out);
        if (auto early = ex->on_body(std::span<const char>(body.data(), body.size())))
            return std::move(*early);
        return ex->finish();
    }

    bool has(const std::string& line) const {
        return registry.render().find(line + "\n") != std::string::npos;
    }

    ops::metrics registry;
    url_issuer issuer{backend(), k_clock};
};

TEST_F(api_metrics_test, counts_urls_issued_by_kind) {
    front api(issuer, {});
    EXPECT_EQ(post(api, "/get-upload-url", R"({"filename": "a.jpg"})").status, 200u);
    EXPECT_EQ(post(api, "/get-upload-url", R"({"filename": "b.jpg"})").status, 200u);
    EXPECT_EQ(post(api, "/get-download-url", R"({"filename": "a.jpg"})").status, 200u);
    EXPECT_TRUE(has("presign_urls_issued_total{kind=\"upload_post\"} 2"));
    EXPECT_TRUE(has("presign_urls_issued_total{kind=\"download\"} 1"));
}

TEST_F(api_metrics_test, counts_client_errors_as_rejections_by_code) {
    front api(issuer, {});
    EXPECT_EQ(post(api, "/get-upload-url", "{not json").status, 400u);
    EXPECT_EQ(post(api, "/nowhere", "{}").status, 404u);
    EXPECT_TRUE(has("presign_rejections_total{server=\"api\",reason=\"bad_request\"} 1"));
    EXPECT_TRUE(has("presign_rejections_total{server=\"api\",reason=\"not_found\"} 1"));
    EXPECT_TRUE(has("presign_urls_issued_total{kind=\"upload_post\"} 0"));
}

TEST_F(api_metrics_test, notes_the_caller_for_the_access_log) {
    core::sha256 hash;
    hash.update("alice-secret");
    front_options options;
    options.callers = caller_auth({api_key{"alice", hash.finish(), "alice/"}});
    front api(issuer, std::move(options));
    EXPECT_EQ(
        post(api, "/get-upload-url", R"({"filename": "a.jpg"})", "alice-secret").note.identity,
        "alice");
    const auto refused = post(api, "/get-upload-url", R"({"filename": "a.jpg"})", "wrong");
    EXPECT_EQ(refused.status, 401u);
    EXPECT_EQ(refused.note.identity, "");
    EXPECT_TRUE(has("presign_rejections_total{server=\"api\",reason=\"unauthorized\"} 1"));
}

}  // namespace
}  // namespace presign::api
