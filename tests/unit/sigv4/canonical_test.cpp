#include "sigv4/canonical.hpp"

#include <gtest/gtest.h>

namespace presign::sigv4 {
namespace {

TEST(canonical, query_is_encoded_once_and_sorted_by_name_then_value) {
    const std::vector<query_param> params{{"prefix", "a b/c"}, {"list-type", "2"},
                                          {"X-Amz-Date", "x"}, {"a", "2"},
                                          {"a", "1"},          {"uploads", ""}};
    EXPECT_EQ(build_canonical_query(params),
              "X-Amz-Date=x&a=1&a=2&list-type=2&prefix=a%20b%2Fc&uploads=");
}

TEST(canonical, headers_are_lowercased_trimmed_collapsed_and_joined) {
    const std::vector<pair_view> in{{"X-Amz-Meta-B", "  two   words "},
                                    {"Host", "h"},
                                    {"x-amz-meta-a", "1"},
                                    {"X-AMZ-META-A", "\t2\t"}};
    std::vector<canonical_header> out;
    canonicalize_headers(out, in);
    std::string headers, names;
    append_canonical_headers(headers, out);
    append_signed_headers(names, out);
    EXPECT_EQ(headers, "host:h\nx-amz-meta-a:1,2\nx-amz-meta-b:two words\n");
    EXPECT_EQ(names, "host;x-amz-meta-a;x-amz-meta-b");
}

TEST(canonical, reuses_output_storage_between_calls) {
    std::vector<canonical_header> out;
    const std::vector<pair_view> many{{"a", "1"}, {"b", "2"}, {"c", "3"}};
    canonicalize_headers(out, many);
    const std::vector<pair_view> one{{"z", "9"}};
    canonicalize_headers(out, one);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].name, "z");
    EXPECT_EQ(out[0].value, "9");
}

TEST(canonical, builds_request_and_string_to_sign_per_the_spec) {
    const std::string cr =
        build_canonical_request({"GET", "/test.txt", "", "host:examplebucket.s3.amazonaws.com\n",
                                 "host", k_unsigned_payload});
    EXPECT_EQ(cr,
              "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD");
    const std::string scope = build_credential_scope("20130524", "us-east-1", "s3");
    EXPECT_EQ(scope, "20130524/us-east-1/s3/aws4_request");
    const std::string sts = build_string_to_sign("20130524T000000Z", scope, "");
    EXPECT_EQ(sts, "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" +
                       std::string(k_empty_payload_sha256));
}

TEST(canonical, header_names_must_be_tokens) {
    EXPECT_TRUE(is_token("x-amz-meta-foo"));
    EXPECT_TRUE(is_token("Content-MD5"));
    EXPECT_FALSE(is_token(""));
    EXPECT_FALSE(is_token("bad name"));
    EXPECT_FALSE(is_token("bad:name"));
}

}  // namespace
}  // namespace presign::sigv4
