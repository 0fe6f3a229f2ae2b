// SigV2 header, query and POST-form auth: AWS's published SigV2 examples, and requests signed
// by presign's own sigv2_signer then altered the ways a client or attacker could.

#include <gtest/gtest.h>

#include "auth/verifier.hpp"
#include "auth_fixture.hpp"
#include "core/base64.hpp"
#include "policy/presigned_post.hpp"
#include "sigv4/sigv2.hpp"

namespace presign::auth::test {
namespace {

core::time_point at_epoch(std::int64_t seconds) {
    return core::time_point(std::chrono::seconds(seconds));
}

// AWS's "Object GET" example: virtual-hosted johnsmith, signed 2007-03-27 19:36:42 UTC.
raw_request aws_header_example() {
    raw_request r;
    r.method = "GET";
    r.target = "/photos/puppy.jpg";
    r.headers = {{"Host", "johnsmith.s3.amazonaws.com"},
                 {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                 {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="}};
    r.host_bucket = "johnsmith";
    return r;
}
const core::time_point k_example_time = at_epoch(1175024202);  // 2007-03-27T19:36:42Z

// AWS's query string example, Expires 1175139620.
raw_request aws_query_example() {
    raw_request r = from_url("GET",
                             "https://johnsmith.s3.amazonaws.com/photos/puppy.jpg"
                             "?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                             "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620");
    r.host_bucket = "johnsmith";
    return r;
}

sigv4::sigv2_signer make_v2_signer() {
    sigv4::signer_options o;
    o.custom_endpoint = sigv4::parse_endpoint("http://127.0.0.1:9000").value();
    return sigv4::sigv2_signer::create(
               {std::string(k_access_key), core::secret_string(std::string(k_secret)), ""}, o)
        .value();
}

TEST(sigv2_auth, accepts_aws_published_header_example) {
    raw_request r = aws_header_example();
    auto v = make_verifier().verify(r.view(), k_example_time + std::chrono::minutes(3));
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->signature_version(), 2);
    EXPECT_EQ(v->kind(), auth_kind::header);
    EXPECT_EQ(v->access_key_id(), k_access_key);
    EXPECT_EQ(v->payload(), payload_mode::unsigned_payload);
    EXPECT_FALSE(v->signing_key());
}

TEST(sigv2_auth, the_resource_includes_the_bucket_whatever_the_addressing) {
    raw_request path_style = aws_header_example();
    path_style.host_bucket.clear();
    path_style.target = "/johnsmith/photos/puppy.jpg";
    EXPECT_EQ(verify_error(path_style, k_example_time), std::nullopt);
    raw_request no_bucket = aws_header_example();
    no_bucket.host_bucket.clear();
    EXPECT_EQ(verify_error(no_bucket, k_example_time), errc::signature_does_not_match);
}

TEST(sigv2_auth, a_bucket_level_path_may_be_signed_with_or_without_its_trailing_slash) {
    const std::string date = "Tue, 27 Mar 2007 19:36:42 GMT";
    for (const char* signed_resource : {"/johnsmith", "/johnsmith/"}) {
        raw_request r;
        r.method = "PUT";
        r.target = "/johnsmith";
        const std::string sig =
            sigv4::sigv2_signature(k_secret, "PUT\n\n\n" + date + "\n" + signed_resource);
        r.headers = {{"Host", "127.0.0.1:9000"},
                     {"Date", date},
                     {"Authorization", "AWS " + std::string(k_access_key) + ":" + sig}};
        EXPECT_EQ(verify_error(r, k_example_time), std::nullopt) << signed_resource;
        r.target = "/johnsmith/";  // the other way round is a different key-level path
        if (std::string_view(signed_resource) == "/johnsmith") {
            EXPECT_EQ(verify_error(r, k_example_time), errc::signature_does_not_match);
        }
    }
}

TEST(sigv2_auth, method_path_and_date_are_bound) {
    raw_request method = aws_header_example();
    method.method = "DELETE";
    EXPECT_EQ(verify_error(method, k_example_time), errc::signature_does_not_match);
    raw_request path = aws_header_example();
    path.target = "/photos/kitten.jpg";
    EXPECT_EQ(verify_error(path, k_example_time), errc::signature_does_not_match);
    raw_request date = aws_header_example();
    date.set_header("Date", "Tue, 27 Mar 2007 19:36:43 +0000");
    EXPECT_EQ(verify_error(date, k_example_time), errc::signature_does_not_match);
}

TEST(sigv2_auth, header_auth_outside_fifteen_minutes_is_too_skewed) {
    raw_request r = aws_header_example();
    EXPECT_EQ(verify_error(r, k_example_time + std::chrono::minutes(14)), std::nullopt);
    EXPECT_EQ(verify_error(r, k_example_time + std::chrono::minutes(16)),
              errc::request_time_too_skewed);
    EXPECT_EQ(verify_error(r, k_example_time - std::chrono::minutes(16)),
              errc::request_time_too_skewed);
}

TEST(sigv2_auth, header_auth_needs_a_date_and_a_well_formed_header) {
    raw_request no_date = aws_header_example();
    no_date.remove_header("Date");
    EXPECT_EQ(verify_error(no_date, k_example_time), errc::access_denied);
    for (const char* bad : {"AWS AKIAIOSFODNN7EXAMPLE", "AWS :sig", "AWS AKID:", "AWSAKID:sig"}) {
        raw_request r = aws_header_example();
        r.set_header("Authorization", bad);
        EXPECT_EQ(verify_error(r, k_example_time), errc::invalid_argument) << bad;
    }
}

TEST(sigv2_auth, accepts_aws_published_query_example_until_it_expires) {
    raw_request r = aws_query_example();
    auto v = make_verifier().verify(r.view(), at_epoch(1175139620 - 60));
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->kind(), auth_kind::query);
    EXPECT_EQ(v->expires_at(), at_epoch(1175139620));
    auto late = make_verifier().verify(r.view(), at_epoch(1175139621));
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, errc::expired);
    EXPECT_EQ(late.error().message, "Request has expired");
}

TEST(sigv2_auth, query_auth_expiring_beyond_a_week_is_refused) {
    raw_request r = aws_query_example();
    EXPECT_EQ(verify_error(r, at_epoch(1175139620 - 604800 - 16 * 60)),
              errc::authorization_query_parameters_error);
}

TEST(sigv2_auth, query_auth_needs_all_three_parameters_once) {
    raw_request missing = from_url("GET",
                                   "http://h/b/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                                   "&Signature=abc");
    EXPECT_EQ(verify_error(missing, k_example_time), errc::access_denied);
    raw_request bad_expires = from_url("GET",
                                       "http://h/b/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                                       "&Signature=abc&Expires=soon");
    EXPECT_EQ(verify_error(bad_expires, k_example_time), errc::access_denied);
    raw_request twice = aws_query_example();
    twice.target += "&Expires=1175139620";
    EXPECT_EQ(verify_error(twice, k_example_time), errc::invalid_argument);
}

TEST(sigv2_auth, an_unknown_key_is_invalid_access_key_id) {
    raw_request r = aws_query_example();
    r.target.replace(r.target.find("AKIAIOSFODNN7EXAMPLE"), 20, "AKIAUNKNOWNKEY000000");
    EXPECT_EQ(verify_error(r, k_example_time), errc::invalid_access_key_id);
}

TEST(sigv2_auth, presign_urls_round_trip_with_signed_headers_moved_into_the_query) {
    sigv4::request req;
    req.method = "PUT";
    req.bucket = "uploads";
    req.key = "a b/c.txt";
    req.headers = {{"Content-Type", "text/plain"}, {"x-amz-meta-owner", "alice"}};
    req.now = signing_time();
    raw_request r = from_url("PUT", make_v2_signer().presign_url(req, 600).value());
    EXPECT_EQ(verify_error(r, signing_time()), std::nullopt);
    // The same values sent as headers too change nothing; other values do.
    r.headers.emplace_back("Content-Type", "text/plain");
    EXPECT_EQ(verify_error(r, signing_time()), std::nullopt);
    raw_request tampered = r;
    tampered.target.replace(tampered.target.find("alice"), 5, "mallo");
    EXPECT_EQ(verify_error(tampered, signing_time()), errc::signature_does_not_match);
}

TEST(sigv2_auth, sub_resources_are_signed_and_other_parameters_are_not) {
    sigv4::request req;
    req.bucket = "uploads";
    req.key = "k";
    req.query = {{"response-content-type", "text/html"}};
    req.now = signing_time();
    raw_request r = from_url("GET", make_v2_signer().presign_url(req, 600).value());
    EXPECT_EQ(verify_error(r, signing_time()), std::nullopt);
    raw_request changed = r;
    changed.target.replace(changed.target.find("text%2Fhtml"), 11, "text%2Fjson");
    EXPECT_EQ(verify_error(changed, signing_time()), errc::signature_does_not_match);
    raw_request extra = r;
    extra.target += "&x-id=GetObject";  // not a sub-resource: SigV2 does not sign it
    EXPECT_EQ(verify_error(extra, signing_time()), std::nullopt);
}

TEST(sigv2_auth, post_forms_signed_with_sigv2_verify_and_keep_the_policy_strict) {
    policy::post_request req;
    req.bucket = "examplebucket";
    req.key = "uploads/${filename}";
    req.conditions = {policy::condition::length_range(1, 100)};
    req.now = signing_time();
    auto post = policy::presign_post_v2(make_v2_signer(), req);
    ASSERT_TRUE(post) << post.error().message;
    std::vector<policy::form_field> fields;
    for (auto& [name, value] : post->fields) fields.push_back({name, value});
    const verifier v = make_verifier();
    auto proof = v.verify_post_form({"examplebucket", fields, "cat.jpg"}, signing_time());
    ASSERT_TRUE(proof) << proof.error().message;
    EXPECT_EQ(proof->key(), "uploads/cat.jpg");
    EXPECT_EQ(proof->request().signature_version(), 2);
    EXPECT_EQ(proof->sizes().max, 100u);

    auto forged = fields;
    for (auto& f : forged)
        if (f.name == "signature") f.value = core::to_base64(std::string(20, 'x'));
    auto refused = v.verify_post_form({"examplebucket", forged, "cat.jpg"}, signing_time());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::signature_does_not_match);

    auto uncovered = fields;
    uncovered.push_back({"x-amz-meta-extra", "1"});
    auto strict = v.verify_post_form({"examplebucket", uncovered, "cat.jpg"}, signing_time());
    ASSERT_FALSE(strict);
    EXPECT_EQ(strict.error().code, errc::access_denied);
}

}  // namespace
}  // namespace presign::auth::test
