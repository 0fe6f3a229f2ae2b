// Callers in mode jwt: a bearer token names the caller, the caller's prefix is made from that
// name, and no name can make a prefix that leaves its place.

#include <gtest/gtest.h>

#include "api/callers.hpp"
#include "api/front.hpp"
#include "unit/api/token_maker.hpp"

namespace presign::api {
namespace {

using namespace test;

constexpr std::int64_t k_now = 1700000000;
const std::string k_secret = "0123456789abcdef0123456789abcdef-callers";
const std::string k_header = R"({"alg":"HS256","typ":"JWT"})";

std::string token_for(std::string_view sub_json, std::string_view extra = {}) {
    std::string claims =
        R"({"sub":)" + std::string(sub_json) + R"(,"exp":)" + std::to_string(k_now + 300);
    if (!extra.empty()) claims += "," + std::string(extra);
    return hs256_token(k_header, claims + "}", k_secret);
}

http::request_head bearer(std::string_view value, std::string scheme = "Bearer ") {
    http::request_head head;
    head.method = "POST";
    head.target = "/get-upload-url";
    head.headers.push_back({"Authorization", scheme + std::string(value)});
    return head;
}

struct callers_jwt : ::testing::Test {
    core::fixed_clock clock{core::time_point(std::chrono::seconds(k_now))};
    std::shared_ptr<const jwt_verifier> verifier = [this] {
        jwt_settings s;
        s.keys.push_back(jwt_key::hmac_secret(k_secret));
        return std::make_shared<const jwt_verifier>(std::move(s), clock);
    }();
    caller_auth auth{verifier, jwt_callers{}};
};

TEST_F(callers_jwt, a_valid_token_names_the_caller_and_its_prefix) {
    auto who = auth.authenticate(bearer(token_for(R"("alice")")));
    ASSERT_TRUE(who) << who.error().message;
    EXPECT_EQ(who->identity, "alice");
    EXPECT_EQ(who->prefix, "alice/");
    EXPECT_FALSE(auth.anonymous());
    EXPECT_TRUE(auth.authenticate(bearer(token_for(R"("alice")"), "bearer  ")));
    EXPECT_EQ(*key_for(*who, "photo.jpg"), "alice/photo.jpg");
    for (const char* escape : {"../bob/x", "/bob/x", "a/../../bob/x", "a\\..\\b"})
        EXPECT_FALSE(key_for(*who, escape)) << escape;
}

TEST_F(callers_jwt, the_identity_claim_and_prefix_template_are_configurable) {
    const caller_auth custom(verifier, jwt_callers{"email", "users/<identity>/files/"});
    auto who =
        custom.authenticate(bearer(token_for(R"("ignored")", R"("email":"alice@example.com")")));
    ASSERT_TRUE(who) << who.error().message;
    EXPECT_EQ(who->identity, "alice@example.com");
    EXPECT_EQ(who->prefix, "users/alice@example.com/files/");
    auto missing = custom.authenticate(bearer(token_for(R"("alice")")));
    EXPECT_EQ(missing.error().code, errc::unauthorized);
    EXPECT_EQ(missing.error().message, "the token has no string claim 'email'");
}

TEST_F(callers_jwt, refuses_requests_without_a_valid_token) {
    http::request_head none;
    EXPECT_EQ(auth.authenticate(none).error().code, errc::unauthorized);
    EXPECT_EQ(auth.authenticate(bearer("")).error().code, errc::unauthorized);
    EXPECT_EQ(auth.authenticate(bearer(token_for(R"("alice")"), "Basic ")).error().code,
              errc::unauthorized);
    // An API-key header is not a token.
    http::request_head api_key;
    api_key.headers.push_back({"X-Api-Key", token_for(R"("alice")")});
    EXPECT_EQ(auth.authenticate(api_key).error().code, errc::unauthorized);
    auto expired = auth.authenticate(bearer(hs256_token(
        k_header, R"({"sub":"alice","exp":)" + std::to_string(k_now - 100) + "}", k_secret)));
    EXPECT_EQ(expired.error().code, errc::unauthorized);
    EXPECT_NE(expired.error().message.find("(expired)"), std::string::npos)
        << expired.error().message;
    EXPECT_EQ(auth.authenticate(bearer(token_for("7"))).error().code, errc::unauthorized);
}

TEST_F(callers_jwt, refuses_identities_that_cannot_name_a_prefix) {
    for (const char* sub : {R"("")", R"(".")", R"("..")", R"("a/b")", R"("../bob")", R"("a\\b")",
                            R"("a\nb")", R"("a\u0000b")", R"("a\u007fb")"}) {
        auto who = auth.authenticate(bearer(token_for(sub)));
        ASSERT_FALSE(who) << sub;
        EXPECT_EQ(who.error().code, errc::forbidden) << sub;
    }
    EXPECT_EQ(
        auth.authenticate(bearer(token_for("\"" + std::string(257, 'a') + "\""))).error().code,
        errc::forbidden);
    EXPECT_TRUE(auth.authenticate(bearer(token_for("\"" + std::string(256, 'a') + "\""))));
    EXPECT_TRUE(auth.authenticate(bearer(token_for(R"("...")"))));  // a plain name
}

TEST_F(callers_jwt, refuses_bad_settings_at_start_up) {
    EXPECT_THROW(caller_auth(nullptr, jwt_callers{}), std::invalid_argument);
    EXPECT_THROW(caller_auth(verifier, jwt_callers{"", "<identity>/"}), std::invalid_argument);
    for (const char* bad : {"", "fixed/", "<identity>", "/<identity>/", "<identity>/<identity>/",
                            "a//<identity>/", "../<identity>/", "./<identity>/", "a\\<identity>/"})
        EXPECT_THROW(caller_auth(verifier, jwt_callers{"sub", bad}), std::invalid_argument) << bad;
    EXPECT_TRUE(valid_prefix_template("tenant-1/<identity>/"));
    EXPECT_TRUE(valid_prefix_template("<identity>-uploads/"));
}

TEST_F(callers_jwt, the_front_answers_401_or_the_form_under_the_prefix) {
    const backend_settings backend{{"AKIAIOSFODNN7EXAMPLE", core::secret_string("secret"), ""},
                                   "http://127.0.0.1:9000",
                                   "us-east-1",
                                   "uploads"};
    const url_issuer issuer(backend, clock);
    front_options options;
    options.callers = auth;
    front api(issuer, options);
    const auto call = [&](http::request_head head) {
        const std::string body = R"({"filename": "a.jpg"})";
        head.headers.push_back({"Content-Type", "application/json"});
        head.content_length = body.size();
        auto out = api.on_request(head);
        if (auto* res = std::get_if<http::response>(&out)) return std::move(*res);
        auto& ex = std::get<std::unique_ptr<http::exchange>>(out);
        if (auto early = ex->on_body(std::span<const char>(body.data(), body.size())))
            return std::move(*early);
        return ex->finish();
    };
    const auto ok = call(bearer(token_for(R"("alice")")));
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_NE(ok.body.find(R"("key": "alice/a.jpg")"), std::string::npos) << ok.body;
    http::request_head no_token;
    no_token.method = "POST";
    no_token.target = "/get-upload-url";
    EXPECT_EQ(call(no_token).status, 401u);
    EXPECT_EQ(call(bearer(token_for(R"("../bob")"))).status, 403u);
}

}  // namespace
}  // namespace presign::api
