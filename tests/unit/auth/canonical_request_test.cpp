// The canonical request rebuilt from the bytes received, stage by stage, against AWS's
// published GET-with-Range example (tests/vectors/sigv4/aws-header-get-object-range).

#include "auth/canonical_request.hpp"

#include <gtest/gtest.h>

#include "support/files.hpp"

namespace presign::auth {
namespace {

TEST(canonical_uri, decodes_once_and_reencodes_keeping_slashes) {
    EXPECT_EQ(build_canonical_uri("/test.txt"), "/test.txt");
    EXPECT_EQ(build_canonical_uri("/test$file.text"), "/test%24file.text");
    EXPECT_EQ(build_canonical_uri("/test%24file.text"), "/test%24file.text");
    EXPECT_EQ(build_canonical_uri("/a%20b+c"), "/a%20b%2Bc");  // '+' is a plus in a path
    EXPECT_EQ(build_canonical_uri("/%E6%97%A5%e6%9c%ac"), "/%E6%97%A5%E6%9C%AC");
    EXPECT_EQ(build_canonical_uri("/a%2Fb"), "/a/b");
    EXPECT_EQ(build_canonical_uri("/100%2525"), "/100%2525");  // decoded once only
    EXPECT_EQ(build_canonical_uri("/%41%7e"), "/A~");          // unreserved: not escaped
    EXPECT_EQ(build_canonical_uri("/a%2fb%2F"), "/a/b/");
}

TEST(canonical_uri, does_not_normalise_the_path) {
    EXPECT_EQ(build_canonical_uri("//lead/../dots/./x//"), "//lead/../dots/./x//");
    EXPECT_EQ(build_canonical_uri("/"), "/");
}

TEST(canonical_uri, refuses_malformed_escapes) {
    for (std::string_view bad : {"/a%", "/a%2", "/a%zz"})
        EXPECT_FALSE(build_canonical_uri(bad)) << bad;
}

TEST(canonical_query, encodes_and_sorts_by_name_then_value) {
    const sigv4::query_param q[] = {{"prefix", "a b/c"}, {"max-keys", "2"}, {"acl", ""},
                                    {"b", "2"},          {"b", "1"},        {"~x", "é"}};
    std::string out;
    append_canonical_query(out, q, false);
    EXPECT_EQ(out, "acl=&b=1&b=2&max-keys=2&prefix=a%20b%2Fc&~x=%C3%A9");
}

TEST(canonical_query, leaves_out_x_amz_signature_for_query_auth_only) {
    const sigv4::query_param q[] = {{"X-Amz-Signature", "ab"}, {"X-Amz-Date", "d"}};
    std::string query_auth, header_auth;
    append_canonical_query(query_auth, q, true);
    append_canonical_query(header_auth, q, false);
    EXPECT_EQ(query_auth, "X-Amz-Date=d");
    EXPECT_EQ(header_auth, "X-Amz-Date=d&X-Amz-Signature=ab");
}

TEST(canonical_headers, joins_repeats_in_order_and_collapses_spaces) {
    const header_view h[] = {{"X-Amz-Meta-A", "one"},
                             {"Host", "examplebucket.s3.amazonaws.com"},
                             {"x-amz-meta-a", " two "},
                             {"x-amz-meta-b", "\tsp  aced\t value "},
                             {"User-Agent", "not signed"}};
    const std::vector<std::string> names{"host", "x-amz-meta-a", "x-amz-meta-b"};
    std::string out;
    EXPECT_EQ(append_canonical_headers(out, h, names), "");
    EXPECT_EQ(out,
              "host:examplebucket.s3.amazonaws.com\nx-amz-meta-a:one,two\n"
              "x-amz-meta-b:sp aced value\n");
}

TEST(canonical_headers, names_the_first_signed_header_missing) {
    const header_view h[] = {{"Host", "h"}, {"X-Amz-Date", "d"}};
    const std::vector<std::string> names{"host", "range", "x-amz-date", "x-amz-meta"};
    std::string out;
    EXPECT_EQ(append_canonical_headers(out, h, names), "range");
}

TEST(unsigned_headers, are_host_and_x_amz_headers_left_out_of_signed_headers) {
    const header_view h[] = {{"Host", "h"},
                             {"X-Amz-Acl", "public-read"},
                             {"x-amz-acl", "private"},
                             {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                             {"x-amz-date", "d"},
                             {"x-amzn-trace-id", "t"},
                             {"Content-Type", "text/plain"}};
    EXPECT_EQ(find_unsigned_headers(h, std::vector<std::string>{"x-amz-date"}),
              (std::vector<std::string>{"host", "x-amz-acl"}));
    EXPECT_TRUE(
        find_unsigned_headers(h, std::vector<std::string>{"host", "x-amz-acl", "x-amz-date"})
            .empty());
}

TEST(canonical_request, rebuilds_the_published_range_example) {
    const header_view h[] = {{"Host", "examplebucket.s3.amazonaws.com"},
                             {"Range", "bytes=0-9"},
                             {"x-amz-content-sha256",
                              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
                             {"x-amz-date", "20130524T000000Z"},
                             {"Authorization", "not part of it"}};
    signed_claim claim;
    claim.kind = auth_kind::header;
    claim.signed_headers = {"host", "range", "x-amz-content-sha256", "x-amz-date"};
    claim.payload_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const request_view req{"GET", "/test.txt", h};
    auto canonical = build_canonical_request(req, "/test.txt", {}, claim);
    ASSERT_TRUE(canonical) << canonical.error().message;
    EXPECT_EQ(*canonical,
              presign::test::slurp(presign::test::vectors_dir("sigv4") /
                                   "aws-header-get-object-range/canonical-request.txt"));
}

TEST(canonical_request, fails_on_an_absent_signed_header_or_bad_path) {
    const header_view h[] = {{"Host", "h"}};
    signed_claim claim;
    claim.signed_headers = {"host", "range"};
    const request_view req{"GET", "/k", h};
    EXPECT_EQ(build_canonical_request(req, "/k", {}, claim).error().code,
              errc::signature_does_not_match);
    claim.signed_headers = {"host"};
    EXPECT_EQ(build_canonical_request(req, "/k%", {}, claim).error().code, errc::invalid_uri);
}

}  // namespace
}  // namespace presign::auth
