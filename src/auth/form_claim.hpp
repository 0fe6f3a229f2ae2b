#pragma once
// POST form auth (browser uploads, S3 PostObject), read into the same signed_claim header and
// query auth use. A SigV4 form carries its auth in fields rather than headers:
//
//   x-amz-algorithm   AWS4-HMAC-SHA256
//   x-amz-credential  AKID/YYYYMMDD/region/s3/aws4_request
//   x-amz-date        YYYYMMDDTHHMMSSZ
//   policy            base64 of the policy document          (the string to sign, as sent)
//   x-amz-signature   hex(HMAC-SHA256(kSigning, policy))
//   x-amz-security-token (temporary credentials only)
//
// A SigV2 form carries AWSAccessKeyId, policy and signature = Base64(HMAC-SHA1(secret,
// policy)) instead, with no scope and no date.
//
// The signature covers the policy only; the policy then covers the other fields (form_check.hpp
// in policy/). verifier::verify_post_form runs the whole check; this file holds its stages.

#include <span>
#include <string>
#include <string_view>

#include "auth/claim.hpp"
#include "auth/errors.hpp"
#include "core/clock.hpp"
#include "policy/form_check.hpp"

namespace presign::auth {

/// A POST form as form auth sees it.
struct post_form {
    std::string_view bucket;                     ///< the bucket of the request URL
    std::span<const policy::form_field> fields;  ///< every field before the file part, as sent
    std::string_view filename;                   ///< the file part's filename ("" when none)
};

/// What a form claims: the claim (kind post_form, no signed headers, body not signed) and the
/// policy field, whose bytes as sent are the string to sign.
struct form_claim {
    signed_claim claim;  ///< for SigV2, only the access key id, signature and token are set
    std::string policy;
    bool sigv2 = false;  ///< signed with SigV2 (AWSAccessKeyId, signature)
};

/// Reads the claim of a form's fields (names compared case-insensitively). Fails with:
///   invalid_argument: a field sent twice; SigV2 and SigV4 auth fields together; no `key`
///     field, or a missing auth field (S3: "Bucket POST must contain a field named '...'"),
///     with ArgumentName / ArgumentValue details
///   missing_authentication: no auth field at all (an anonymous form)
///   invalid_request: an x-amz-algorithm other than AWS4-HMAC-SHA256 (SigV4 forms)
///   authorization_query_parameters_error: a malformed x-amz-credential or x-amz-date
result<form_claim> read_form_claim(std::span<const policy::form_field> fields);

/// What an authentic policy grants a form.
struct form_grant {
    std::string key;              ///< the key field with ${filename} substituted
    policy::length_range sizes;   ///< the file's size range, to enforce while streaming
    core::time_point expiration;  ///< the policy's expiration
};

/// Decodes `policy_b64` (base64; line breaks and spaces tolerated, as some SDKs wrap it),
/// parses the document and holds `form` against it at `now`. Call only once the signature
/// over `policy_b64` is verified. Fails with invalid_policy_document (undecodable or
/// malformed policy), invalid_argument (the key is empty after substitution) or access_denied
/// (expired, a condition failed, a field not covered: S3's "Invalid according to Policy: ...").
result<form_grant> check_form_policy(std::string_view policy_b64, const post_form& form,
                                     core::time_point now);

}  // namespace presign::auth
