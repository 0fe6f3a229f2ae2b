#include "core/digest.hpp"

#include <gtest/gtest.h>

#include "core/hex.hpp"

namespace presign::core {
namespace {

TEST(digest, sha256_matches_fips_180_vectors) {
    EXPECT_EQ(to_hex(sha256_of("")),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(to_hex(sha256_of("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(digest, incremental_sha256_equals_one_shot) {
    const std::string text(1000, 'x');
    sha256 h;
    for (std::size_t i = 0; i < text.size(); i += 7) h.update(std::string_view(text).substr(i, 7));
    EXPECT_EQ(h.finish(), sha256_of(text));
}

// RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first).
TEST(digest, hmac_sha256_matches_rfc4231) {
    const std::string key1(20, '\x0b');
    EXPECT_EQ(to_hex(hmac_sha256(as_bytes(key1), "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(to_hex(hmac_sha256(as_bytes("Jefe"), "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    const std::string key6(131, '\xaa');
    EXPECT_EQ(to_hex(hmac_sha256(as_bytes(key6),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(digest, precomputed_hmac_key_is_reusable) {
    const hmac_sha256_key key(as_bytes("Jefe"));
    const auto first = key.mac("what do ya want for nothing?");
    EXPECT_EQ(key.mac("what do ya want for nothing?"), first);
    auto inner = key.begin();
    inner.update("what do ya ");
    inner.update("want for nothing?");
    EXPECT_EQ(key.finish_mac(inner), first);
}

// RFC 2202 test cases 1 and 2.
TEST(digest, hmac_sha1_matches_rfc2202) {
    EXPECT_EQ(to_hex(hmac_sha1(std::string(20, '\x0b'), "Hi There")),
              "b617318655057264e28bc0b6fb378c8ef146be00");
    EXPECT_EQ(to_hex(hmac_sha1("Jefe", "what do ya want for nothing?")),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(digest, md5_and_sha1_match_known_values) {
    EXPECT_EQ(to_hex(md5_of("")), "d41d8cd98f00b204e9800998ecf8427e");
    sha1 h;
    h.update("abc");
    EXPECT_EQ(to_hex(h.finish()), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

}  // namespace
}  // namespace presign::core
