#pragma once
// The keys JSON Web Tokens are verified with, each bound to exactly one JWS algorithm
// (RFC 7518 section 3):
//   HS256  HMAC-SHA256 with a shared secret of at least 32 bytes
//   RS256  RSASSA-PKCS1-v1_5 with SHA-256, an RSA public key of at least 2048 bits
//   ES256  ECDSA on P-256 with SHA-256; the signature is r || s, 32 bytes each
// A key verifies only under its own algorithm, so a token cannot choose how its signature is
// checked: an RSA public key is never used as an HMAC secret ("algorithm confusion").

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "core/digest.hpp"

namespace presign::api {

/// The JWS algorithms presign accepts. "none" and every other name are refused.
enum class jwt_alg { hs256, rs256, es256 };

/// The algorithm's JWS name ("HS256", "RS256", "ES256").
std::string_view alg_name(jwt_alg alg) noexcept;

/// The algorithm a JWS `alg` value names; nullopt for "none" and anything unsupported.
std::optional<jwt_alg> alg_from_name(std::string_view name) noexcept;

/// One verification key with its algorithm and optional key id (`kid`). Copies share the
/// underlying key material, which is immutable.
class jwt_key {
  public:
    /// An HS256 key from the shared secret's bytes. Throws std::invalid_argument when the
    /// secret is shorter than 32 bytes (RFC 7518 3.2: at least the hash's size).
    static jwt_key hmac_secret(std::string_view secret, std::string kid = {});

    /// An RS256 or ES256 key from a public key; `key` is taken over (freed on every path).
    /// Throws std::invalid_argument when the key's type does not fit `alg` (an RSA key of
    /// under 2048 bits, an EC key not on P-256, an HS256 `alg`) or fails OpenSSL's public check.
    static jwt_key public_key(EVP_PKEY* key, jwt_alg alg, std::string kid = {});

    /// The one algorithm the key verifies under.
    jwt_alg alg() const noexcept { return alg_; }
    /// The key id; "" when the key has none.
    const std::string& kid() const noexcept { return kid_; }

    /// True when `signature` (raw bytes, already base64url-decoded) is this key's signature of
    /// `signing_input` (the ASCII `header.payload`). A signature of the wrong length is false;
    /// HMACs are compared in constant time.
    bool verify(std::string_view signing_input, std::string_view signature) const;

  private:
    jwt_key(jwt_alg alg, std::string kid) : alg_(alg), kid_(std::move(kid)) {}

    jwt_alg alg_;
    std::string kid_;
    std::shared_ptr<const core::hmac_sha256_key> hmac_;  ///< HS256 only
    std::shared_ptr<EVP_PKEY> public_;                   ///< RS256, ES256 only
};

}  // namespace presign::api
