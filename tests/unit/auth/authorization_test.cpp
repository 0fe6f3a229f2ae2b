// The syntax of the Authorization header, credentials and SignedHeaders lists, and the
// credential scope check.

#include "auth/authorization.hpp"

#include <gtest/gtest.h>

#include "auth_fixture.hpp"

namespace presign::auth {
namespace {

constexpr std::string_view k_example =
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
    "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
    "Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";

TEST(parse_authorization, splits_the_published_example) {
    auto f = parse_authorization(k_example);
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->credential, "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
    EXPECT_EQ(f->signed_headers, "host;range;x-amz-content-sha256;x-amz-date");
    EXPECT_EQ(f->signature, "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024");
}

TEST(parse_authorization, tolerates_separator_variants_and_any_order) {
    for (std::string_view v : {
             "AWS4-HMAC-SHA256 "
             "Credential=A/20130524/r/s3/aws4_request,SignedHeaders=host,Signature=ab",
             "AWS4-HMAC-SHA256  Credential=A/20130524/r/s3/aws4_request , SignedHeaders=host "
             ",Signature=ab ",
             "AWS4-HMAC-SHA256\tCredential=A/20130524/r/s3/"
             "aws4_request,\tSignedHeaders=host,\tSignature=ab",
             "AWS4-HMAC-SHA256 Signature=ab, Credential=A/20130524/r/s3/aws4_request, "
             "SignedHeaders=host",
         }) {
        auto f = parse_authorization(v);
        ASSERT_TRUE(f) << v << ": " << f.error().message;
        EXPECT_EQ(f->credential, "A/20130524/r/s3/aws4_request") << v;
        EXPECT_EQ(f->signed_headers, "host") << v;
        EXPECT_EQ(f->signature, "ab") << v;
    }
}

TEST(parse_authorization, calls_other_schemes_unsupported) {
    for (std::string_view v : {"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
                               "AWS4-ECDSA-P256-SHA256 Credential=A/20130524/s3/aws4_request, "
                               "SignedHeaders=host, Signature=ab",
                               "Bearer abc", "aws4-hmac-sha256 Credential=x", "",
                               "AWS4-HMAC-SHA256,Credential=A/20130524/r/s3/aws4_request"}) {
        auto f = parse_authorization(v);
        ASSERT_FALSE(f) << v;
        EXPECT_EQ(f.error().code, errc::invalid_argument) << v;
        EXPECT_EQ(f.error().message, "Unsupported Authorization Type");
    }
}

// A table of broken headers: every one must be refused as malformed, none may crash (the
// sanitizer build checks the latter).
TEST(parse_authorization, refuses_broken_headers_as_malformed) {
    const std::string_view broken[] = {
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 ",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request, SignedHeaders=host, "
        "Signature=ab,",
        "AWS4-HMAC-SHA256 ,Credential=A/20130524/r/s3/aws4_request, SignedHeaders=host, "
        "Signature=ab",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request,, SignedHeaders=host, "
        "Signature=ab",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request, "
        "Credential=B/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request, SignedHeaders=host, "
        "Signature=ab, Signature=cd",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request, SignedHeaders=host, "
        "Signature=ab, Extra=1",
        "AWS4-HMAC-SHA256 Credential A/20130524/r/s3/aws4_request, SignedHeaders=host, "
        "Signature=ab",
        "AWS4-HMAC-SHA256 =x, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 credential=A/20130524/r/s3/aws4_request, SignedHeaders=host, "
        "Signature=ab",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request; SignedHeaders=host; "
        "Signature=ab",
        "AWS4-HMAC-SHA256 ,,,,",
        "AWS4-HMAC-SHA256 ====",
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request SignedHeaders=host Signature=ab",
        std::string_view("AWS4-HMAC-SHA256 Credential=\0, SignedHeaders=\0, Signature=\0", 58),
    };
    const verifier verifier = test::make_verifier();
    test::raw_request r = test::header_signed(test::example_request());
    for (std::string_view v : broken) {
        auto f = parse_authorization(v);
        ASSERT_FALSE(f) << v;
        EXPECT_EQ(f.error().code, errc::authorization_header_malformed) << v;
        EXPECT_TRUE(f.error().message.starts_with("The authorization header is malformed; ")) << v;
        // The same through the whole verifier, in an otherwise valid request.
        r.set_header("Authorization", std::string(v));
        auto result = verifier.verify(r.view(), test::signing_time());
        ASSERT_FALSE(result) << v;
        EXPECT_EQ(result.error().code, errc::authorization_header_malformed) << v;
    }
}

TEST(parse_authorization, never_echoes_a_signature_in_its_message) {
    auto f = parse_authorization(
        "AWS4-HMAC-SHA256 Credential=A/20130524/r/s3/aws4_request, SignedHeaders=host, "
        "Signature=secretish, Signature=secretish2");
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().message.find("secretish"), std::string::npos) << f.error().message;
}

TEST(parse_credential, splits_five_parts) {
    auto c = parse_credential("AKID/20130524/us-east-1/s3/aws4_request", auth_kind::header);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->access_key_id, "AKID");
    EXPECT_EQ(c->date, "20130524");
    EXPECT_EQ(c->region, "us-east-1");
    EXPECT_EQ(c->service, "s3");
    EXPECT_EQ(c->terminator, "aws4_request");
}

TEST(parse_credential, refuses_malformed_credentials_with_the_kinds_error) {
    for (std::string_view v :
         {"", "AKID", "AKID/20130524/us-east-1/s3", "/20130524/us-east-1/s3/aws4_request",
          "AKID//us-east-1/s3/aws4_request", "AKID/20130524//s3/aws4_request",
          "AKID/20130524/us-east-1/s3/aws4_request/", "AKID/2013052/us-east-1/s3/aws4_request",
          "AKID/20130532/us-east-1/s3/aws4_request", "AKID/2013O524/us-east-1/s3/aws4_request",
          "AKID/20130524/us-east-1//aws4_request", "AKID/20130524/us-east-1/s3/"}) {
        auto h = parse_credential(v, auth_kind::header);
        ASSERT_FALSE(h) << v;
        EXPECT_EQ(h.error().code, errc::authorization_header_malformed) << v;
        EXPECT_EQ(h.error().message,
                  "The authorization header is malformed; the Credential is mal-formed; "
                  "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        auto q = parse_credential(v, auth_kind::query);
        ASSERT_FALSE(q) << v;
        EXPECT_EQ(q.error().code, errc::authorization_query_parameters_error) << v;
        EXPECT_TRUE(
            q.error().message.starts_with("Error parsing the X-Amz-Credential parameter; "));
    }
}

TEST(parse_signed_headers, accepts_lower_case_ascending_tokens) {
    auto n = parse_signed_headers("content-type;host;x-amz-date", auth_kind::header);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
    EXPECT_TRUE(parse_signed_headers("", auth_kind::query)->empty());
}

TEST(parse_signed_headers, refuses_unsorted_repeated_upper_case_or_empty_names) {
    for (std::string_view v : {"host;content-type", "host;host", "Host", "host;", ";host",
                               "host;;x-amz-date", "ho st", "host;x(y)"}) {
        EXPECT_EQ(parse_signed_headers(v, auth_kind::header).error().code,
                  errc::authorization_header_malformed)
            << v;
        EXPECT_EQ(parse_signed_headers(v, auth_kind::query).error().code,
                  errc::authorization_query_parameters_error)
            << v;
    }
}

TEST(check_scope, accepts_this_servers_scope_on_the_requests_date) {
    const credential c{"AKID", "20130524", "us-east-1", "s3", "aws4_request"};
    EXPECT_TRUE(check_scope(c, "20130524T235959Z", auth_kind::header, "us-east-1", "s3"));
}

TEST(check_scope, refuses_another_region_service_terminator_or_date) {
    const credential good{"AKID", "20130524", "us-east-1", "s3", "aws4_request"};
    credential region = good, service = good, terminator = good;
    region.region = "eu-west-1";
    service.service = "iam";
    terminator.terminator = "aws5_request";
    for (const credential& c : {region, service, terminator})
        EXPECT_EQ(
            check_scope(c, "20130524T000000Z", auth_kind::header, "us-east-1", "s3").error().code,
            errc::authorization_header_malformed);
    auto date = check_scope(good, "20130525T000000Z", auth_kind::query, "us-east-1", "s3");
    ASSERT_FALSE(date);
    EXPECT_EQ(date.error().code, errc::authorization_query_parameters_error);
    EXPECT_EQ(date.error().message,
              "Error parsing the X-Amz-Credential parameter; Invalid credential date "
              "\"20130524\". This date is not the same as X-Amz-Date: \"20130525\".");
}

// The broken headers again, through the whole verifier with an otherwise valid request:
// always a 4xx-type refusal, never success, never a crash.
TEST(verify, refuses_fuzzed_authorization_headers) {
    test::raw_request base = test::header_signed(test::example_request());
    const std::string good = *base.header("authorization");
    std::vector<std::string> variants;
    for (std::size_t cut = 0; cut < good.size(); cut += 7) variants.push_back(good.substr(0, cut));
    for (std::size_t at = 0; at < good.size(); at += 5) {
        for (char c : {',', '=', '/', ';', 'x', '\0'}) {  // whitespace may be a valid variant
            std::string v = good;
            v[at] = c;
            variants.push_back(v);
        }
    }
    const verifier verifier = test::make_verifier();
    for (const std::string& v : variants) {
        test::raw_request r = base;
        r.set_header("Authorization", v);
        auto result = verifier.verify(r.view(), test::signing_time());
        if (v == good) continue;
        EXPECT_FALSE(result) << v;
    }
}

}  // namespace
}  // namespace presign::auth
