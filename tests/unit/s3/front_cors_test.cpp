// Bucket CORS through the front: Put/Get/DeleteBucketCors, preflights (anonymous, before any
// auth), and the CORS headers on actual responses, errors and streamed uploads included.

#include "core/base64.hpp"
#include "core/digest.hpp"
#include "core/hex.hpp"
#include "front_fixture.hpp"

namespace presign::s3::test {
namespace {

constexpr std::string_view k_config =
    "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin>"
    "<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>"
    "<AllowedHeader>content-type</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
    "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>";

cors_rule open_rule() {
    cors_rule r;
    r.allowed_origins = {"*"};
    r.allowed_methods = {"GET", "PUT", "POST", "HEAD"};
    r.allowed_headers = {"*"};
    r.expose_headers = {"ETag", "Location"};
    r.max_age_seconds = 3000;
    return r;
}

std::string content_md5(std::string_view body) {
    const auto d = core::md5_of(body);
    return core::to_base64(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

class front_cors : public front_fixture {
  protected:
    http::response put_cors(std::string_view xml, bool with_md5 = true) {
        header_list extra;
        if (with_md5) extra.emplace_back("Content-MD5", content_md5(xml));
        return signed_request(request("PUT", "", {{"cors", ""}}), xml, extra);
    }
    http::response preflight(std::string target, header_list headers) {
        return anonymous("OPTIONS", std::move(target), std::move(headers));
    }
};

TEST_F(front_cors, put_get_delete_round_trip_and_missing_configuration_is_404) {
    expect_error(signed_request(request("GET", "", {{"cors", ""}})), 404,
                 "NoSuchCORSConfiguration");
    const http::response put = put_cors(k_config);
    ASSERT_EQ(put.status, 200u) << put.body;
    const http::response got = signed_request(request("GET", "", {{"cors", ""}}));
    ASSERT_EQ(got.status, 200u) << got.body;
    EXPECT_NE(got.body.find("<AllowedOrigin>https://app.example.com</AllowedOrigin>"),
              std::string::npos);
    EXPECT_NE(got.body.find("<MaxAgeSeconds>600</MaxAgeSeconds>"), std::string::npos);
    EXPECT_EQ(signed_request(request("DELETE", "", {{"cors", ""}})).status, 204u);
    EXPECT_EQ(signed_request(request("DELETE", "", {{"cors", ""}})).status, 204u);
    expect_error(signed_request(request("GET", "", {{"cors", ""}})), 404,
                 "NoSuchCORSConfiguration");
}

TEST_F(front_cors, put_needs_a_body_checksum_a_valid_document_and_at_most_64_kib) {
    expect_error(put_cors(k_config, false), 400, "InvalidRequest");
    expect_error(signed_request(request("PUT", "", {{"cors", ""}}), k_config,
                                {{"Content-MD5", content_md5("other")}}),
                 400, "BadDigest");
    expect_error(put_cors("<CORSConfiguration/>"), 400, "MalformedXML");
    expect_error(put_cors("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                          "<AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>"),
                 400, "InvalidRequest");
    const std::string huge(64 * 1024 + 1, ' ');
    expect_error(put_cors(huge), 400, "MaxMessageLengthExceeded");
    expect_error(signed_request(request("GET", "", {{"cors", ""}})), 404,
                 "NoSuchCORSConfiguration");
}

TEST_F(front_cors, preflights_without_origin_or_method_are_bad_requests) {
    expect_error(preflight("/key", {}), 400, "BadRequest");
    expect_error(preflight("/key", {{"Origin", "https://app.example.com"}}), 400, "BadRequest");
    expect_error(preflight("/key", {{"Access-Control-Request-Method", "PUT"}}), 400, "BadRequest");
}

TEST_F(front_cors, preflights_are_refused_without_rules_and_for_missing_buckets) {
    const header_list asks = {{"Origin", "https://app.example.com"},
                              {"Access-Control-Request-Method", "PUT"}};
    const http::response none = preflight("/key", asks);
    expect_error(none, 403, "AccessForbidden");
    EXPECT_NE(none.body.find("CORS is not enabled for this bucket."), std::string::npos);
    EXPECT_NE(none.body.find("<Method>PUT</Method><ResourceType>BUCKET</ResourceType>"),
              std::string::npos);
    EXPECT_EQ(header(none, "Access-Control-Allow-Origin"), "");
    const http::response missing =
        send("OPTIONS", "/key", {{"Host", "nobucket.s3.amazonaws.com"}, asks[0], asks[1]});
    expect_error(missing, 403, "AccessForbidden");
    EXPECT_NE(missing.body.find("CORSResponse: Bucket not found"), std::string::npos);
}

TEST_F(front_cors, a_preflight_matching_the_bucket_rule_gets_its_headers) {
    ASSERT_EQ(put_cors(k_config).status, 200u);
    const http::response ok =
        preflight("/photos/cat.jpg", {{"Origin", "https://app.example.com"},
                                      {"Access-Control-Request-Method", "PUT"},
                                      {"Access-Control-Request-Headers", "Content-Type"}});
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_TRUE(ok.body.empty());
    EXPECT_EQ(header(ok, "Access-Control-Allow-Origin"), "https://app.example.com");
    EXPECT_EQ(header(ok, "Access-Control-Allow-Methods"), "PUT, GET");
    EXPECT_EQ(header(ok, "Access-Control-Allow-Headers"), "content-type");
    EXPECT_EQ(header(ok, "Access-Control-Expose-Headers"), "ETag");
    EXPECT_EQ(header(ok, "Access-Control-Max-Age"), "600");
    EXPECT_EQ(header(ok, "Access-Control-Allow-Credentials"), "true");
    for (const header_list& refused : std::vector<header_list>{
             {{"Origin", "https://evil.example.com"}, {"Access-Control-Request-Method", "PUT"}},
             {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "DELETE"}},
             {{"Origin", "https://app.example.com"},
              {"Access-Control-Request-Method", "PUT"},
              {"Access-Control-Request-Headers", "x-amz-meta-secret"}}}) {
        const http::response no = preflight("/photos/cat.jpg", refused);
        expect_error(no, 403, "AccessForbidden");
        EXPECT_NE(no.body.find("<ResourceType>OBJECT</ResourceType>"), std::string::npos);
    }
}

TEST_F(front_cors, the_default_rule_serves_buckets_without_their_own_configuration) {
    start(open_rule());
    const http::response ok = preflight("/upload.bin", {{"Origin", "http://localhost:8080"},
                                                        {"Access-Control-Request-Method", "PUT"}});
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_EQ(header(ok, "Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(header(ok, "Access-Control-Expose-Headers"), "ETag, Location");
    EXPECT_EQ(header(ok, "Access-Control-Allow-Credentials"), "");
    // A bucket's own configuration replaces the default entirely.
    ASSERT_EQ(put_cors(k_config).status, 200u);
    expect_error(preflight("/upload.bin", {{"Origin", "http://localhost:8080"},
                                           {"Access-Control-Request-Method", "PUT"}}),
                 403, "AccessForbidden");
}

TEST_F(front_cors, actual_responses_carry_the_headers_errors_and_uploads_included) {
    start(open_rule());
    const header_list origin = {{"Origin", "http://localhost:8080"}};
    // An upload through a presigned URL: the headers come with the exchange's final answer.
    const http::response put = presigned_request(request("PUT", "up.bin"), "bytes", origin);
    ASSERT_EQ(put.status, 200u) << put.body;
    EXPECT_EQ(header(put, "Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(header(put, "Access-Control-Expose-Headers"), "ETag, Location");
    // An error: the browser may read it only with the headers.
    const http::response denied = anonymous("GET", "/up.bin", origin);
    expect_error(denied, 403, "AccessDenied");
    EXPECT_EQ(header(denied, "Access-Control-Allow-Origin"), "*");
    // No Origin, no CORS headers; a method the rule does not allow, none either.
    EXPECT_EQ(header(anonymous("GET", "/up.bin"), "Access-Control-Allow-Origin"), "");
    EXPECT_EQ(header(presigned_request(request("DELETE", "up.bin"), {}, origin),
                     "Access-Control-Allow-Origin"),
              "");
}

TEST_F(front_cors, a_changed_configuration_applies_to_the_next_request) {
    ASSERT_EQ(put_cors(k_config).status, 200u);
    const header_list from_app = {{"Origin", "https://app.example.com"}};
    put("k", "v");
    EXPECT_EQ(
        header(presigned_request(request("GET", "k"), {}, from_app), "Access-Control-Allow-Origin"),
        "https://app.example.com");
    const std::string other =
        "<CORSConfiguration><CORSRule><AllowedOrigin>https://other.example.com</AllowedOrigin>"
        "<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>";
    ASSERT_EQ(put_cors(other).status, 200u);
    EXPECT_EQ(
        header(presigned_request(request("GET", "k"), {}, from_app), "Access-Control-Allow-Origin"),
        "");
}

}  // namespace
}  // namespace presign::s3::test
