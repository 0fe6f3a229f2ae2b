#include "core/uri.hpp"

#include <gtest/gtest.h>

namespace presign::core {
namespace {

TEST(uri, keeps_only_unreserved_characters) {
    EXPECT_EQ(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
    EXPECT_EQ(uri_encode(" !*'()+%=&?#$,;:@"),
              "%20%21%2A%27%28%29%2B%25%3D%26%3F%23%24%2C%3B%3A%40");
}

TEST(uri, encodes_slash_only_when_asked) {
    EXPECT_EQ(uri_encode("a/b", slash::encode), "a%2Fb");
    EXPECT_EQ(uri_encode("a/b", slash::keep), "a/b");
    EXPECT_EQ(uri_encode("../x//y", slash::keep), "../x//y");  // no normalisation
}

TEST(uri, encodes_utf8_bytewise_in_upper_case_hex) {
    EXPECT_EQ(uri_encode("é日"), "%C3%A9%E6%97%A5");
}

TEST(uri, decodes_and_rejects_broken_escapes) {
    EXPECT_EQ(uri_decode("a%2Fb%c3%a9+").value(), "a/bé+");
    EXPECT_FALSE(uri_decode("%2"));
    EXPECT_FALSE(uri_decode("%zz"));
    EXPECT_FALSE(uri_decode("abc%"));
}

}  // namespace
}  // namespace presign::core
