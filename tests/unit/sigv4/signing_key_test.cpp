#include "sigv4/signing_key.hpp"

#include <gtest/gtest.h>

#include "core/hex.hpp"

namespace presign::sigv4 {
namespace {

// AWS's published example of the derived signing key (IAM, 20120215, us-east-1).
TEST(signing_key, derives_the_published_example_key) {
    const auto key = signing_key::derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                         "us-east-1", "iam");
    EXPECT_EQ(core::to_hex(key.bytes()),
              "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(signing_key, cache_derives_once_per_scope) {
    signing_key_cache cache(core::secret_string("secret"));
    const auto a = cache.get("20240101", "us-east-1", "s3");
    const auto b = cache.get("20240101", "us-east-1", "s3");
    EXPECT_EQ(a.get(), b.get());
    const auto other_day = cache.get("20240102", "us-east-1", "s3");
    const auto other_region = cache.get("20240101", "eu-west-1", "s3");
    EXPECT_NE(a.get(), other_day.get());
    EXPECT_NE(a->bytes(), other_region->bytes());
    EXPECT_EQ(a->bytes(), signing_key::derive("secret", "20240101", "us-east-1", "s3").bytes());
}

TEST(signing_key, cache_stays_bounded_and_correct_past_its_size) {
    signing_key_cache cache(core::secret_string("secret"));
    for (int day = 1; day <= 28; ++day) {
        const std::string date = "202402" + std::string(day < 10 ? "0" : "") + std::to_string(day);
        EXPECT_EQ(cache.get(date, "us-east-1", "s3")->bytes(),
                  signing_key::derive("secret", date, "us-east-1", "s3").bytes());
    }
}

}  // namespace
}  // namespace presign::sigv4
