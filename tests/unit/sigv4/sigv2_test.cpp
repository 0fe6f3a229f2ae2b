#include "sigv4/sigv2.hpp"

#include <gtest/gtest.h>

namespace presign::sigv4 {
namespace {

constexpr const char* k_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

request puppy() {
    request r;
    r.bucket = "johnsmith";
    r.key = "photos/puppy.jpg";
    return r;
}

// AWS's SigV2 header-auth example (GET /photos/puppy.jpg).
TEST(sigv2, signs_the_published_object_get_example) {
    const std::string sts = build_sigv2_string_to_sign(puppy(), "Tue, 27 Mar 2007 19:36:42 +0000");
    EXPECT_EQ(sts, "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg");
    EXPECT_EQ(sigv2_signature(k_secret, sts), "bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
}

// AWS's SigV2 query-auth example: Expires=1175139620.
TEST(sigv2, presigns_the_published_query_example) {
    auto signer =
        sigv2_signer::create({"AKIAIOSFODNN7EXAMPLE", core::secret_string(k_secret), ""}, {});
    ASSERT_TRUE(signer);
    request r = puppy();
    r.now = core::time_point{std::chrono::seconds(1175139620 - 3600)};
    auto url = signer->presign_url(r, 3600);
    ASSERT_TRUE(url);
    EXPECT_EQ(
        *url,
        "https://johnsmith.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
        "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620");
}

TEST(sigv2, resource_includes_sorted_sub_resources_only) {
    request r = puppy();
    r.query = {{"uploadId", "abc"}, {"partNumber", "2"}, {"prefix", "ignored"}, {"acl", ""}};
    EXPECT_EQ(build_sigv2_resource(r), "/johnsmith/photos/puppy.jpg?acl&partNumber=2&uploadId=abc");
}

TEST(sigv2, amz_headers_are_canonicalised_and_token_signed) {
    request r = puppy();
    r.method = "PUT";
    r.headers = {{"Content-Type", "image/jpeg"},
                 {"X-Amz-Meta-B", " b "},
                 {"x-amz-acl", "private"},
                 {"Content-MD5", "abc=="}};
    EXPECT_EQ(build_sigv2_string_to_sign(r, "1175139620", "TOKEN"),
              "PUT\nabc==\nimage/jpeg\n1175139620\nx-amz-acl:private\nx-amz-meta-b:b\n"
              "x-amz-security-token:TOKEN\n/johnsmith/photos/puppy.jpg");
}

TEST(sigv2, rejects_bad_expiry) {
    auto signer = sigv2_signer::create({"AK", core::secret_string("SK"), ""}, {});
    EXPECT_EQ(signer->presign_url(puppy(), 0).error().code, errc::invalid_expiry);
    EXPECT_EQ(signer->presign_url(puppy(), 604801).error().code, errc::invalid_expiry);
}

}  // namespace
}  // namespace presign::sigv4
