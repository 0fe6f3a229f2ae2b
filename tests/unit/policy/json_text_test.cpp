#include "policy/json_text.hpp"

#include <gtest/gtest.h>

namespace presign::policy {
namespace {

std::string json_of(std::string_view s) {
    std::string out;
    EXPECT_TRUE(append_json_string(out, s));
    return out;
}

// Expected strings are what Python's json.dumps writes for the same text.
TEST(json_text, escapes_like_python_json_dumps) {
    EXPECT_EQ(json_of("plain/key.txt"), R"("plain/key.txt")");
    EXPECT_EQ(json_of("q\"b\\n\n\r\t\b\f"), R"("q\"b\\n\n\r\t\b\f")");
    EXPECT_EQ(json_of(std::string("\x01\x1f\x7f", 3)), R"("\u0001\u001f\u007f")");
    EXPECT_EQ(json_of("é日"), R"("\u00e9\u65e5")");
    EXPECT_EQ(json_of("😀"), R"("\ud83d\ude00")");
    EXPECT_EQ(json_of("${filename}"), R"("${filename}")");
}

// Strings of 15..40 characters with one character to escape at every position: the scan for
// plain runs works 16 bytes at a time and must stop exactly there.
TEST(json_text, escapes_at_every_position_of_long_strings) {
    for (std::size_t n = 15; n <= 40; ++n) {
        for (std::size_t at = 0; at < n; ++at) {
            for (const char special : {'"', '\\', '\n', '\x7f'}) {
                std::string text(n, 'a');
                text[at] = special;
                const std::string escaped = special == '"'    ? "\\\""
                                            : special == '\\' ? "\\\\"
                                            : special == '\n' ? "\\n"
                                                              : "\\u007f";
                std::string expected = "\"";
                expected.append(at, 'a').append(escaped).append(n - at - 1, 'a').append("\"");
                EXPECT_EQ(json_of(text), expected) << n << " " << at;
            }
        }
    }
}

TEST(json_text, refuses_invalid_utf8) {
    std::string out;
    EXPECT_FALSE(append_json_string(out, "\xff"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xe6\x97"));          // truncated
    EXPECT_TRUE(is_valid_utf8("ascii é 日 😀"));
}

}  // namespace
}  // namespace presign::policy
