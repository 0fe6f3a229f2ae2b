#include "core/secret.hpp"

#include <gtest/gtest.h>

namespace presign::core {
namespace {

TEST(secret, constant_time_equal_compares_contents_and_length) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(constant_time_equal("", "a"));
}

TEST(secret, moved_from_secret_is_empty) {
    secret_string a(std::string("wJalrXUtnFEMI"));
    secret_string b(std::move(a));
    EXPECT_EQ(b.reveal(), "wJalrXUtnFEMI");
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): wiping is the contract
}

TEST(secret, secure_zero_overwrites_bytes) {
    char buf[8] = {'s', 'e', 'c', 'r', 'e', 't', '!', '!'};
    secure_zero(buf, sizeof buf);
    for (char c : buf) EXPECT_EQ(c, 0);
}

}  // namespace
}  // namespace presign::core
