// The verifier's signing-key cache: reuse, rotation, bounds, threads.

#include "auth/key_cache.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace presign::auth {
namespace {

const core::secret_string k_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

TEST(key_cache, derives_the_sigv4_signing_key) {
    key_cache cache;
    const auto key = cache.get("AK", k_secret, "20130524", "us-east-1", "s3");
    EXPECT_EQ(key->bytes(),
              sigv4::signing_key::derive(k_secret.reveal(), "20130524", "us-east-1", "s3").bytes());
}

TEST(key_cache, reuses_a_key_for_the_same_access_key_and_scope) {
    key_cache cache;
    const auto a = cache.get("AK", k_secret, "20130524", "us-east-1", "s3");
    EXPECT_EQ(cache.get("AK", k_secret, "20130524", "us-east-1", "s3"), a);
    EXPECT_NE(cache.get("AK", k_secret, "20130525", "us-east-1", "s3"), a);
    EXPECT_NE(cache.get("AK2", k_secret, "20130524", "us-east-1", "s3"), a);
    EXPECT_EQ(cache.size(), 3u);
}

TEST(key_cache, never_answers_a_rotated_secret_with_the_old_key) {
    key_cache cache;
    const auto old_key = cache.get("AK", k_secret, "20130524", "us-east-1", "s3");
    const core::secret_string rotated("new-secret");
    const auto new_key = cache.get("AK", rotated, "20130524", "us-east-1", "s3");
    EXPECT_NE(new_key->bytes(), old_key->bytes());
    EXPECT_EQ(new_key->bytes(),
              sigv4::signing_key::derive("new-secret", "20130524", "us-east-1", "s3").bytes());
    EXPECT_EQ(cache.size(), 1u);
}

TEST(key_cache, evicts_the_least_recently_used_beyond_capacity) {
    key_cache cache(2);
    const auto a = cache.get("A", k_secret, "20130524", "r", "s3");
    const auto b = cache.get("B", k_secret, "20130524", "r", "s3");
    EXPECT_EQ(cache.get("A", k_secret, "20130524", "r", "s3"), a);  // A is now the most recent
    cache.get("C", k_secret, "20130524", "r", "s3");                // evicts B
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.get("A", k_secret, "20130524", "r", "s3"), a);
    EXPECT_NE(cache.get("B", k_secret, "20130524", "r", "s3"), b);
}

TEST(key_cache, is_safe_to_share_between_threads) {
    key_cache cache(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&cache, t] {
            for (int i = 0; i < 200; ++i)
                cache.get(std::string(1, static_cast<char>('A' + (i + t) % 6)), k_secret,
                          "20130524", "us-east-1", "s3");
        });
    for (auto& th : threads) th.join();
    EXPECT_LE(cache.size(), 4u);
}

}  // namespace
}  // namespace presign::auth
