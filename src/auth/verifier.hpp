#pragma once
// Request -> verified identity, the way S3 authenticates SigV4 (Authorization header and
// presigned-URL query auth). The steps, each failing with the S3 error it becomes
// (errors.hpp):
//
//   1. parse the target; decode the query once (or take the caller's   invalid_uri
//      decoding of it, request_view::decoded_query)
//   2. read the claim (claim.hpp): what the request says it is        *_malformed, ...
//   3. credential scope: this region, "s3", "aws4_request", the date of X-Amz-Date
//   4. host and every x-amz-* header must be signed                   access_denied
//   5. time: header auth within +-15 min of now                       request_time_too_skewed
//            query auth not dated beyond now + 15 min, not past expiry  not_yet_valid, expired
//   6. the access key's principal                                     invalid_access_key_id
//   7. the security token                                             invalid_token
//   8. rebuild the canonical request from the bytes received, sign it with the principal's
//      derived key, compare in constant time                          signature_does_not_match
//
// The time is passed in (tests fix it); the verifier reads no clock and does no I/O beyond
// the injected principal lookup.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/claim.hpp"
#include "auth/errors.hpp"
#include "auth/form_claim.hpp"
#include "auth/key_cache.hpp"
#include "auth/request.hpp"
#include "auth/verified_post.hpp"
#include "auth/verified_request.hpp"
#include "core/clock.hpp"
#include "core/secret.hpp"

namespace presign::auth {

/// Whom an access key belongs to.
struct principal {
    std::string identity;  ///< a user or service name, for handlers and logs
    core::secret_string secret_access_key;
    /// The session token requests signed with this key must carry (temporary credentials),
    /// compared in constant time. Empty: a long-term key, and requests carrying any token are
    /// refused with invalid_token. (The store has no session tokens yet.)
    core::secret_string session_token;
    /// What the principal may do, carried into every verified_request. Null: nothing.
    std::shared_ptr<const access_policy> access;
};

/// Finds the principal of an access key id; nullopt when the key is unknown. Called once per
/// request that gets past the syntax, scope and time checks; must be thread-safe when the
/// verifier is shared between threads.
using principal_lookup = std::function<std::optional<principal>(std::string_view access_key_id)>;

/// The server's side of the credential scope, and the limits.
struct verifier_options {
    std::string region = "us-east-1";        ///< the only region accepted in scopes
    std::string service = "s3";              ///< the only service accepted
    std::chrono::seconds max_skew{15 * 60};  ///< S3's clock-skew window
    std::size_t key_cache_capacity = 1024;   ///< derived keys kept (LRU)
};

/// Checks the security token a request carries against the principal's (constant time).
/// invalid_token, or invalid_access_key_id for temporary credentials sent without one.
result<void> check_token(const signed_claim& claim, const principal& who);

/// Verifies SigV4 (and legacy SigV2) requests for one server. verify() is const and thread-safe.
class verifier {
  public:
    /// Throws std::invalid_argument for an invalid region or service (not `[a-z0-9-]+`), a
    /// negative skew or an empty lookup: configuration errors, found at start-up.
    verifier(verifier_options options, principal_lookup lookup);

    /// Authenticates `req` at time `now` (see the steps above). Never throws for any request
    /// bytes; fails with the first check that refuses it.
    result<verified_request> verify(const request_view& req, core::time_point now) const;

    /// Authenticates a browser POST form (S3 PostObject) at `now`, the HTTP request itself
    /// being anonymous. The steps, each failing with the S3 error it becomes:
    ///   1. read the claim from the fields (read_form_claim)       invalid_argument, ...
    ///   2. credential scope: this region, "s3", "aws4_request", the date of x-amz-date
    ///                                                 authorization_query_parameters_error
    ///   3. the access key's principal, its token                  invalid_access_key_id, ...
    ///   4. hex(HMAC(kSigning, policy as sent)) == x-amz-signature, in constant time
    ///                                                             signature_does_not_match
    ///   5. the policy: decoded, parsed strictly, not expired, every condition met, every
    ///      field covered (check_form_policy)   invalid_policy_document, access_denied
    /// x-amz-date is not held against the clock (S3 does not): the policy's expiration bounds
    /// the form's life. Never throws for any form bytes.
    result<verified_post> verify_post_form(const post_form& form, core::time_point now) const;

    /// The options as given.
    const verifier_options& options() const noexcept { return options_; }

  private:
    result<void> check_time(const signed_claim& claim, core::time_point now) const;
    // SigV2 (verifier_sigv2.cpp): header and query auth, and the signature of a form's policy.
    result<verified_request> verify_sigv2(const request_view& req, std::string_view raw_path,
                                          std::span<const sigv4::query_param> query,
                                          core::time_point now) const;
    result<verified_request> verify_sigv2_form(const form_claim& read, core::time_point now) const;
    result<verified_request> verify_sigv4_form(const form_claim& read) const;
    result<verified_request> check_signature(const request_view& req, std::string_view raw_path,
                                             std::span<const sigv4::query_param> query,
                                             signed_claim&& claim, const principal& who) const;

    verifier_options options_;
    principal_lookup lookup_;
    std::unique_ptr<key_cache> keys_;
};

}  // namespace presign::auth
