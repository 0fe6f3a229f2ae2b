#include "core/uri.hpp"

#include <gtest/gtest.h>

namespace presign::core {
namespace {

TEST(uri, keeps_only_unreserved_characters) {
    EXPECT_EQ(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
    EXPECT_EQ(uri_encode(" !*'()+%=&?#$,;:@"),
              "%20%21%2A%27%28%29%2B%25%3D%26%3F%23%24%2C%3B%3A%40");
}

// Every byte value at every position of 15..40-byte texts, in both slash modes, against a
// byte-at-a-time reference: the encoder classifies 16 bytes at once.
TEST(uri, encodes_every_byte_at_every_position_of_long_texts) {
    const auto reference = [](std::string_view text, bool keep_slash) {
        std::string out;
        for (char ch : text) {
            const auto c = static_cast<unsigned char>(ch);
            const bool literal = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                 (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                 c == '~' || (c == '/' && keep_slash);
            if (literal) {
                out.push_back(ch);
            } else {
                out.push_back('%');
                out.push_back("0123456789ABCDEF"[c >> 4]);
                out.push_back("0123456789ABCDEF"[c & 15]);
            }
        }
        return out;
    };
    for (std::size_t n : {15, 16, 17, 31, 32, 33, 40}) {
        for (std::size_t at = 0; at < n; ++at) {
            for (int b = 0; b < 256; ++b) {
                std::string text(n, 'k');
                text[at] = static_cast<char>(b);
                if (at + 1 < n) text[at + 1] = '/';
                for (const bool keep : {true, false}) {
                    const std::string got = uri_encode(text, keep ? slash::keep : slash::encode);
                    ASSERT_EQ(got, reference(text, keep)) << n << " " << at << " " << b;
                }
            }
        }
    }
}

TEST(uri, encodes_slash_only_when_asked) {
    EXPECT_EQ(uri_encode("a/b", slash::encode), "a%2Fb");
    EXPECT_EQ(uri_encode("a/b", slash::keep), "a/b");
    EXPECT_EQ(uri_encode("../x//y", slash::keep), "../x//y");  // no normalisation
}

TEST(uri, encodes_utf8_bytewise_in_upper_case_hex) {
    EXPECT_EQ(uri_encode("é日"), "%C3%A9%E6%97%A5");
}

TEST(uri, needs_encoding_only_for_bytes_other_than_the_unreserved_ones) {
    EXPECT_FALSE(needs_uri_encoding(""));
    EXPECT_FALSE(needs_uri_encoding("AZaz09-_.~"));
    EXPECT_TRUE(needs_uri_encoding("a/b"));
    EXPECT_FALSE(needs_uri_encoding("a/b", slash::keep));
    for (std::string_view text : {"a b", "%41", "a+b", "\xc3\xa9", "x=y"}) {
        EXPECT_TRUE(needs_uri_encoding(text)) << text;
        EXPECT_NE(uri_encode(text), text) << text;
    }
}

TEST(uri, recognises_text_already_in_uri_encode_form) {
    for (std::string_view text : {"", "/a/b.txt", "/test%24file.text", "/%E6%97%A5", "/a%2Bb"})
        EXPECT_TRUE(is_uri_encoded(text, slash::keep)) << text;
    EXPECT_TRUE(is_uri_encoded("a%2Fb", slash::encode));
    // Anything UriEncode would write differently: lower-case hex, an escaped unreserved byte or
    // kept slash, a raw reserved byte, a broken escape.
    for (std::string_view text :
         {"/%e6%97%a5", "/%41", "/a%2Fb", "/a b", "/a+b", "/a%", "/a%4", "/a%zz", "/\xc3\xa9"})
        EXPECT_FALSE(is_uri_encoded(text, slash::keep)) << text;
    EXPECT_FALSE(is_uri_encoded("a/b", slash::encode));
    // The promise: when true, decoding and encoding again gives the same text.
    for (std::string_view text : {"/x%20y/a~b", "/%25%2B", "/%7F%FF%00"}) {
        ASSERT_TRUE(is_uri_encoded(text, slash::keep)) << text;
        EXPECT_EQ(uri_encode(*uri_decode(text), slash::keep), text) << text;
    }
}

TEST(uri, decodes_and_rejects_broken_escapes) {
    EXPECT_EQ(uri_decode("a%2Fb%c3%a9+").value(), "a/bé+");
    EXPECT_FALSE(uri_decode("%2"));
    EXPECT_FALSE(uri_decode("%zz"));
    EXPECT_FALSE(uri_decode("abc%"));
}

}  // namespace
}  // namespace presign::core
