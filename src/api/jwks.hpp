#pragma once
// JWKS documents (RFC 7517): the public keys an identity provider signs tokens with, as the
// provider publishes them at its jwks_uri. presign reads a copy from a file at start-up.
//
//   {"keys": [
//     {"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig", "n": "<base64url>", "e": "AQAB"},
//     {"kty": "EC", "kid": "k2", "crv": "P-256", "x": "<base64url>", "y": "<base64url>"},
//     {"kty": "oct", "kid": "k3", "k": "<base64url of an HS256 secret>"}]}
//
// Each key gets exactly one algorithm: RSA -> RS256, EC P-256 -> ES256, oct -> HS256; an `alg`
// member, when present, must name that algorithm. Keys marked `"use": "enc"` are encryption
// keys and are skipped. Everything else that presign cannot use stops the start with the
// index of the key, so a key is never silently ignored.

#include <string_view>
#include <vector>

#include "api/jwt_key.hpp"

namespace presign::api {

/// The verification keys of a JWKS document. Throws std::invalid_argument naming the key
/// ("keys[2]: ...") for: text that is not a JSON object with a "keys" array (duplicate JSON
/// keys refused), a key that is not an object, an unsupported `kty` or `crv`, an `alg` other
/// than the key type's, missing or malformed members (strict base64url; EC coordinates of
/// exactly 32 bytes), RSA moduli under 2048 bits, points not on the curve, private key
/// members (`d`, `p`, `q`, ...) in an RSA or EC key, two keys with one `kid`, and a document
/// without any signing key.
std::vector<jwt_key> parse_jwks(std::string_view json_text);

}  // namespace presign::api
