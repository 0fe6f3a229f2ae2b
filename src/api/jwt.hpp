#pragma once
// Verification of JSON Web Tokens in JWS compact form (RFC 7519, RFC 7515):
//
//   BASE64URL(header) '.' BASE64URL(claims) '.' BASE64URL(signature)
//   signature = alg(key, ASCII(BASE64URL(header) '.' BASE64URL(claims)))
//
// The keys are configured (jwt_key.hpp, jwks.hpp), never taken from the token: `jku`, `jwk`,
// `x5u` and `x5c` headers are ignored, and the header's `alg` must be the chosen key's own
// algorithm. `kid`, when present, picks the key with that id; keys without an id are tried for
// any token of their algorithm. The signature is checked before the claims are read. Then:
//   exp  required, a NumericDate: refused from exp + leeway on
//   nbf  optional: refused before nbf - leeway
//   iat  optional: refused when later than now + leeway
//   iss  when an issuer is configured: must equal it
//   aud  when an audience is configured: must equal it, or be an array holding it; without
//        one, a token naming any audience is refused (RFC 7519 4.1.3)

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/jwt_key.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace presign::api {

/// Why a token was refused. Each has a stable name (reason_name) for logs and metrics; callers
/// of the API see them all as 401 unauthorized.
enum class jwt_errc {
    too_large,         ///< over the size limit
    malformed,         ///< not three '.'-separated parts
    bad_encoding,      ///< a part that is not strict unpadded base64url
    bad_header,        ///< not a JSON object, no string `alg`, a non-string `kid`, `crit`
    alg_none,          ///< `alg: none`, an unsigned token
    unsupported_alg,   ///< an algorithm other than HS256, RS256, ES256
    unknown_kid,       ///< no configured key has the token's `kid` (and none lacks an id)
    key_alg_mismatch,  ///< the `kid` names a key of another algorithm
    no_key_for_alg,    ///< no configured key of the token's algorithm
    bad_signature,     ///< no candidate key verifies the signature (or its length is wrong)
    bad_claims,        ///< the claims are not a JSON object
    missing_exp,       ///< no `exp`
    bad_claim_type,    ///< `exp`, `nbf` or `iat` not a number; `iss` not a string
    expired,           ///< at or after exp + leeway
    not_yet_valid,     ///< before nbf - leeway
    issued_in_future,  ///< iat after now + leeway
    wrong_issuer,      ///< `iss` missing or not the configured issuer
    wrong_audience,    ///< `aud` not holding the configured audience (or present without one)
};

using jwt_error = core::error<jwt_errc>;

/// The stable name of a reason ("expired", "bad_signature", ...).
std::string_view reason_name(jwt_errc code) noexcept;

/// What tokens are checked against.
struct jwt_settings {
    std::vector<jwt_key> keys;               ///< at least one
    std::string issuer;                      ///< "": `iss` is not checked
    std::string audience;                    ///< "": tokens must not carry `aud`
    std::chrono::seconds leeway{60};         ///< clock skew allowed on exp, nbf and iat, 0..3600 s
    std::size_t max_token_bytes = 8 * 1024;  ///< longer tokens are refused before any parsing
};

/// A token whose signature and time, issuer and audience claims were checked.
struct verified_jwt {
    jwt_alg alg = jwt_alg::hs256;  ///< the header's `alg`, the verifying key's algorithm
    std::string kid;               ///< the header's `kid`, "" when absent
    core::time_point expires;      ///< `exp`, floored to whole seconds
    /// The top-level claims whose values are JSON strings (`sub`, `iss`, `email`, ...).
    std::map<std::string, std::string, std::less<>> string_claims;
};

/// Checks compact JWS tokens against configured keys and the injected clock.
class jwt_verifier {
  public:
    /// Throws std::invalid_argument for an empty key list or a leeway outside 0..3600 s.
    /// `clock` must outlive the verifier.
    jwt_verifier(jwt_settings settings, const core::clock& clock);

    /// The verified token, or the first check it fails with a message fit for logs (no token
    /// bytes, no key material).
    core::result<verified_jwt, jwt_error> verify(std::string_view token) const;

  private:
    core::result<void, jwt_error> verify_signature(std::string_view signing_input, jwt_alg alg,
                                                   const std::string& kid,
                                                   std::string_view signature) const;

    jwt_settings settings_;
    const core::clock& clock_;
};

}  // namespace presign::api
