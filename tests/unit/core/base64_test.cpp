#include "core/base64.hpp"

#include <gtest/gtest.h>

namespace presign::core {
namespace {

TEST(base64, encodes_rfc4648_vectors) {
    EXPECT_EQ(to_base64(""), "");
    EXPECT_EQ(to_base64("f"), "Zg==");
    EXPECT_EQ(to_base64("fo"), "Zm8=");
    EXPECT_EQ(to_base64("foo"), "Zm9v");
    EXPECT_EQ(to_base64("foob"), "Zm9vYg==");
    EXPECT_EQ(to_base64("fooba"), "Zm9vYmE=");
    EXPECT_EQ(to_base64("foobar"), "Zm9vYmFy");
}

TEST(base64, round_trips_every_byte_value) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t n = 0; n <= all.size(); n += 17) {
        const auto decoded = from_base64(to_base64(all.substr(0, n)));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(*decoded, all.substr(0, n));
    }
}

// Every length up to 40 crosses the 6-byte and 3-byte steps of the encoder and each tail.
TEST(base64, encodes_every_length_up_to_forty) {
    std::string text;
    for (int n = 0; n <= 40; ++n) {
        if (n % 6 == 0) {
            std::string expected;
            for (int k = 0; k < n / 6; ++k) expected += "Zm9vYmFy";
            EXPECT_EQ(to_base64(text), expected) << n;
        }
        const auto decoded = from_base64(to_base64(text));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(*decoded, text) << n;
        text += "foobar"[n % 6];
    }
    EXPECT_EQ(to_base64("foobarfoobarfoob"), "Zm9vYmFyZm9vYmFyZm9vYg==");
}

TEST(base64, rejects_malformed_input) {
    EXPECT_FALSE(from_base64("Zm9"));        // length not a multiple of 4
    EXPECT_FALSE(from_base64("Zm9v!A=="));   // character outside the alphabet
    EXPECT_FALSE(from_base64("Z=9v"));       // padding in the middle
    EXPECT_FALSE(from_base64("Zg==Zm9v"));   // padding before the end
    EXPECT_FALSE(from_base64("Zm9v Zg=="));  // whitespace
    EXPECT_EQ(from_base64("Zm9vYg==").value(), "foob");
}

TEST(base64url, encodes_rfc4648_vectors_without_padding) {
    EXPECT_EQ(to_base64url(""), "");
    EXPECT_EQ(to_base64url("f"), "Zg");
    EXPECT_EQ(to_base64url("fo"), "Zm8");
    EXPECT_EQ(to_base64url("foo"), "Zm9v");
    EXPECT_EQ(to_base64url("foob"), "Zm9vYg");
    EXPECT_EQ(to_base64url("fooba"), "Zm9vYmE");
    EXPECT_EQ(to_base64url("foobar"), "Zm9vYmFy");
    EXPECT_EQ(to_base64url("\xfb\xff\xbf"), "-_-_");  // "+/+/" in standard base64
    // RFC 7515 appendix A.1: the example JWS header.
    EXPECT_EQ(to_base64url("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"),
              "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
}

TEST(base64url, round_trips_every_byte_value) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t n = 0; n <= all.size(); ++n) {
        const auto decoded = from_base64url(to_base64url(all.substr(0, n)));
        ASSERT_TRUE(decoded) << n;
        EXPECT_EQ(*decoded, all.substr(0, n));
    }
}

TEST(base64url, decodes_strictly) {
    EXPECT_EQ(from_base64url("Zm9vYg").value(), "foob");
    EXPECT_EQ(from_base64url("-_-_").value(), "\xfb\xff\xbf");
    EXPECT_EQ(from_base64url("").value(), "");
    EXPECT_FALSE(from_base64url("Zm9vYg=="));  // padding
    EXPECT_FALSE(from_base64url("Zm9vY"));     // 4n+1 characters
    EXPECT_FALSE(from_base64url("+/+/"));      // the standard alphabet's characters
    EXPECT_FALSE(from_base64url("Zm9v Yg"));   // whitespace
    EXPECT_FALSE(from_base64url(std::string_view("Zm8\0", 4)));  // NUL
    EXPECT_FALSE(from_base64url("Zh"));   // "f" with non-zero unused bits ("Zg" is canonical)
    EXPECT_FALSE(from_base64url("Zm9"));  // "fo" needs "Zm8"
    EXPECT_TRUE(from_base64url("Zm8"));
}

}  // namespace
}  // namespace presign::core
