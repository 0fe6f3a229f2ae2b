#include "sigv4/endpoint.hpp"

#include <gtest/gtest.h>

namespace presign::sigv4 {
namespace {

TEST(endpoint, parses_scheme_host_and_port) {
    auto ep = parse_endpoint("HTTP://LocalHost:9000/");
    ASSERT_TRUE(ep);
    EXPECT_EQ(ep->scheme, "http");
    EXPECT_EQ(ep->host, "localhost");
    EXPECT_EQ(ep->port, 9000);
    EXPECT_EQ(ep->authority(), "localhost:9000");
}

TEST(endpoint, omits_default_ports_from_the_authority) {
    EXPECT_EQ(parse_endpoint("https://s3.example.com:443")->authority(), "s3.example.com");
    EXPECT_EQ(parse_endpoint("http://s3.example.com:80")->authority(), "s3.example.com");
    EXPECT_EQ(parse_endpoint("https://s3.example.com:80")->authority(), "s3.example.com:80");
    EXPECT_EQ(parse_endpoint("http://[::1]:9000")->authority(), "[::1]:9000");
}

TEST(endpoint, rejects_what_it_cannot_sign_for) {
    for (const char* bad : {"localhost:9000", "ftp://host", "http://", "http://host:0",
                            "http://host:65536", "http://host:port", "http://host/prefix",
                            "http://user@host", "http://host?x=1", "http://ho st"}) {
        auto ep = parse_endpoint(bad);
        ASSERT_FALSE(ep) << bad;
        EXPECT_EQ(ep.error().code, errc::invalid_endpoint);
    }
}

TEST(endpoint, aws_default_is_virtual_hosted_for_dns_buckets) {
    auto loc = locate_bucket(std::nullopt, "us-east-1", "examplebucket", addressing::automatic);
    ASSERT_TRUE(loc);
    EXPECT_EQ(loc->authority, "examplebucket.s3.amazonaws.com");
    EXPECT_EQ(loc->path_prefix, "");
    loc = locate_bucket(std::nullopt, "eu-west-1", "examplebucket", addressing::automatic);
    EXPECT_EQ(loc->authority, "examplebucket.s3.eu-west-1.amazonaws.com");
    loc = locate_bucket(std::nullopt, "cn-north-1", "examplebucket", addressing::automatic);
    EXPECT_EQ(loc->authority, "examplebucket.s3.cn-north-1.amazonaws.com.cn");
}

TEST(endpoint, aws_default_falls_back_to_path_style_for_dotted_or_invalid_buckets) {
    for (const char* bucket : {"my.bucket", "Upper", "ab", "under_score", "192.168.1.1"}) {
        auto loc = locate_bucket(std::nullopt, "eu-west-1", bucket, addressing::automatic);
        ASSERT_TRUE(loc) << bucket;
        EXPECT_EQ(loc->authority, "s3.eu-west-1.amazonaws.com") << bucket;
        EXPECT_EQ(loc->path_prefix, std::string("/").append(bucket));
    }
}

TEST(endpoint, custom_endpoints_are_path_style_unless_virtual_is_asked) {
    const auto ep = parse_endpoint("http://127.0.0.1:9000").value();
    auto loc = locate_bucket(ep, "us-east-1", "uploads", addressing::automatic);
    EXPECT_EQ(loc->scheme, "http");
    EXPECT_EQ(loc->authority, "127.0.0.1:9000");
    EXPECT_EQ(loc->path_prefix, "/uploads");
    const auto named = parse_endpoint("https://s3.example.com:8443").value();
    loc = locate_bucket(named, "us-east-1", "uploads", addressing::virtual_hosted);
    EXPECT_EQ(loc->authority, "uploads.s3.example.com:8443");
}

TEST(endpoint, forced_virtual_hosting_refuses_non_dns_buckets) {
    auto loc = locate_bucket(std::nullopt, "us-east-1", "Bad_Bucket", addressing::virtual_hosted);
    ASSERT_FALSE(loc);
    EXPECT_EQ(loc.error().code, errc::invalid_bucket);
    EXPECT_FALSE(locate_bucket(std::nullopt, "us-east-1", "", addressing::path));
    EXPECT_FALSE(locate_bucket(std::nullopt, "us-east-1", "a/b", addressing::path));
}

TEST(endpoint, validates_regions) {
    EXPECT_TRUE(is_valid_region("us-east-1"));
    EXPECT_FALSE(is_valid_region(""));
    EXPECT_FALSE(is_valid_region("US-EAST-1"));
    EXPECT_FALSE(is_valid_region("us/east"));
}

}  // namespace
}  // namespace presign::sigv4
