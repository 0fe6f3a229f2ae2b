#pragma once
// Keys and tokens made inside the tests with OpenSSL: an RSA-2048 and a P-256 key pair
// (generated once per test run), their public JWKs, and compact JWS tokens signed with them or
// with an HMAC secret. Nothing here is used by presign itself.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "core/base64.hpp"
#include "core/digest.hpp"

namespace presign::api::test {

struct pkey_free {
    void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

/// A fresh RSA key pair of `bits` bits.
inline pkey_ptr make_rsa(unsigned bits) {
    pkey_ptr key(EVP_RSA_gen(bits));
    if (!key) throw std::runtime_error("RSA key generation failed");
    return key;
}

/// A fresh P-256 key pair.
inline pkey_ptr make_p256() {
    pkey_ptr key(EVP_EC_gen("P-256"));
    if (!key) throw std::runtime_error("EC key generation failed");
    return key;
}

/// The RSA-2048 key pair of this test run.
inline EVP_PKEY* rsa_key() {
    static const pkey_ptr key = make_rsa(2048);
    return key.get();
}

/// The P-256 key pair of this test run.
inline EVP_PKEY* ec_key() {
    static const pkey_ptr key = make_p256();
    return key.get();
}

/// The big-endian bytes of a BIGNUM parameter of `key`, left-padded to `width` when given.
inline std::string bn_param(EVP_PKEY* key, const char* name, int width = 0) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error(name);
    std::string out(width ? width : BN_num_bytes(bn), '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    width ? BN_bn2binpad(bn, p, width) : BN_bn2bin(bn, p);
    BN_free(bn);
    return out;
}

inline std::string b64(std::string_view bytes) {
    return core::to_base64url(bytes);
}

/// The public JWK of an RSA key; `extra` is spliced in as further members (`"alg":"RS256"`).
inline std::string rsa_jwk(EVP_PKEY* key, std::string_view kid, std::string_view extra = {}) {
    return R"({"kty":"RSA","kid":")" + std::string(kid) + R"(","n":")" +
           b64(bn_param(key, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" +
           b64(bn_param(key, OSSL_PKEY_PARAM_RSA_E)) + "\"" +
           (extra.empty() ? "" : "," + std::string(extra)) + "}";
}

/// The public JWK of a P-256 key (coordinates of 32 bytes each).
inline std::string ec_jwk(EVP_PKEY* key, std::string_view kid, std::string_view extra = {}) {
    return R"({"kty":"EC","crv":"P-256","kid":")" + std::string(kid) + R"(","x":")" +
           b64(bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, 32)) + R"(","y":")" +
           b64(bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32)) + "\"" +
           (extra.empty() ? "" : "," + std::string(extra)) + "}";
}

/// The PEM of a key's public half (what an attacker would use as an HMAC secret).
inline std::string public_pem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return pem;
}

/// HMAC-SHA256 of `input` under `secret`.
inline std::string hs256_sign(std::string_view secret, std::string_view input) {
    const auto mac = core::hmac_sha256(core::as_bytes(secret), input);
    return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

/// An RS256 signature, or for an EC key the ES256 signature r || s (32 bytes each).
inline std::string pkey_sign(EVP_PKEY* key, std::string_view input) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t size = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(input.data());
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx, nullptr, &size, in, input.size()) != 1)
        throw std::runtime_error("sign");
    std::string sig(size, '\0');
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size, in,
                       input.size()) != 1)
        throw std::runtime_error("sign");
    EVP_MD_CTX_free(ctx);
    sig.resize(size);
    if (!EVP_PKEY_is_a(key, "EC")) return sig;
    const auto* der = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(parsed), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(parsed), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(parsed);
    return raw;
}

/// `b64(header).b64(claims)`, the bytes a JWS signs.
inline std::string signing_input(std::string_view header, std::string_view claims) {
    return b64(header) + "." + b64(claims);
}

/// A compact JWS signed with an HMAC secret.
inline std::string hs256_token(std::string_view header, std::string_view claims,
                               std::string_view secret) {
    const std::string input = signing_input(header, claims);
    return input + "." + b64(hs256_sign(secret, input));
}

/// A compact JWS signed with an RSA (RS256) or EC (ES256) private key.
inline std::string pkey_token(std::string_view header, std::string_view claims, EVP_PKEY* key) {
    const std::string input = signing_input(header, claims);
    return input + "." + b64(pkey_sign(key, input));
}

}  // namespace presign::api::test
