// SigV4 query auth (presigned URLs): URLs from sigv4::signer::presign_url verify, and every
// alteration, expiry and malformed parameter is refused with S3's error.

#include <gtest/gtest.h>

#include "auth_fixture.hpp"

namespace presign::auth {
namespace {

using namespace std::chrono_literals;
using test::example_request;
using test::presigned;
using test::signing_time;
using test::verify_error;

TEST(query_auth, accepts_a_presigned_get) {
    test::raw_request r = presigned(example_request(), 3600);
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->identity(), "alice");
    EXPECT_EQ(v->kind(), auth_kind::query);
    EXPECT_EQ(v->payload(), payload_mode::unsigned_payload);
    EXPECT_TRUE(v->payload_sha256().empty());
    EXPECT_EQ(v->amz_date(), "20130524T000000Z");
    EXPECT_EQ(v->expires_at(), signing_time() + 3600s);
    EXPECT_EQ(v->signed_headers(), std::vector<std::string>{"host"});
    EXPECT_EQ(v->seed_signature(), r.target.substr(r.target.rfind('=') + 1));
}

TEST(query_auth, accepts_operation_parameters_signed_headers_and_a_token) {
    sigv4::request req = example_request("PUT", "big/file.bin");
    req.query = {{"partNumber", "7"}, {"uploadId", "a/b+c=="}};
    req.headers = {{"Content-Type", "image/png"}, {"x-amz-acl", "private"}};
    test::raw_request r = presigned(req, 600, test::make_signer("us-east-1", "TOK/EN+="));
    EXPECT_EQ(verify_error(r, signing_time(), test::make_verifier("us-east-1", "TOK/EN+=")),
              std::nullopt);
    EXPECT_EQ(verify_error(r), errc::invalid_token);
}

TEST(query_auth, uses_a_signed_x_amz_content_sha256_header_as_the_payload_hash) {
    const std::string hash(64, 'a');
    sigv4::request req = example_request("PUT");
    req.headers = {{"x-amz-content-sha256", hash}};
    test::raw_request r = presigned(req);
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->payload(), payload_mode::signed_hash);
    EXPECT_EQ(v->payload_sha256(), hash);
}

TEST(query_auth, ignores_an_unsigned_x_amz_content_sha256_header) {
    test::raw_request r = presigned(example_request("PUT"));
    r.headers.emplace_back("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->payload(), payload_mode::unsigned_payload);
}

TEST(query_auth, checks_the_signature_over_the_callers_decoding_of_the_query) {
    sigv4::request req = example_request("PUT", "big/file.bin");
    req.query = {{"partNumber", "7"}, {"uploadId", "a/b+c=="}};
    test::raw_request r = presigned(req);
    auto decoded = decode_target_query(r.target);
    ASSERT_TRUE(decoded);
    request_view view = r.view();
    view.decoded_query = *decoded;  // what the router decoded: the same as the verifier's own
    auto v = test::make_verifier().verify(view, signing_time());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->seed_signature(),
              test::make_verifier().verify(r.view(), signing_time())->seed_signature());
    // The parameters handed in are the ones checked: any other decoding fails, whatever the
    // target says.
    for (std::size_t i = 0; i < decoded->size(); ++i) {
        auto altered = *decoded;
        altered[i].value += "x";
        view.decoded_query = altered;
        EXPECT_FALSE(test::make_verifier().verify(view, signing_time())) << altered[i].name;
    }
    auto shorter = *decoded;
    shorter.erase(shorter.begin());  // partNumber dropped
    view.decoded_query = shorter;
    EXPECT_EQ(test::make_verifier().verify(view, signing_time()).error().code,
              errc::signature_does_not_match);
}

TEST(query_auth, rejects_a_signature_with_one_hex_char_changed) {
    test::raw_request r = presigned(example_request());
    r.target.back() = r.target.back() == '0' ? '1' : '0';
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(query_auth, rejects_a_changed_method_or_key) {
    test::raw_request r = presigned(example_request("GET"));
    r.method = "PUT";
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
    r = presigned(example_request("GET"));
    r.target = test::replaced(r.target, "/test.txt", "/test.txu");
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(query_auth, rejects_changed_added_or_removed_signed_query_parameters) {
    sigv4::request req = example_request();
    req.query = {{"response-content-type", "text/plain"}};
    test::raw_request good = presigned(req);
    ASSERT_EQ(verify_error(good), std::nullopt);
    const std::pair<std::string_view, std::string_view> edits[] = {
        {"response-content-type=text%2Fplain", "response-content-type=text%2Fhtml"},
        {"response-content-type=text%2Fplain&", ""},
        {"?", "?acl&"},
        {"X-Amz-Expires=3600", "X-Amz-Expires=3601"},
        {"X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Brange"},
    };
    for (const auto& [from, to] : edits) {
        test::raw_request r = good;
        r.target = test::replaced(r.target, from, to);
        if (to.find("range") != std::string_view::npos)
            r.headers.emplace_back("Range", "bytes=0-1");
        EXPECT_EQ(verify_error(r), errc::signature_does_not_match) << r.target;
    }
}

TEST(query_auth, rejects_a_changed_or_dropped_signed_header) {
    sigv4::request req = example_request("PUT");
    req.headers = {{"Content-Type", "image/png"}};
    test::raw_request r = presigned(req);
    ASSERT_EQ(verify_error(r), std::nullopt);
    r.set_header("content-type", "text/html");
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
    r.remove_header("content-type");
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(query_auth, rejects_unsigned_x_amz_headers) {
    test::raw_request r = presigned(example_request("PUT"));
    r.headers.emplace_back("x-amz-copy-source", "/examplebucket/secret.txt");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::access_denied);
    EXPECT_EQ(v.error().detail("HeadersNotSigned"), "x-amz-copy-source");
}

TEST(query_auth, requires_host_to_be_signed) {
    test::raw_request r = presigned(example_request());
    r.target = test::replaced(r.target, "X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::access_denied);
    EXPECT_EQ(v.error().detail("HeadersNotSigned"), "host");
}

TEST(query_auth, rejects_an_unknown_access_key) {
    test::raw_request r = presigned(example_request());
    r.target = test::replaced(r.target, "AKIAIOSFODNN7EXAMPLE", "AKIAUNKNOWN");
    EXPECT_EQ(verify_error(r), errc::invalid_access_key_id);
}

TEST(query_auth, rejects_a_scope_for_another_region) {
    test::raw_request r = presigned(example_request(), 3600, test::make_signer("eu-west-1"));
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::authorization_query_parameters_error);
    EXPECT_EQ(v.error().message,
              "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; "
              "expecting 'us-east-1'");
    EXPECT_EQ(v.error().detail("Region"), "us-east-1");
}

TEST(query_auth, rejects_a_scope_date_other_than_x_amz_date) {
    test::raw_request r = presigned(example_request());
    r.target = test::replaced(r.target, "%2F20130524%2F", "%2F20130525%2F");
    EXPECT_EQ(verify_error(r), errc::authorization_query_parameters_error);
}

TEST(query_auth, accepts_until_the_last_second_then_says_request_has_expired) {
    test::raw_request r = presigned(example_request(), 60);
    EXPECT_EQ(verify_error(r, signing_time() + 60s), std::nullopt);
    auto v = test::make_verifier().verify(r.view(), signing_time() + 61s);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::expired);
    EXPECT_EQ(v.error().message, "Request has expired");
    EXPECT_EQ(v.error().detail("X-Amz-Expires"), "60");
    EXPECT_EQ(v.error().detail("Expires"), "2013-05-24T00:01:00Z");
    EXPECT_EQ(v.error().detail("ServerTime"), "2013-05-24T00:01:01Z");
}

TEST(query_auth, accepts_the_full_seven_days) {
    test::raw_request r = presigned(example_request(), 604800);
    EXPECT_EQ(verify_error(r, signing_time() + 604800s), std::nullopt);
    EXPECT_EQ(verify_error(r, signing_time() + 604801s), errc::expired);
}

TEST(query_auth, refuses_a_url_dated_in_the_future_beyond_the_skew) {
    test::raw_request r = presigned(example_request(), 3600);
    EXPECT_EQ(verify_error(r, signing_time() - 15min), std::nullopt);
    auto v = test::make_verifier().verify(r.view(), signing_time() - 16min);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::not_yet_valid);
    EXPECT_EQ(v.error().message, "Request is not valid yet");
}

TEST(query_auth, rejects_expires_outside_one_second_to_seven_days) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"0", "X-Amz-Expires must be at least 1"},
        {"604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
        {"99999999999999999999999",
         "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
        {"-1", "X-Amz-Expires must be non-negative"},
        {"abc", "X-Amz-Expires should be a number"},
        {"1.5", "X-Amz-Expires should be a number"},
        {"%2B60", "X-Amz-Expires should be a number"},
        {"60%20", "X-Amz-Expires should be a number"},
    };
    for (const auto& [expires, message] : cases) {
        test::raw_request r = presigned(example_request(), 3600);
        r.target =
            test::replaced(r.target, "X-Amz-Expires=3600", "X-Amz-Expires=" + std::string(expires));
        auto v = test::make_verifier().verify(r.view(), signing_time());
        ASSERT_FALSE(v) << expires;
        EXPECT_EQ(v.error().code, errc::authorization_query_parameters_error) << expires;
        EXPECT_EQ(v.error().message, message) << expires;
    }
}

TEST(query_auth, requires_every_auth_parameter_exactly_once) {
    const test::raw_request good = presigned(example_request(), 3600);
    for (std::string_view name : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
                                  "X-Amz-Expires", "X-Amz-SignedHeaders"}) {
        // Dropped.
        test::raw_request r = good;
        const auto at = r.target.find(std::string(name) + "=");
        const auto end = r.target.find('&', at);
        r.target.erase(at, end - at + 1);
        EXPECT_EQ(verify_error(r), errc::authorization_query_parameters_error) << name;
        // Repeated.
        r = good;
        r.target += "&" + good.target.substr(at, end - at);
        EXPECT_EQ(verify_error(r), errc::authorization_query_parameters_error) << name;
    }
    test::raw_request r = good;
    r.target.erase(r.target.find("&X-Amz-Signature="));
    EXPECT_EQ(verify_error(r), errc::authorization_query_parameters_error);
}

TEST(query_auth, rejects_malformed_parameters) {
    const std::pair<std::string_view, std::string_view> edits[] = {
        {"X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA512"},
        {"X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130524T000000"},
        {"X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24T00%3A00%3A00Z"},
        {"AKIAIOSFODNN7EXAMPLE%2F20130524", "AKIAIOSFODNN7EXAMPLE%2F2013052"},
        {"aws4_request", "aws4_request%2Fextra"},
        {"X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=Host"},
        {"X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3B%3Brange"},
    };
    for (const auto& [from, to] : edits) {
        test::raw_request r = presigned(example_request(), 3600);
        r.target = test::replaced(r.target, from, to);
        EXPECT_EQ(verify_error(r), errc::authorization_query_parameters_error) << to;
    }
}

TEST(query_auth, rejects_a_malformed_percent_escape) {
    test::raw_request r = presigned(example_request(), 3600);
    r.target += "&x=%G1";
    EXPECT_EQ(verify_error(r), errc::invalid_uri);
    r = presigned(example_request(), 3600);
    r.target = test::replaced(r.target, "/test.txt", "/test%2.txt");
    EXPECT_EQ(verify_error(r), errc::invalid_uri);
}

TEST(query_auth, refuses_sigv2_and_sigv4_query_auth_together) {
    test::raw_request r = presigned(example_request());
    r.target += "&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=abc%3D";
    EXPECT_EQ(verify_error(r), errc::invalid_argument);
}

}  // namespace
}  // namespace presign::auth
