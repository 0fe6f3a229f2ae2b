#include "api/jwt_key.hpp"

#include <array>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core/secret.hpp"

namespace presign::api {

namespace {
constexpr std::size_t k_min_hmac_secret = 32;
constexpr int k_min_rsa_bits = 2048;
constexpr std::size_t k_es256_half = 32;  // the byte length of r and of s on P-256

struct md_ctx_free {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct pkey_ctx_free {
    void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};
struct ecdsa_sig_free {
    void operator()(ECDSA_SIG* s) const noexcept { ECDSA_SIG_free(s); }
};

// JWS carries an ECDSA signature as the fixed-width big-endian r || s (RFC 7518 3.4), OpenSSL
// verifies the DER SEQUENCE { r INTEGER, s INTEGER } of X9.62. Empty on a wrong length.
std::string es256_to_der(std::string_view raw) {
    if (raw.size() != 2 * k_es256_half) return {};
    const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
    std::unique_ptr<ECDSA_SIG, ecdsa_sig_free> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(bytes, k_es256_half, nullptr);
    BIGNUM* s = BN_bin2bn(bytes + k_es256_half, k_es256_half, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (size <= 0) return {};
    std::string der(static_cast<std::size_t>(size), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_ECDSA_SIG(sig.get(), &out) != size) return {};
    return der;
}

// EVP_DigestVerify with SHA-256 (and PKCS #1 v1.5 padding for RSA). Any OpenSSL failure is a
// failed verification; the error queue is left empty for whoever reads it next.
bool digest_verify(EVP_PKEY* key, bool rsa, std::string_view message, std::string_view sig) {
    std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    bool ok =
        ctx &&
        EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, key, nullptr) == 1 &&
        (!rsa || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1);
    ok = ok && EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                                sig.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                message.size()) == 1;
    ERR_clear_error();
    return ok;
}

std::string group_name(EVP_PKEY* key) {
    std::array<char, 64> name{};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(key, name.data(), name.size(), &length) != 1) return {};
    return std::string(name.data(), length);
}
}  // namespace

std::string_view alg_name(jwt_alg alg) noexcept {
    switch (alg) {
        case jwt_alg::hs256: return "HS256";
        case jwt_alg::rs256: return "RS256";
        case jwt_alg::es256: return "ES256";
    }
    return "?";
}

std::optional<jwt_alg> alg_from_name(std::string_view name) noexcept {
    // Case-sensitive, as JWS algorithm names are (RFC 7515 4.1.1).
    if (name == "HS256") return jwt_alg::hs256;
    if (name == "RS256") return jwt_alg::rs256;
    if (name == "ES256") return jwt_alg::es256;
    return std::nullopt;
}

jwt_key jwt_key::hmac_secret(std::string_view secret, std::string kid) {
    if (secret.size() < k_min_hmac_secret)
        throw std::invalid_argument("an HS256 secret must be at least 32 bytes, this one has " +
                                    std::to_string(secret.size()));
    jwt_key key(jwt_alg::hs256, std::move(kid));
    key.hmac_ = std::make_shared<const core::hmac_sha256_key>(core::as_bytes(secret));
    return key;
}

jwt_key jwt_key::public_key(EVP_PKEY* raw, jwt_alg alg, std::string kid) {
    std::shared_ptr<EVP_PKEY> owned(raw, EVP_PKEY_free);
    if (!raw) throw std::invalid_argument("no key");
    if (alg == jwt_alg::hs256)
        throw std::invalid_argument("HS256 takes a shared secret, not a public key");
    if (alg == jwt_alg::rs256) {
        if (!EVP_PKEY_is_a(raw, "RSA")) throw std::invalid_argument("RS256 needs an RSA key");
        if (EVP_PKEY_get_bits(raw) < k_min_rsa_bits)
            throw std::invalid_argument("RS256 keys must have at least 2048 bits, this one has " +
                                        std::to_string(EVP_PKEY_get_bits(raw)));
    } else {
        const std::string group = group_name(raw);
        if (!EVP_PKEY_is_a(raw, "EC") || (group != "prime256v1" && group != "P-256"))
            throw std::invalid_argument("ES256 needs an EC key on the curve P-256");
    }
    std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free> check(
        EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr));
    const bool valid = check && EVP_PKEY_public_check(check.get()) == 1;
    ERR_clear_error();
    if (!valid) throw std::invalid_argument("the public key fails OpenSSL's validity check");
    jwt_key key(alg, std::move(kid));
    key.public_ = std::move(owned);
    return key;
}

bool jwt_key::verify(std::string_view signing_input, std::string_view signature) const {
    switch (alg_) {
        case jwt_alg::hs256: {
            const core::sha256_digest mac = hmac_->mac(signing_input);
            return core::constant_time_equal(
                std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()), signature);
        }
        case jwt_alg::rs256: return digest_verify(public_.get(), true, signing_input, signature);
        case jwt_alg::es256: {
            const std::string der = es256_to_der(signature);
            return !der.empty() && digest_verify(public_.get(), false, signing_input, der);
        }
    }
    return false;
}

}  // namespace presign::api
