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

TEST(base64, rejects_malformed_input) {
    EXPECT_FALSE(from_base64("Zm9"));        // length not a multiple of 4
    EXPECT_FALSE(from_base64("Zm9v!A=="));   // character outside the alphabet
    EXPECT_FALSE(from_base64("Z=9v"));       // padding in the middle
    EXPECT_FALSE(from_base64("Zg==Zm9v"));   // padding before the end
    EXPECT_FALSE(from_base64("Zm9v Zg=="));  // whitespace
    EXPECT_EQ(from_base64("Zm9vYg==").value(), "foob");
}

}  // namespace
}  // namespace presign::core
