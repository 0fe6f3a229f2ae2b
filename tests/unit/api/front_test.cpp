// The API front without sockets: requests as the transport hands them over, a fixed clock, and
// the URLs checked against the signing core's own output.

#include "api/front.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/keys.hpp"
#include "core/time_format.hpp"

namespace presign::api {
namespace {

const core::fixed_clock k_clock(*core::parse_amz_date("20130524T000000Z"));

backend_settings backend() {
    backend_settings b;
    b.credentials = {"AKIAIOSFODNN7EXAMPLE",
                     core::secret_string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), ""};
    b.endpoint_url = "http://127.0.0.1:9000";
    b.bucket = "uploads";
    return b;
}

struct api_test : ::testing::Test {
    url_issuer issuer{backend(), k_clock};
    front api{issuer, [] {
                  front_options o;
                  o.cors_origins = {"https://app.example"};
                  return o;
              }()};

    // The response to `method target` with a JSON `body` read through the exchange.
    http::response call(std::string method, std::string target, std::string body = {},
                        std::string content_type = "application/json", std::string origin = {}) {
        http::request_head head;
        head.method = std::move(method);
        head.target = std::move(target);
        if (!content_type.empty()) head.headers.push_back({"Content-Type", content_type});
        if (!origin.empty()) head.headers.push_back({"Origin", origin});
        head.content_length = body.size();
        auto out = api.on_request(head);
        if (auto* res = std::get_if<http::response>(&out)) return std::move(*res);
        auto& ex = std::get<std::unique_ptr<http::exchange>>(out);
        if (auto early = ex->on_body(std::span<const char>(body.data(), body.size())))
            return std::move(*early);
        return ex->finish();
    }
};

std::string header(const http::response& r, std::string_view name) {
    for (const auto& h : r.headers)
        if (h.name == name) return h.value;
    return {};
}

std::string error_code(const http::response& r) {
    return nlohmann::json::parse(r.body)["error"]["code"].get<std::string>();
}

TEST_F(api_test, get_upload_url_returns_the_form_boto3_would) {
    const auto res = call("POST", "/get-upload-url", R"({"filename": "image.jpg"})");
    ASSERT_EQ(res.status, 200u) << res.body;
    const auto doc = nlohmann::json::parse(res.body);
    EXPECT_EQ(doc["url"], "http://127.0.0.1:9000/uploads");
    EXPECT_EQ(doc["fields"]["key"], "image.jpg");
    EXPECT_EQ(doc["fields"]["x-amz-date"], "20130524T000000Z");
    EXPECT_EQ(header(res, "Cache-Control"), "no-store");
    EXPECT_EQ(header(res, "X-Request-Id").size(), 16u);
}

TEST_F(api_test, get_download_url_returns_the_signing_cores_url_as_a_json_string) {
    const auto res = call("POST", "/get-download-url", R"({"filename": "a b.txt"})");
    ASSERT_EQ(res.status, 200u) << res.body;
    const auto expected = issuer.download_url("a b.txt", std::chrono::seconds(60));
    ASSERT_TRUE(expected);
    EXPECT_EQ(nlohmann::json::parse(res.body).get<std::string>(), *expected);
    EXPECT_NE(expected->find("X-Amz-Expires=60"), std::string::npos);
}

TEST_F(api_test, errors_have_their_status_and_code) {
    EXPECT_EQ(error_code(call("POST", "/get-upload-url", "[1]")), "bad_request");
    EXPECT_EQ(call("POST", "/get-upload-url", "nope").status, 400u);
    EXPECT_EQ(call("POST", "/get-upload-url", R"({"name": "x"})").status, 400u);
    EXPECT_EQ(call("POST", "/get-upload-url", "{}", "text/plain").status, 415u);
    EXPECT_EQ(call("POST", "/get-upload-url", std::string(17 * 1024, ' ')).status, 413u);
    const auto wrong_method = call("PUT", "/get-upload-url");
    EXPECT_EQ(wrong_method.status, 405u);
    EXPECT_EQ(header(wrong_method, "Allow"), "POST, OPTIONS");
    EXPECT_EQ(call("GET", "/other").status, 404u);
    EXPECT_EQ(call("POST", "/get-upload-url", "{}", "application/json; charset=utf-8").status,
              400u);
}

TEST_F(api_test, cors_answers_only_configured_origins) {
    const auto allowed = call("POST", "/get-upload-url", R"({"filename": "x"})", "application/json",
                              "https://app.example");
    EXPECT_EQ(header(allowed, "Access-Control-Allow-Origin"), "https://app.example");
    const auto other = call("POST", "/get-upload-url", R"({"filename": "x"})", "application/json",
                            "https://evil.example");
    EXPECT_EQ(header(other, "Access-Control-Allow-Origin"), "");
    const auto preflight = call("OPTIONS", "/get-upload-url", "", "", "https://app.example");
    EXPECT_EQ(preflight.status, 204u);
    EXPECT_EQ(header(preflight, "Access-Control-Allow-Methods"), "POST, OPTIONS");
}

TEST_F(api_test, health_is_always_up) {
    EXPECT_EQ(call("GET", "/healthz").body, R"({"status":"ok"})");
    EXPECT_EQ(call("GET", "/readyz").status, 200u);
}

TEST(api_keys, accepts_s3_keys_and_refuses_what_s3_or_a_log_would_not_take) {
    EXPECT_TRUE(check_key("image.jpg", "filename"));
    EXPECT_TRUE(check_key("dir/../ünïcödé 📷.jpg", "filename"));
    EXPECT_TRUE(check_key(std::string(1024, 'k'), "filename"));
    EXPECT_FALSE(check_key("", "filename"));
    EXPECT_FALSE(check_key(std::string(1025, 'k'), "filename"));
    EXPECT_FALSE(check_key("a\nb", "filename"));
    EXPECT_FALSE(check_key("a\x7f", "filename"));
    EXPECT_FALSE(check_key("\xc0\xaf", "filename"));      // overlong '/'
    EXPECT_FALSE(check_key("\xed\xa0\x80", "filename"));  // a surrogate
    EXPECT_FALSE(check_key("\xe2\x82", "filename"));      // truncated
    EXPECT_EQ(check_key("", "key").error().message, "'key' must not be empty");
}

}  // namespace
}  // namespace presign::api

namespace presign::api {
namespace {

api_key key_of(std::string identity, std::string_view secret, std::string prefix) {
    return {std::move(identity), core::sha256_of(secret), std::move(prefix)};
}

http::request_head with_header(std::string name, std::string value) {
    http::request_head head;
    head.method = "POST";
    head.target = "/get-upload-url";
    head.headers.push_back({std::move(name), std::move(value)});
    return head;
}

TEST(api_callers, api_keys_are_checked_by_their_hash) {
    const caller_auth auth({key_of("alice", "alice-key", "alice/"), key_of("bob", "bob-key", "")});
    auto alice = auth.authenticate(with_header("Authorization", "Bearer alice-key"));
    ASSERT_TRUE(alice);
    EXPECT_EQ(alice->identity, "alice");
    EXPECT_EQ(alice->prefix, "alice/");
    EXPECT_EQ(auth.authenticate(with_header("X-Api-Key", "bob-key"))->identity, "bob");
    EXPECT_EQ(auth.authenticate(with_header("Authorization", "Bearer nope")).error().code,
              errc::unauthorized);
    EXPECT_EQ(auth.authenticate(with_header("Other", "x")).error().code, errc::unauthorized);
    EXPECT_EQ(auth.authenticate(with_header("Authorization", "Basic alice-key")).error().code,
              errc::unauthorized);
    EXPECT_TRUE(caller_auth().authenticate(with_header("Other", "x")));
    EXPECT_THROW(caller_auth(std::vector<api_key>{}), std::invalid_argument);
    EXPECT_THROW(caller_auth({key_of("x", "k", "no-slash")}), std::invalid_argument);
}

TEST(api_callers, keys_stay_under_the_callers_prefix) {
    const caller alice{"alice", "alice/"};
    EXPECT_EQ(*key_for(alice, "photo.jpg"), "alice/photo.jpg");
    EXPECT_EQ(*key_for(alice, "2024/photo.jpg"), "alice/2024/photo.jpg");
    for (const char* escape :
         {"../bob/x", "a/../../bob", "./x", "/etc/x", "a\\..\\b", "..", "a/.."})
        EXPECT_FALSE(key_for(alice, escape)) << escape;
    // Encoded forms are literal bytes here (nothing decodes them again): they stay inside.
    EXPECT_EQ(*key_for(alice, "%2e%2e/x"), "alice/%2e%2e/x");
    EXPECT_FALSE(key_for(alice, std::string(1020, 'k')));  // prefix + name over 1024 bytes
    const caller anyone{"anonymous", ""};
    EXPECT_EQ(*key_for(anyone, "../as/given"), "../as/given");  // the classic behaviour
}

}  // namespace
}  // namespace presign::api
