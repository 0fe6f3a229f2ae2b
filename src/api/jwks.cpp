#include "api/jwks.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "api/strict_json.hpp"
#include "core/base64.hpp"
#include "core/secret.hpp"

namespace presign::api {

namespace {
using json = nlohmann::json;

// A JWKS is keys > key > a member such as x5c (an array): three levels.
constexpr int k_max_depth = 3;
constexpr std::size_t k_p256_coordinate = 32;

struct bn_free {
    void operator()(BIGNUM* b) const noexcept { BN_free(b); }
};
struct param_bld_free {
    void operator()(OSSL_PARAM_BLD* b) const noexcept { OSSL_PARAM_BLD_free(b); }
};
struct params_free {
    void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct pkey_ctx_free {
    void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};

[[noreturn]] void refuse(const std::string& at, const std::string& why) {
    throw std::invalid_argument(at + ": " + why);
}

// A string member's value, or "" when absent; anything but a string is refused.
std::string text_member(const json& key, const char* name, const std::string& at) {
    const auto it = key.find(name);
    if (it == key.end()) return {};
    if (!it->is_string()) refuse(at, std::string("'") + name + "' must be a string");
    return it->get<std::string>();
}

// A required base64url member, decoded.
std::string bytes_member(const json& key, const char* name, const std::string& at) {
    const std::string text = text_member(key, name, at);
    if (text.empty()) refuse(at, std::string("'") + name + "' is required");
    auto bytes = core::from_base64url(text);
    if (!bytes || bytes->empty())
        refuse(at, std::string("'") + name + "' is not unpadded base64url");
    return std::move(*bytes);
}

BIGNUM* to_bignum(const std::string& big_endian) {
    return BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                     static_cast<int>(big_endian.size()), nullptr);
}

// EVP_PKEY_fromdata for a public key of `type` ("RSA", "EC") from the built parameters.
EVP_PKEY* public_from_params(const char* type, OSSL_PARAM_BLD* bld, const std::string& at) {
    std::unique_ptr<OSSL_PARAM, params_free> params(OSSL_PARAM_BLD_to_param(bld));
    std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    const bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
                    EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) == 1;
    ERR_clear_error();
    if (!ok) refuse(at, std::string("not a valid ") + type + " public key");
    return key;
}

EVP_PKEY* rsa_public(const json& key, const std::string& at) {
    std::unique_ptr<BIGNUM, bn_free> n(to_bignum(bytes_member(key, "n", at)));
    std::unique_ptr<BIGNUM, bn_free> e(to_bignum(bytes_member(key, "e", at)));
    std::unique_ptr<OSSL_PARAM_BLD, param_bld_free> bld(OSSL_PARAM_BLD_new());
    if (!n || !e || !bld ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
        refuse(at, "cannot build the RSA key");
    return public_from_params("RSA", bld.get(), at);
}

EVP_PKEY* p256_public(const json& key, const std::string& at) {
    const std::string crv = text_member(key, "crv", at);
    if (crv != "P-256") refuse(at, "curve '" + crv + "' is not supported (only P-256)");
    const std::string x = bytes_member(key, "x", at);
    const std::string y = bytes_member(key, "y", at);
    // RFC 7518 6.2.1.2: each coordinate is the full 32 bytes, leading zeros kept.
    if (x.size() != k_p256_coordinate || y.size() != k_p256_coordinate)
        refuse(at, "'x' and 'y' must be 32 bytes each");
    const std::string point = '\x04' + x + y;  // SEC 1 uncompressed point
    std::unique_ptr<OSSL_PARAM_BLD, param_bld_free> bld(OSSL_PARAM_BLD_new());
    if (!bld ||
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1)
        refuse(at, "cannot build the EC key");
    return public_from_params("EC", bld.get(), at);
}

// The one algorithm a key type is used with.
jwt_alg alg_of_type(const std::string& kty, const std::string& at) {
    if (kty == "RSA") return jwt_alg::rs256;
    if (kty == "EC") return jwt_alg::es256;
    if (kty == "oct") return jwt_alg::hs256;
    if (kty.empty()) refuse(at, "'kty' is required");
    refuse(at, "key type '" + kty + "' is not supported (RSA, EC, oct)");
}

// The one key of entry `index`, or nullopt for an encryption key.
std::optional<jwt_key> read_key(const json& key, std::size_t index) {
    const std::string at = "keys[" + std::to_string(index) + "]";
    if (!key.is_object()) refuse(at, "must be an object");
    const std::string kty = text_member(key, "kty", at);
    const std::string alg = text_member(key, "alg", at);
    const std::string use = text_member(key, "use", at);
    std::string kid = text_member(key, "kid", at);
    if (use == "enc") return std::nullopt;
    if (!use.empty() && use != "sig") refuse(at, "'use' must be \"sig\" or \"enc\"");
    const jwt_alg expected = alg_of_type(kty, at);
    if (!alg.empty() && alg != alg_name(expected))
        refuse(at, "alg '" + alg + "' is not supported for a " + kty + " key (only " +
                       std::string(alg_name(expected)) + ")");
    try {
        if (expected == jwt_alg::hs256) {
            std::string secret = bytes_member(key, "k", at);
            jwt_key made = jwt_key::hmac_secret(secret, std::move(kid));
            core::secure_zero(secret.data(), secret.size());
            return made;
        }
        for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth"})
            if (key.contains(member))
                refuse(at, std::string("holds private key material ('") + member +
                               "'); give the public key only");
        EVP_PKEY* pkey = expected == jwt_alg::rs256 ? rsa_public(key, at) : p256_public(key, at);
        return jwt_key::public_key(pkey, expected, std::move(kid));
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        if (what.starts_with(at)) throw;
        refuse(at, what);
    }
}
}  // namespace

std::vector<jwt_key> parse_jwks(std::string_view json_text) {
    std::string why;
    const auto doc = parse_strict_json(json_text, why, k_max_depth);
    if (!doc) throw std::invalid_argument("not a JWKS document: " + why);
    if (!doc->is_object() || !doc->contains("keys") || !(*doc)["keys"].is_array())
        throw std::invalid_argument("not a JWKS document: no \"keys\" array");
    std::vector<jwt_key> keys;
    const json& list = (*doc)["keys"];
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto key = read_key(list[i], i);
        if (!key) continue;
        for (const jwt_key& other : keys)
            if (!key->kid().empty() && other.kid() == key->kid())
                refuse("keys[" + std::to_string(i) + "]", "kid '" + key->kid() + "' is used twice");
        keys.push_back(std::move(*key));
    }
    if (keys.empty()) throw std::invalid_argument("the JWKS document holds no signing key");
    return keys;
}

}  // namespace presign::api
