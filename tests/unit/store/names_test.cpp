#include "store/names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace presign::store {
namespace {

TEST(store_names, accepts_ordinary_bucket_names) {
    for (const char* name : {"abc", "my-bucket", "my.bucket.name", "a1b2c3", "123"})
        EXPECT_TRUE(validate_bucket_name(name)) << name;
    EXPECT_TRUE(validate_bucket_name(std::string(63, 'b')));
}

TEST(store_names, refuses_bucket_names_against_s3_rules) {
    using namespace std::string_literals;
    for (const std::string& name : std::vector<std::string>{""s,
                                                            "ab"s,
                                                            std::string(64, 'b'),
                                                            "bucket\0x"s,
                                                            "MyBucket"s,
                                                            "my_bucket",
                                                            "-bucket",
                                                            "bucket-",
                                                            ".bucket",
                                                            "bucket.",
                                                            "my..bucket",
                                                            "192.168.5.4",
                                                            "1.2.3.4",
                                                            "xn--bucket",
                                                            "bucket-s3alias",
                                                            "bucket--ol-s3",
                                                            "sthree-bucket",
                                                            "bucket.mrap",
                                                            "bucket--x-s3",
                                                            "../etc",
                                                            "a/b",
                                                            "a b",
                                                            "buck\xc3\xa9t"}) {
        const auto r = validate_bucket_name(name);
        ASSERT_FALSE(r) << name;
        EXPECT_EQ(r.error().code, errc::invalid_bucket_name) << name;
    }
}

TEST(store_names, ip_like_means_four_numeric_labels) {
    EXPECT_TRUE(validate_bucket_name("1.2.3"));
    EXPECT_TRUE(validate_bucket_name("1.2.3.4.5"));
    EXPECT_TRUE(validate_bucket_name("1.2.3.a"));
    EXPECT_FALSE(validate_bucket_name("999.999.999.999"));
}

TEST(store_names, accepts_keys_that_look_like_paths) {
    for (const char* key : {"a", "../../etc/passwd", "a//b", "dir/", "/leading", ".", "..",
                            "caf\xc3\xa9/\xf0\x9f\x98\x80", "tab\there", "%2e%2e/"}) {
        EXPECT_TRUE(validate_key(key)) << key;
    }
    EXPECT_TRUE(validate_key(std::string(1024, 'k')));
}

TEST(store_names, refuses_empty_long_nul_and_non_utf8_keys) {
    using namespace std::string_literals;
    for (const std::string& key : {""s, std::string(1025, 'k'), "a\0b"s, "\xff"s, "\xc3"s,
                                   "\xc0\xaf"s, "\xed\xa0\x80"s, "\xf4\x90\x80\x80"s}) {
        const auto r = validate_key(key);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, errc::invalid_key);
    }
}

TEST(store_names, utf8_validation_follows_rfc3629) {
    EXPECT_TRUE(is_valid_utf8("\xe0\xa0\x80"));       // U+0800, smallest 3-byte
    EXPECT_FALSE(is_valid_utf8("\xe0\x9f\xbf"));      // overlong U+07FF
    EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));   // U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xf0\x8f\xbf\xbf"));  // overlong
    EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));       // U+D7FF, just below surrogates
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}

}  // namespace
}  // namespace presign::store
