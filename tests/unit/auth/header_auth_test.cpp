// SigV4 Authorization-header auth: requests signed by sigv4::signer::sign_headers verify, and
// every alteration a signature must catch is refused with S3's error.

#include <gtest/gtest.h>

#include "auth_fixture.hpp"

namespace presign::auth {
namespace {

using namespace std::chrono_literals;
using test::example_request;
using test::header_signed;
using test::signing_time;
using test::verify_error;

TEST(header_auth, accepts_a_signed_get) {
    test::raw_request r = header_signed(example_request());
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->identity(), "alice");
    EXPECT_EQ(v->access_key_id(), test::k_access_key);
    EXPECT_EQ(v->kind(), auth_kind::header);
    EXPECT_EQ(v->payload(), payload_mode::signed_hash);
    EXPECT_EQ(v->payload_sha256(), sigv4::k_empty_payload_sha256);
    EXPECT_EQ(v->amz_date(), "20130524T000000Z");
    EXPECT_EQ(v->signed_at(), signing_time());
    EXPECT_EQ(v->credential_scope(), "20130524/us-east-1/s3/aws4_request");
    EXPECT_EQ(v->signed_headers(),
              (std::vector<std::string>{"host", "x-amz-content-sha256", "x-amz-date"}));
    EXPECT_FALSE(v->expires_at());
    ASSERT_TRUE(v->signing_key());
    EXPECT_EQ(v->seed_signature(),
              r.header("authorization")->substr(r.header("authorization")->rfind('=') + 1));
}

TEST(header_auth, hands_out_the_signing_key_for_chunk_signatures) {
    test::raw_request r =
        header_signed(example_request("PUT"), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->payload(), payload_mode::streaming_signed);
    EXPECT_TRUE(v->payload_sha256().empty());
    const auto expected = sigv4::signing_key::derive(test::k_secret, "20130524", "us-east-1", "s3");
    EXPECT_EQ(v->signing_key()->bytes(), expected.bytes());
}

TEST(header_auth, reports_each_payload_mode) {
    const std::pair<std::string_view, payload_mode> cases[] = {
        {"UNSIGNED-PAYLOAD", payload_mode::unsigned_payload},
        {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", payload_mode::streaming_signed_trailer},
        {"STREAMING-UNSIGNED-PAYLOAD-TRAILER", payload_mode::streaming_unsigned_trailer},
        {"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
         payload_mode::signed_hash},
    };
    for (const auto& [hash, mode] : cases) {
        test::raw_request r = header_signed(example_request("PUT"), hash);
        auto v = test::make_verifier().verify(r.view(), signing_time());
        ASSERT_TRUE(v) << hash << ": " << v.error().message;
        EXPECT_EQ(v->payload(), mode) << hash;
    }
    test::raw_request r = header_signed(
        example_request("PUT"), "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
    EXPECT_EQ(test::make_verifier().verify(r.view(), signing_time())->payload_sha256(),
              sigv4::k_empty_payload_sha256);
}

TEST(header_auth, accepts_separator_variants_in_the_authorization_header) {
    test::raw_request r = header_signed(example_request());
    std::string& auth = *r.header("Authorization");
    auth = test::replaced(auth, ", SignedHeaders", ",SignedHeaders");
    auth = test::replaced(auth, ", Signature", " ,\tSignature");
    EXPECT_EQ(verify_error(r), std::nullopt);
}

TEST(header_auth, rejects_a_signature_with_one_hex_char_changed) {
    test::raw_request r = header_signed(example_request());
    std::string& auth = *r.header("authorization");
    auth.back() = auth.back() == '0' ? '1' : '0';
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::signature_does_not_match);
    EXPECT_EQ(v.error().message, k_message_signature_mismatch);
    EXPECT_EQ(v.error().detail("AWSAccessKeyId"), test::k_access_key);
    EXPECT_NE(v.error().detail("StringToSign").find("20130524/us-east-1/s3/aws4_request"),
              std::string_view::npos);
    EXPECT_EQ(v.error().detail("CanonicalRequest").substr(0, 14), "GET\n/test.txt\n");
}

TEST(header_auth, signature_mismatch_reveals_neither_the_secret_nor_the_right_signature) {
    test::raw_request r = header_signed(example_request());
    std::string& auth = *r.header("authorization");
    const std::string right = auth.substr(auth.rfind('=') + 1);
    auth.back() = auth.back() == '0' ? '1' : '0';
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    std::string everything = v.error().message;
    for (const error_detail& d : v.error().details) everything += d.name + d.value;
    EXPECT_EQ(everything.find(right), std::string::npos);
    EXPECT_EQ(everything.find(test::k_secret), std::string::npos);
}

TEST(header_auth, rejects_an_upper_case_signature) {
    test::raw_request r = header_signed(example_request());
    std::string& auth = *r.header("authorization");
    for (auto i = auth.rfind('=') + 1; i < auth.size(); ++i)
        auth[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(auth[i])));
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(header_auth, rejects_a_changed_method) {
    test::raw_request r = header_signed(example_request("GET"));
    r.method = "DELETE";
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(header_auth, rejects_a_changed_key) {
    test::raw_request r = header_signed(example_request("GET", "a/b.txt"));
    r.target = "/a/c.txt";
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
    r.target = "/a//b.txt";  // no normalisation: a different key
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(header_auth, rejects_changed_added_or_removed_query_parameters) {
    sigv4::request req = example_request();
    req.query = {{"versionId", "v1"}};
    test::raw_request signed_req = header_signed(req);
    ASSERT_EQ(verify_error(signed_req), std::nullopt);
    for (std::string target : {"/test.txt?versionId=v2", "/test.txt?versionId=v1&acl", "/test.txt",
                               "/test.txt?versionid=v1"}) {
        test::raw_request r = signed_req;
        r.target = target;
        EXPECT_EQ(verify_error(r), errc::signature_does_not_match) << target;
    }
}

TEST(header_auth, rejects_a_changed_signed_header_value) {
    sigv4::request req = example_request();
    req.headers = {{"Range", "bytes=0-9"}};
    test::raw_request r = header_signed(req);
    r.set_header("Range", "bytes=0-99");
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(header_auth, rejects_a_dropped_signed_header) {
    sigv4::request req = example_request();
    req.headers = {{"Range", "bytes=0-9"}};
    test::raw_request r = header_signed(req);
    r.remove_header("range");
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(header_auth, rejects_a_repeated_signed_header_the_signer_did_not_see) {
    sigv4::request req = example_request();
    req.headers = {{"Range", "bytes=0-9"}};
    test::raw_request r = header_signed(req);
    r.headers.emplace_back("range", "bytes=10-19");  // joined with ',' into the value
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

TEST(header_auth, ignores_unsigned_headers_outside_x_amz) {
    test::raw_request r = header_signed(example_request());
    r.headers.emplace_back("User-Agent", "test");
    r.headers.emplace_back("X-Amzn-Trace-Id", "Root=1");
    EXPECT_EQ(verify_error(r), std::nullopt);
}

TEST(header_auth, rejects_unsigned_x_amz_headers_naming_them) {
    test::raw_request r = header_signed(example_request("PUT"));
    r.headers.emplace_back("X-Amz-Acl", "public-read");
    r.headers.emplace_back("x-amz-copy-source", "/other/key");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::access_denied);
    EXPECT_EQ(v.error().message, "There were headers present in the request which were not signed");
    EXPECT_EQ(v.error().detail("HeadersNotSigned"), "x-amz-acl, x-amz-copy-source");
}

TEST(header_auth, rejects_an_unknown_access_key) {
    test::raw_request r = header_signed(example_request());
    verifier nobody({}, [](std::string_view) { return std::optional<principal>{}; });
    auto v = nobody.verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::invalid_access_key_id);
    EXPECT_EQ(v.error().detail("AWSAccessKeyId"), test::k_access_key);
}

TEST(header_auth, rejects_a_wrong_secret) {
    test::raw_request r = header_signed(example_request());
    verifier other({}, [](std::string_view) {
        return std::optional<principal>{principal{"x", core::secret_string("other"), {}, nullptr}};
    });
    EXPECT_EQ(verify_error(r, signing_time(), other), errc::signature_does_not_match);
}

TEST(header_auth, rejects_a_scope_for_another_region_naming_ours) {
    test::raw_request r = header_signed(example_request(), sigv4::k_empty_payload_sha256,
                                        test::make_signer("eu-west-1"));
    auto v = test::make_verifier("us-east-1").verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::authorization_header_malformed);
    EXPECT_EQ(v.error().message,
              "The authorization header is malformed; the region 'eu-west-1' is wrong; "
              "expecting 'us-east-1'");
    EXPECT_EQ(v.error().detail("Region"), "us-east-1");
    EXPECT_EQ(verify_error(r, signing_time(), test::make_verifier("eu-west-1")), std::nullopt);
}

TEST(header_auth, rejects_a_scope_date_other_than_x_amz_date) {
    test::raw_request r = header_signed(example_request());
    *r.header("authorization") =
        test::replaced(*r.header("authorization"), "/20130524/", "/20130523/");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::authorization_header_malformed);
    EXPECT_NE(v.error().message.find("Invalid credential date \"20130523\""), std::string::npos);
}

TEST(header_auth, rejects_a_scope_for_another_service_or_terminator) {
    for (auto [from, to] : {std::pair{"/s3/", "/ec2/"}, std::pair{"aws4_request", "aws4_reques"}}) {
        test::raw_request r = header_signed(example_request());
        *r.header("authorization") = test::replaced(*r.header("authorization"), from, to);
        EXPECT_EQ(verify_error(r), errc::authorization_header_malformed) << to;
    }
}

TEST(header_auth, accepts_clock_skew_up_to_fifteen_minutes) {
    test::raw_request r = header_signed(example_request());
    EXPECT_EQ(verify_error(r, signing_time() + 14min), std::nullopt);
    EXPECT_EQ(verify_error(r, signing_time() - 14min), std::nullopt);
    EXPECT_EQ(verify_error(r, signing_time() + 15min), std::nullopt);
    EXPECT_EQ(verify_error(r, signing_time() - 15min), std::nullopt);
}

TEST(header_auth, rejects_clock_skew_beyond_fifteen_minutes) {
    test::raw_request r = header_signed(example_request());
    EXPECT_EQ(verify_error(r, signing_time() + 16min), errc::request_time_too_skewed);
    EXPECT_EQ(verify_error(r, signing_time() - 16min), errc::request_time_too_skewed);
    EXPECT_EQ(verify_error(r, signing_time() + 15min + 1s), errc::request_time_too_skewed);
    auto v = test::make_verifier().verify(r.view(), signing_time() + 16min);
    EXPECT_EQ(v.error().detail("RequestTime"), "20130524T000000Z");
    EXPECT_EQ(v.error().detail("ServerTime"), "2013-05-24T00:16:00Z");
    EXPECT_EQ(v.error().detail("MaxAllowedSkewMilliseconds"), "900000");
}

TEST(header_auth, requires_x_amz_content_sha256) {
    test::raw_request r = header_signed(example_request());
    r.remove_header("x-amz-content-sha256");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::invalid_request);
    EXPECT_EQ(v.error().message, "Missing required header for this request: x-amz-content-sha256");
}

TEST(header_auth, rejects_an_x_amz_content_sha256_of_no_known_form) {
    for (std::string_view bad :
         {"abc", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "unsigned-payload",
          "zz3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}) {
        test::raw_request r = header_signed(example_request(), bad);
        EXPECT_EQ(verify_error(r), errc::invalid_argument) << bad;
    }
}

TEST(header_auth, rejects_a_changed_x_amz_content_sha256) {
    test::raw_request r = header_signed(example_request("PUT"));
    r.set_header("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
}

// A client that sends Date instead of X-Amz-Date signs the same instant in ISO 8601 basic form
// (built here from sigv4's stages, since sigv4::signer always sends X-Amz-Date).
test::raw_request date_only_request(std::string_view date) {
    const std::string canonical = std::string("GET\n/test.txt\n\ndate:") + std::string(date) +
                                  "\nhost:examplebucket.s3.amazonaws.com\n"
                                  "x-amz-content-sha256:" +
                                  std::string(sigv4::k_empty_payload_sha256) +
                                  "\n\ndate;host;x-amz-content-sha256\n" +
                                  std::string(sigv4::k_empty_payload_sha256);
    const std::string scope = "20130524/us-east-1/s3/aws4_request";
    const std::string signature =
        sigv4::signing_key::derive(test::k_secret, "20130524", "us-east-1", "s3")
            .signature(sigv4::build_string_to_sign("20130524T000000Z", scope, canonical));
    test::raw_request r;
    r.method = "GET";
    r.target = "/test.txt";
    r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                 {"Date", std::string(date)},
                 {"x-amz-content-sha256", std::string(sigv4::k_empty_payload_sha256)},
                 {"Authorization",
                  "AWS4-HMAC-SHA256 Credential=" + std::string(test::k_access_key) + "/" + scope +
                      ", SignedHeaders=date;host;x-amz-content-sha256, Signature=" + signature}};
    return r;
}

TEST(header_auth, accepts_an_rfc1123_date_header_without_x_amz_date) {
    test::raw_request r = date_only_request("Fri, 24 May 2013 00:00:00 GMT");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->amz_date(), "20130524T000000Z");
    EXPECT_EQ(verify_error(r, signing_time() + 16min), errc::request_time_too_skewed);
    r.set_header("Date", "Fri, 24 May 2013 00:00:01 GMT");
    EXPECT_EQ(verify_error(r), errc::signature_does_not_match);
    r.set_header("Date", "Friday, 24-May-13 00:00:00 GMT");  // RFC 850: not accepted
    EXPECT_EQ(verify_error(r), errc::access_denied);
}

TEST(header_auth, requires_a_valid_date) {
    test::raw_request r = header_signed(example_request());
    r.set_header("x-amz-date", "2013-05-24T00:00:00Z");
    auto v = test::make_verifier().verify(r.view(), signing_time());
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::access_denied);
    EXPECT_EQ(v.error().message, "AWS authentication requires a valid Date or x-amz-date header");
    r.remove_header("x-amz-date");
    EXPECT_EQ(verify_error(r), errc::access_denied);
}

TEST(header_auth, refuses_a_token_for_a_key_without_one) {
    test::raw_request r = header_signed(example_request(), sigv4::k_empty_payload_sha256,
                                        test::make_signer("us-east-1", "TOKEN"));
    EXPECT_EQ(verify_error(r), errc::invalid_token);
}

TEST(header_auth, accepts_the_token_the_principal_requires) {
    test::raw_request r = header_signed(example_request(), sigv4::k_empty_payload_sha256,
                                        test::make_signer("us-east-1", "TOK/EN+="));
    EXPECT_EQ(verify_error(r, signing_time(), test::make_verifier("us-east-1", "TOK/EN+=")),
              std::nullopt);
    EXPECT_EQ(verify_error(r, signing_time(), test::make_verifier("us-east-1", "OTHER")),
              errc::invalid_token);
    test::raw_request plain = header_signed(example_request());
    EXPECT_EQ(verify_error(plain, signing_time(), test::make_verifier("us-east-1", "TOK/EN+=")),
              errc::invalid_access_key_id);
}

TEST(header_auth, treats_a_request_without_auth_as_anonymous) {
    test::raw_request r = test::from_url("GET", "https://examplebucket.s3.amazonaws.com/test.txt");
    EXPECT_EQ(verify_error(r), errc::missing_authentication);
}

TEST(header_auth, refuses_header_and_query_auth_together) {
    test::raw_request r = header_signed(example_request());
    r.target += "?X-Amz-Algorithm=AWS4-HMAC-SHA256";
    EXPECT_EQ(verify_error(r), errc::invalid_argument);
}

TEST(header_auth, refuses_an_unknown_authorization_scheme) {
    test::raw_request r = header_signed(example_request());
    r.set_header("Authorization", "Bearer abc");
    EXPECT_EQ(verify_error(r), errc::invalid_argument);
}

TEST(header_auth, verified_request_cannot_be_made_outside_the_verifier) {
    static_assert(!std::is_default_constructible_v<verified_request>);
    static_assert(!std::is_aggregate_v<verified_request>);
    static_assert(std::is_copy_constructible_v<verified_request>);
    SUCCEED();
}

}  // namespace
}  // namespace presign::auth
