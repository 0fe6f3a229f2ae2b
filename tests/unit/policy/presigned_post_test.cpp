#include "policy/presigned_post.hpp"

#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "sigv4/canonical.hpp"
#include "sigv4/signing_key.hpp"

namespace presign::policy {
namespace {

constexpr const char* k_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

sigv4::signer make_signer(std::string token = {}) {
    return sigv4::signer::create({"AKIAIOSFODNN7EXAMPLE", core::secret_string(k_secret), token}, {})
        .value();
}

post_request example() {
    post_request r;
    r.bucket = "examplebucket";
    r.key = "uploads/${filename}";
    r.fields = {{"acl", "public-read"}};
    r.conditions = {condition::exact("acl", "public-read"), condition::length_range(1, 10)};
    r.expires_seconds = 60;
    r.now = *core::parse_amz_date("20130524T000000Z");
    return r;
}

std::string field(const presigned_post& p, std::string_view name) {
    for (const auto& [n, v] : p.fields)
        if (n == name) return v;
    return "<missing>";
}

// boto3 1.43 generate_presigned_post('examplebucket', 'uploads/${filename}',
//   Fields={'acl': 'public-read'}, Conditions=[{'acl': 'public-read'},
//   ['content-length-range', 1, 10]], ExpiresIn=60) at 2013-05-24T00:00:00Z.
TEST(presigned_post, matches_boto3_output_for_the_same_inputs) {
    const auto post = presign_post(make_signer(), example()).value();
    EXPECT_EQ(post.url, "https://examplebucket.s3.amazonaws.com/");
    std::vector<std::string> names;
    for (const auto& [n, v] : post.fields) names.push_back(n);
    EXPECT_EQ(names, (std::vector<std::string>{"acl", "key", "x-amz-algorithm", "x-amz-credential",
                                               "x-amz-date", "policy", "x-amz-signature"}));
    EXPECT_EQ(field(post, "x-amz-signature"),
              "de041e6854120beb9a24ddf343f8b2daad4365ddc36ebc2ce657b6edc74b4d59");
    EXPECT_EQ(field(post, "x-amz-credential"),
              "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
    EXPECT_EQ(core::from_base64(field(post, "policy")).value(), post.policy_document);
}

TEST(presigned_post, signature_is_hmac_of_the_base64_policy_with_the_signing_key) {
    const auto post = presign_post(make_signer(), example()).value();
    const auto key = sigv4::signing_key::derive(k_secret, "20130524", "us-east-1", "s3");
    EXPECT_EQ(field(post, "x-amz-signature"), key.signature(field(post, "policy")));
}

TEST(presigned_post, covers_fields_without_conditions_and_exact_keys) {
    post_request r = example();
    r.key = "exact.txt";
    r.conditions.clear();
    r.fields = {{"Content-Type", "image/png"}, {"success_action_status", "201"}};
    const auto post = presign_post(make_signer("TOKEN"), r).value();
    const std::string& doc = post.policy_document;
    EXPECT_NE(doc.find(R"({"Content-Type": "image/png"}, {"success_action_status": "201"}, )"
                       R"({"bucket": "examplebucket"}, {"key": "exact.txt"})"),
              std::string::npos)
        << doc;
    EXPECT_NE(doc.find(R"({"x-amz-security-token": "TOKEN"})"), std::string::npos);
    EXPECT_EQ(field(post, "x-amz-security-token"), "TOKEN");
}

TEST(presigned_post, expiration_is_now_plus_expiry) {
    post_request r = example();
    r.expires_seconds = 604800;
    const auto post = presign_post(make_signer(), r).value();
    EXPECT_TRUE(post.policy_document.starts_with(R"({"expiration": "2013-05-31T00:00:00Z")"));
}

TEST(presigned_post, refuses_bad_expiry_reserved_fields_and_empty_keys) {
    post_request r = example();
    r.expires_seconds = 0;
    EXPECT_EQ(presign_post(make_signer(), r).error().code, errc::signing);
    r = example();
    r.fields = {{"x-amz-signature", "forged"}};
    EXPECT_EQ(presign_post(make_signer(), r).error().code, errc::invalid_field);
    r = example();
    r.fields = {{"Policy", "x"}};
    EXPECT_EQ(presign_post(make_signer(), r).error().code, errc::invalid_field);
    r = example();
    r.key.clear();
    EXPECT_EQ(presign_post(make_signer(), r).error().code, errc::invalid_field);
}

TEST(presigned_post, path_style_url_has_no_trailing_slash) {
    sigv4::signer_options o;
    o.custom_endpoint = sigv4::parse_endpoint("http://127.0.0.1:9000").value();
    auto s = sigv4::signer::create({"AK", core::secret_string("SK"), ""}, o).value();
    EXPECT_EQ(presign_post(s, example()).value().url, "http://127.0.0.1:9000/examplebucket");
}

// boto3 (signature_version='s3') generate_presigned_post('examplebucket', 'k') at
// 2013-05-24T00:00:00Z, default 3600 s.
TEST(presigned_post, sigv2_matches_boto3_output) {
    auto s =
        sigv4::sigv2_signer::create({"AKIAIOSFODNN7EXAMPLE", core::secret_string(k_secret), ""}, {})
            .value();
    post_request r;
    r.bucket = "examplebucket";
    r.key = std::string(1, 'k');
    r.now = *core::parse_amz_date("20130524T000000Z");
    const auto post = presign_post_v2(s, r).value();
    EXPECT_EQ(field(post, "signature"), "QYLpKeEET2jQalGClSvDSQxYfOg=");
    EXPECT_EQ(field(post, "AWSAccessKeyId"), "AKIAIOSFODNN7EXAMPLE");
    EXPECT_TRUE(to_json(post).starts_with(
        R"({"url": "https://examplebucket.s3.amazonaws.com/", "fields": {"key": "k", )"))
        << to_json(post);
}

}  // namespace
}  // namespace presign::policy
