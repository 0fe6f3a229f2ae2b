// JWKS documents and verification keys: RSA, EC P-256 and oct keys built from keys generated
// in the test, and every refusal naming the key it is about.

#include "api/jwks.hpp"

#include <gtest/gtest.h>

#include "unit/api/token_maker.hpp"

namespace presign::api {
namespace {

using namespace test;

const std::string k_secret = "a-shared-secret-of-at-least-32-bytes!";

std::string jwks(std::string_view keys) {
    return R"({"keys":[)" + std::string(keys) + "]}";
}

// The message parse_jwks refuses `text` with ("(parsed)" when it does not).
std::string refusal(std::string_view text) {
    try {
        parse_jwks(text);
        return "(parsed)";
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

TEST(jwks, loads_rsa_ec_and_oct_keys_with_their_one_algorithm) {
    const auto keys = parse_jwks(jwks(rsa_jwk(rsa_key(), "r1", R"("alg":"RS256","use":"sig")") +
                                      "," + ec_jwk(ec_key(), "e1") + R"(,{"kty":"oct","k":")" +
                                      b64(k_secret) + R"("})"));
    ASSERT_EQ(keys.size(), 3u);
    EXPECT_EQ(keys[0].alg(), jwt_alg::rs256);
    EXPECT_EQ(keys[0].kid(), "r1");
    EXPECT_EQ(keys[1].alg(), jwt_alg::es256);
    EXPECT_EQ(keys[1].kid(), "e1");
    EXPECT_EQ(keys[2].alg(), jwt_alg::hs256);
    EXPECT_EQ(keys[2].kid(), "");
    EXPECT_TRUE(keys[0].verify("msg", pkey_sign(rsa_key(), "msg")));
    EXPECT_TRUE(keys[1].verify("msg", pkey_sign(ec_key(), "msg")));
    EXPECT_TRUE(keys[2].verify("msg", hs256_sign(k_secret, "msg")));
    EXPECT_FALSE(keys[0].verify("msg2", pkey_sign(rsa_key(), "msg")));
    EXPECT_FALSE(keys[1].verify("msg2", pkey_sign(ec_key(), "msg")));
    EXPECT_FALSE(keys[2].verify("msg2", hs256_sign(k_secret, "msg")));
}

TEST(jwks, keys_verify_only_under_their_own_algorithm) {
    const auto keys = parse_jwks(jwks(rsa_jwk(rsa_key(), "r1") + "," + ec_jwk(ec_key(), "e1")));
    // An EC signature under the RSA key and the other way round, and an HMAC keyed with the
    // RSA key's public PEM (the classic confusion) under the RSA key.
    EXPECT_FALSE(keys[0].verify("msg", pkey_sign(ec_key(), "msg")));
    EXPECT_FALSE(keys[1].verify("msg", pkey_sign(rsa_key(), "msg")));
    EXPECT_FALSE(keys[0].verify("msg", hs256_sign(public_pem(rsa_key()), "msg")));
}

TEST(jwks, es256_signatures_must_be_64_raw_bytes) {
    const auto key = parse_jwks(jwks(ec_jwk(ec_key(), "e1")))[0];
    const std::string raw = pkey_sign(ec_key(), "msg");
    ASSERT_TRUE(key.verify("msg", raw));
    EXPECT_FALSE(key.verify("msg", raw.substr(0, 63)));
    EXPECT_FALSE(key.verify("msg", raw + '\0'));
    EXPECT_FALSE(key.verify("msg", '\0' + raw));
    EXPECT_FALSE(key.verify("msg", ""));
    EXPECT_FALSE(key.verify("msg", std::string(64, '\0')));  // r = s = 0
}

TEST(jwks, refuses_unsupported_key_types_and_curves_naming_the_key) {
    const std::string ok = rsa_jwk(rsa_key(), "r1");
    std::string why = refusal(jwks(ok + R"(,{"kty":"OKP","crv":"Ed25519","x":"AAAA"})"));
    EXPECT_NE(why.find("keys[1]"), std::string::npos) << why;
    EXPECT_NE(why.find("'OKP' is not supported"), std::string::npos) << why;
    why = refusal(jwks(R"({"kty":"EC","crv":"P-384","x":"AAAA","y":"AAAA"})"));
    EXPECT_NE(why.find("keys[0]: curve 'P-384' is not supported"), std::string::npos) << why;
    EXPECT_NE(refusal(jwks(R"({"n":"AQAB","e":"AQAB"})")).find("keys[0]: 'kty' is required"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(ok + ",7")).find("keys[1]: must be an object"), std::string::npos);
}

TEST(jwks, refuses_an_alg_other_than_the_key_types_own) {
    EXPECT_NE(refusal(jwks(rsa_jwk(rsa_key(), "r1", R"("alg":"PS256")")))
                  .find("keys[0]: alg 'PS256' is not supported for a RSA key (only RS256)"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(rsa_jwk(rsa_key(), "r1", R"("alg":"HS256")"))).find("keys[0]"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(ec_jwk(ec_key(), "e1", R"("alg":"RS256")"))).find("keys[0]"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(R"({"kty":"oct","alg":"RS256","k":")" + b64(k_secret) + "\"}"))
                  .find("keys[0]"),
              std::string::npos);
}

TEST(jwks, refuses_weak_broken_and_private_keys) {
    const pkey_ptr small = make_rsa(1024);
    EXPECT_NE(refusal(jwks(rsa_jwk(small.get(), "small")))
                  .find("keys[0]: RS256 keys must have at "
                        "least 2048 bits"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(R"({"kty":"oct","k":")" + b64("too short") + "\"}"))
                  .find("keys[0]: an HS256 secret must be at least 32 bytes"),
              std::string::npos);
    // A point off the curve: y + 1.
    std::string y = bn_param(ec_key(), OSSL_PKEY_PARAM_EC_PUB_Y, 32);
    y.back() = static_cast<char>(y.back() ^ 1);
    const std::string off_curve = R"({"kty":"EC","crv":"P-256","x":")" +
                                  b64(bn_param(ec_key(), OSSL_PKEY_PARAM_EC_PUB_X, 32)) +
                                  R"(","y":")" + b64(y) + "\"}";
    EXPECT_NE(refusal(jwks(off_curve)).find("keys[0]"), std::string::npos);
    EXPECT_NE(refusal(jwks(R"({"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"})"))
                  .find("keys[0]: 'x' and 'y' must be 32 bytes each"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(rsa_jwk(rsa_key(), "r1", R"("d":"AQAB")"))).find("private key"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(R"({"kty":"RSA","n":"AQAB=","e":"AQAB"})"))
                  .find("keys[0]: 'n' is not unpadded base64url"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(R"({"kty":"RSA","e":"AQAB"})")).find("keys[0]: 'n' is required"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(R"({"kty":"RSA","kid":7,"n":"AQAB","e":"AQAB"})"))
                  .find("keys[0]: 'kid' must be a string"),
              std::string::npos);
}

TEST(jwks, refuses_documents_that_are_not_one_clear_key_set) {
    const std::string rsa = rsa_jwk(rsa_key(), "same");
    EXPECT_NE(refusal(jwks(rsa + "," + ec_jwk(ec_key(), "same")))
                  .find("keys[1]: kid 'same' is used twice"),
              std::string::npos);
    EXPECT_NE(refusal("[]").find("no \"keys\" array"), std::string::npos);
    EXPECT_NE(refusal("{\"keys\": {}}").find("no \"keys\" array"), std::string::npos);
    EXPECT_NE(refusal("{\"keys\": [").find("not valid JSON"), std::string::npos);
    EXPECT_NE(refusal(R"({"keys":[],"keys":[])").find("duplicate key"), std::string::npos);
    EXPECT_NE(refusal(jwks("")).find("no signing key"), std::string::npos);
}

TEST(jwks, skips_encryption_keys) {
    const auto keys = parse_jwks(
        jwks(rsa_jwk(rsa_key(), "enc", R"("use":"enc")") + "," + ec_jwk(ec_key(), "e1")));
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].kid(), "e1");
    EXPECT_NE(refusal(jwks(rsa_jwk(rsa_key(), "enc", R"("use":"enc")"))).find("no signing key"),
              std::string::npos);
    EXPECT_NE(refusal(jwks(rsa_jwk(rsa_key(), "x", R"("use":"other")"))).find("keys[0]: 'use'"),
              std::string::npos);
}

TEST(jwt_key, binds_each_key_to_a_fitting_algorithm) {
    EXPECT_THROW(jwt_key::hmac_secret("31 bytes is one byte too short!"), std::invalid_argument);
    EXPECT_EQ(jwt_key::hmac_secret(k_secret, "h").kid(), "h");
    EXPECT_THROW(jwt_key::public_key(EVP_PKEY_dup(rsa_key()), jwt_alg::es256),
                 std::invalid_argument);
    EXPECT_THROW(jwt_key::public_key(EVP_PKEY_dup(ec_key()), jwt_alg::rs256),
                 std::invalid_argument);
    EXPECT_THROW(jwt_key::public_key(EVP_PKEY_dup(rsa_key()), jwt_alg::hs256),
                 std::invalid_argument);
    EXPECT_THROW(jwt_key::public_key(nullptr, jwt_alg::rs256), std::invalid_argument);
    const jwt_key rsa = jwt_key::public_key(EVP_PKEY_dup(rsa_key()), jwt_alg::rs256, "r");
    EXPECT_TRUE(rsa.verify("m", pkey_sign(rsa_key(), "m")));
    EXPECT_EQ(alg_from_name("RS256"), jwt_alg::rs256);
    EXPECT_FALSE(alg_from_name("none"));
    EXPECT_FALSE(alg_from_name("rs256"));  // JWS names are case-sensitive
    EXPECT_EQ(alg_name(jwt_alg::es256), "ES256");
}

}  // namespace
}  // namespace presign::api
