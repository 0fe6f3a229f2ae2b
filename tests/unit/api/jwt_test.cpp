// Token verification against a fixed clock, with HS256, RS256 and ES256 tokens signed inside
// the test: every accepted form, and each refusal with its own reason.

#include "api/jwt.hpp"

#include <gtest/gtest.h>

#include "api/jwks.hpp"
#include "unit/api/token_maker.hpp"

namespace presign::api {
namespace {

using namespace test;

constexpr std::int64_t k_now = 1700000000;
const std::string k_secret = "0123456789abcdef0123456789abcdef-hs256";
const std::string k_hs = R"({"alg":"HS256","typ":"JWT"})";
const std::string k_rs = R"({"alg":"RS256","kid":"rsa-1"})";
const std::string k_es = R"({"alg":"ES256","kid":"ec-1"})";

// Claims valid at k_now, with `extra` members spliced in (or the defaults replaced by
// `exp_etc` when given).
std::string claims(std::string_view extra = {}, std::string_view exp_etc = {}) {
    std::string out = R"({"sub":"alice","iss":"https://issuer.example","aud":"presign",)";
    out += exp_etc.empty() ? R"("exp":)" + std::to_string(k_now + 300) : std::string(exp_etc);
    if (!extra.empty()) out += "," + std::string(extra);
    return out + "}";
}

struct jwt_test : ::testing::Test {
    core::fixed_clock clock{core::time_point(std::chrono::seconds(k_now))};

    jwt_settings settings() const {
        jwt_settings s;
        s.keys = parse_jwks(R"({"keys":[)" + rsa_jwk(rsa_key(), "rsa-1") + "," +
                            ec_jwk(ec_key(), "ec-1") + "]}");
        s.keys.push_back(jwt_key::hmac_secret(k_secret));
        s.issuer = "https://issuer.example";
        s.audience = "presign";
        return s;
    }
    jwt_verifier verifier{settings(), clock};

    // The reason `token` is refused for ("accepted" when it is not).
    std::string reason(std::string_view token) const {
        auto r = verifier.verify(token);
        return r ? "accepted" : std::string(reason_name(r.error().code));
    }
};

TEST_F(jwt_test, accepts_valid_tokens_of_each_algorithm) {
    for (const std::string& token :
         {hs256_token(k_hs, claims(), k_secret), pkey_token(k_rs, claims(), rsa_key()),
          pkey_token(k_es, claims(), ec_key()),
          pkey_token(R"({"alg":"RS256"})", claims(), rsa_key()),  // no kid: keys of the alg
          pkey_token(R"({"alg":"ES256"})", claims(), ec_key())}) {
        auto r = verifier.verify(token);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->string_claims.at("sub"), "alice");
        EXPECT_EQ(r->expires.time_since_epoch().count(), k_now + 300);
    }
    auto r = verifier.verify(pkey_token(k_es, claims(), ec_key()));
    EXPECT_EQ(r->alg, jwt_alg::es256);
    EXPECT_EQ(r->kid, "ec-1");
}

TEST_F(jwt_test, refuses_a_tampered_payload) {
    const std::string token = pkey_token(k_rs, claims(), rsa_key());
    const auto dot1 = token.find('.'), dot2 = token.rfind('.');
    const std::string forged = token.substr(0, dot1 + 1) +
                               b64(R"({"sub":"bob","aud":"presign","exp":1800000000})") +
                               token.substr(dot2);
    EXPECT_EQ(reason(forged), "bad_signature");
    const std::string hs = hs256_token(k_hs, claims(), k_secret);
    EXPECT_EQ(reason(hs.substr(0, hs.find('.') + 1) + b64(claims(R"("admin":true)")) +
                     hs.substr(hs.rfind('.'))),
              "bad_signature");
}

TEST_F(jwt_test, refuses_a_tampered_signature) {
    for (std::string token :
         {hs256_token(k_hs, claims(), k_secret), pkey_token(k_rs, claims(), rsa_key()),
          pkey_token(k_es, claims(), ec_key())}) {
        const auto dot2 = token.rfind('.');
        std::string sig = *core::from_base64url(token.substr(dot2 + 1));
        sig[sig.size() / 2] ^= 0x01;
        EXPECT_EQ(reason(token.substr(0, dot2 + 1) + b64(sig)), "bad_signature");
        EXPECT_EQ(reason(token.substr(0, dot2 + 1)), "bad_encoding");  // no signature at all
    }
}

TEST_F(jwt_test, refuses_unsigned_tokens) {
    const std::string unsigned_token = b64(R"({"alg":"none"})") + "." + b64(claims()) + ".";
    EXPECT_EQ(reason(unsigned_token), "alg_none");
    EXPECT_EQ(reason(hs256_token(R"({"alg":"none"})", claims(), k_secret)), "alg_none");
    EXPECT_EQ(reason(hs256_token(R"({"alg":"None"})", claims(), k_secret)), "alg_none");
    EXPECT_EQ(reason(hs256_token(R"({"alg":"HS512"})", claims(), k_secret)), "unsupported_alg");
    EXPECT_EQ(reason(hs256_token(R"({"alg":"hs256"})", claims(), k_secret)), "unsupported_alg");
    EXPECT_EQ(reason(hs256_token(R"({"typ":"JWT"})", claims(), k_secret)), "bad_header");
}

TEST_F(jwt_test, refuses_algorithm_confusion) {
    // The RSA key's public PEM as an HMAC secret, the classic attack: with the RSA key's kid
    // the key is of another algorithm; without one, only the real HS256 secret is tried.
    const std::string pem = public_pem(rsa_key());
    EXPECT_EQ(reason(hs256_token(R"({"alg":"HS256","kid":"rsa-1"})", claims(), pem)),
              "key_alg_mismatch");
    EXPECT_EQ(reason(hs256_token(k_hs, claims(), pem)), "bad_signature");
    // A verifier with public keys only has no HS256 key at all.
    jwt_settings only_rsa = settings();
    only_rsa.keys.pop_back();
    const jwt_verifier rsa_only(only_rsa, clock);
    EXPECT_EQ(rsa_only.verify(hs256_token(k_hs, claims(), pem)).error().code,
              jwt_errc::no_key_for_alg);
    // RS256 claimed for the EC key, ES256 for the RSA key.
    EXPECT_EQ(reason(pkey_token(R"({"alg":"RS256","kid":"ec-1"})", claims(), ec_key())),
              "key_alg_mismatch");
    EXPECT_EQ(reason(pkey_token(R"({"alg":"ES256","kid":"rsa-1"})", claims(), rsa_key())),
              "key_alg_mismatch");
    EXPECT_EQ(reason(pkey_token(R"({"alg":"ES256"})", claims(), rsa_key())), "bad_signature");
}

TEST_F(jwt_test, refuses_an_unknown_kid) {
    EXPECT_EQ(reason(pkey_token(R"({"alg":"RS256","kid":"rsa-2"})", claims(), rsa_key())),
              "unknown_kid");
    EXPECT_EQ(reason(pkey_token(R"({"alg":"RS256","kid":7})", claims(), rsa_key())), "bad_header");
    // Keys without an id (the HS256 secret) serve any kid of their algorithm.
    EXPECT_EQ(reason(hs256_token(R"({"alg":"HS256","kid":"v2"})", claims(), k_secret)), "accepted");
}

TEST_F(jwt_test, checks_expiry_with_the_leeway) {
    const auto with_exp = [&](std::int64_t exp) {
        return reason(hs256_token(k_hs, claims({}, R"("exp":)" + std::to_string(exp)), k_secret));
    };
    EXPECT_EQ(with_exp(k_now - 61), "expired");
    EXPECT_EQ(with_exp(k_now - 60), "expired");  // from exp + leeway on
    EXPECT_EQ(with_exp(k_now - 59), "accepted");
    EXPECT_EQ(with_exp(k_now + 1), "accepted");
    EXPECT_EQ(reason(hs256_token(k_hs, claims({}, R"("exp":1700000010.75)"), k_secret)),
              "accepted");
    EXPECT_EQ(reason(hs256_token(k_hs, claims({}, R"("exp":1e300)"), k_secret)), "accepted");
    EXPECT_EQ(reason(hs256_token(k_hs, claims({}, R"("exp":-1e300)"), k_secret)), "expired");
    EXPECT_EQ(reason(hs256_token(k_hs, claims({}, R"("exp":18446744073709551615)"), k_secret)),
              "accepted");
}

TEST_F(jwt_test, reads_the_time_from_the_injected_clock) {
    const std::string token = hs256_token(k_hs, claims(), k_secret);
    EXPECT_EQ(reason(token), "accepted");
    clock.set(core::time_point(std::chrono::seconds(k_now + 360)));
    EXPECT_EQ(reason(token), "expired");
}

TEST_F(jwt_test, refuses_tokens_not_yet_valid_beyond_the_leeway) {
    const auto with = [&](std::string_view claim) {
        return reason(hs256_token(k_hs, claims(claim), k_secret));
    };
    EXPECT_EQ(with(R"("nbf":)" + std::to_string(k_now + 61)), "not_yet_valid");
    EXPECT_EQ(with(R"("nbf":)" + std::to_string(k_now + 60)), "accepted");
    EXPECT_EQ(with(R"("nbf":)" + std::to_string(k_now - 100)), "accepted");
    EXPECT_EQ(with(R"("iat":)" + std::to_string(k_now + 61)), "issued_in_future");
    EXPECT_EQ(with(R"("iat":)" + std::to_string(k_now + 30)), "accepted");
    EXPECT_EQ(with(R"("nbf":"soon")"), "bad_claim_type");
    EXPECT_EQ(with(R"("iat":null)"), "bad_claim_type");

    jwt_settings strict = settings();
    strict.leeway = std::chrono::seconds(0);
    const jwt_verifier no_leeway(strict, clock);
    EXPECT_FALSE(no_leeway.verify(
        hs256_token(k_hs, claims(R"("nbf":)" + std::to_string(k_now + 1)), k_secret)));
    EXPECT_TRUE(
        no_leeway.verify(hs256_token(k_hs, claims(R"("nbf":)" + std::to_string(k_now)), k_secret)));
}

TEST_F(jwt_test, requires_a_numeric_exp) {
    const std::string iss_aud = R"({"sub":"alice","iss":"https://issuer.example","aud":"presign"})";
    EXPECT_EQ(reason(hs256_token(k_hs, iss_aud, k_secret)), "missing_exp");
    EXPECT_EQ(reason(hs256_token(k_hs, claims({}, R"("exp":"1800000000")"), k_secret)),
              "bad_claim_type");
    EXPECT_EQ(reason(hs256_token(k_hs, claims({}, R"("exp":true)"), k_secret)), "bad_claim_type");
}

TEST_F(jwt_test, checks_the_issuer) {
    const std::string exp = R"("exp":)" + std::to_string(k_now + 300);
    EXPECT_EQ(reason(hs256_token(
                  k_hs, R"({"sub":"a","iss":"https://evil.example","aud":"presign",)" + exp + "}",
                  k_secret)),
              "wrong_issuer");
    EXPECT_EQ(reason(hs256_token(k_hs, R"({"sub":"a","aud":"presign",)" + exp + "}", k_secret)),
              "wrong_issuer");
    EXPECT_EQ(reason(hs256_token(k_hs, R"({"sub":"a","iss":["x"],"aud":"presign",)" + exp + "}",
                                 k_secret)),
              "bad_claim_type");
}

TEST_F(jwt_test, checks_the_audience_as_a_string_or_an_array) {
    const auto with_aud = [&](std::string_view aud) {
        return reason(hs256_token(k_hs,
                                  R"({"sub":"a","iss":"https://issuer.example","aud":)" +
                                      std::string(aud) + R"(,"exp":)" +
                                      std::to_string(k_now + 300) + "}",
                                  k_secret));
    };
    EXPECT_EQ(with_aud(R"("presign")"), "accepted");
    EXPECT_EQ(with_aud(R"("other")"), "wrong_audience");
    EXPECT_EQ(with_aud(R"(["other","presign"])"), "accepted");
    EXPECT_EQ(with_aud(R"(["other"])"), "wrong_audience");
    EXPECT_EQ(with_aud(R"([])"), "wrong_audience");
    EXPECT_EQ(with_aud(R"(["presign-not"])"), "wrong_audience");
    EXPECT_EQ(with_aud("7"), "wrong_audience");
    // Without a configured audience, a token meant for someone in particular is refused.
    jwt_settings unconfigured = settings();
    unconfigured.audience.clear();
    unconfigured.issuer.clear();
    const jwt_verifier any(unconfigured, clock);
    EXPECT_FALSE(any.verify(hs256_token(k_hs, claims(), k_secret)));
    EXPECT_TRUE(any.verify(
        hs256_token(k_hs, R"({"sub":"a","exp":)" + std::to_string(k_now + 300) + "}", k_secret)));
}

TEST_F(jwt_test, refuses_malformed_tokens) {
    const std::string good = hs256_token(k_hs, claims(), k_secret);
    const auto dot1 = good.find('.');
    EXPECT_EQ(reason(""), "malformed");
    EXPECT_EQ(reason("abc"), "malformed");
    EXPECT_EQ(reason(good.substr(0, good.rfind('.'))), "malformed");  // two parts
    EXPECT_EQ(reason(good + ".x"), "malformed");                      // four parts (or a JWE)
    EXPECT_EQ(reason(good.substr(0, dot1) + "=" + good.substr(dot1)), "bad_encoding");
    EXPECT_EQ(reason("eyJ+" + good.substr(dot1)), "bad_encoding");
    EXPECT_EQ(reason(good + "=="), "bad_encoding");
    // Header and claims that are not JSON objects (the claims signed, so they are reached).
    EXPECT_EQ(reason(hs256_token("{\"alg\":", claims(), k_secret)), "bad_header");
    EXPECT_EQ(reason(hs256_token(R"(["HS256"])", claims(), k_secret)), "bad_header");
    EXPECT_EQ(reason(hs256_token(R"({"alg":"HS256","alg":"none"})", claims(), k_secret)),
              "bad_header");  // duplicate keys
    EXPECT_EQ(reason(hs256_token(R"({"alg":"HS256","crit":["exp"]})", claims(), k_secret)),
              "bad_header");
    EXPECT_EQ(reason(hs256_token(k_hs, "{\"exp\": 1", k_secret)), "bad_claims");
    EXPECT_EQ(reason(hs256_token(k_hs, "[1,2]", k_secret)), "bad_claims");
    EXPECT_EQ(reason(hs256_token(k_hs, "\"alice\"", k_secret)), "bad_claims");
    EXPECT_EQ(reason(hs256_token(k_hs, claims(R"("sub":"mallory")"), k_secret)), "bad_claims");
    EXPECT_EQ(reason(hs256_token(k_hs, claims("\"x\":\"\xff\""), k_secret)),
              "bad_claims");  // not UTF-8
    EXPECT_EQ(reason(hs256_token(k_hs, claims(R"("x":[[[[[[[[[1]]]]]]]]])"), k_secret)),
              "bad_claims");
}

TEST_F(jwt_test, refuses_oversized_tokens) {
    const std::string big =
        hs256_token(k_hs, claims(R"("pad":")" + std::string(9000, 'x') + "\""), k_secret);
    ASSERT_GT(big.size(), 8192u);
    EXPECT_EQ(reason(big), "too_large");
    EXPECT_EQ(reason(std::string(8193, 'a')), "too_large");
    const std::string fits =
        hs256_token(k_hs, claims(R"("pad":")" + std::string(5000, 'x') + "\""), k_secret);
    ASSERT_LT(fits.size(), 8192u);
    EXPECT_EQ(reason(fits), "accepted");
}

TEST_F(jwt_test, refuses_es256_signatures_of_the_wrong_length) {
    const std::string input = signing_input(k_es, claims());
    const std::string raw = pkey_sign(ec_key(), input);
    ASSERT_EQ(reason(input + "." + b64(raw)), "accepted");
    EXPECT_EQ(reason(input + "." + b64(raw.substr(0, 63))), "bad_signature");
    EXPECT_EQ(reason(input + "." + b64(raw + '\0')), "bad_signature");
    EXPECT_EQ(reason(input + "." + b64('\0' + raw)), "bad_signature");
    // The DER form OpenSSL produces is not a JWS signature.
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t size = 128;
    std::string der(size, '\0');
    ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, ec_key()), 1);
    ASSERT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &size,
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
              1);
    EVP_MD_CTX_free(ctx);
    der.resize(size);
    EXPECT_EQ(reason(input + "." + b64(der)), "bad_signature");
}

TEST_F(jwt_test, each_refusal_has_a_readable_message_without_the_token) {
    const std::string token = hs256_token(k_hs, claims({}, R"("exp":1)"), k_secret);
    auto r = verifier.verify(token);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("expired"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find(token.substr(0, 20)), std::string::npos);
    auto kid = verifier.verify(hs256_token(R"({"alg":"RS256","kid":"a\nb"})", claims(), k_secret));
    EXPECT_EQ(kid.error().message, "no key has id 'a?b'");
    EXPECT_EQ(reason_name(jwt_errc::wrong_audience), "wrong_audience");
    EXPECT_EQ(reason_name(jwt_errc::too_large), "too_large");
}

TEST(jwt_verifier, refuses_settings_without_keys_or_with_a_bad_leeway) {
    const core::fixed_clock clock{core::time_point(std::chrono::seconds(k_now))};
    EXPECT_THROW(jwt_verifier(jwt_settings{}, clock), std::invalid_argument);
    jwt_settings s;
    s.keys.push_back(jwt_key::hmac_secret(k_secret));
    s.leeway = std::chrono::seconds(-1);
    EXPECT_THROW(jwt_verifier(s, clock), std::invalid_argument);
    s.leeway = std::chrono::seconds(3601);
    EXPECT_THROW(jwt_verifier(s, clock), std::invalid_argument);
}

}  // namespace
}  // namespace presign::api
