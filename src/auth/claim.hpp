#pragma once
// What a request claims about its own authentication, read once into one struct whichever
// way it was carried (Authorization header or presigned-URL query), so that verification is
// written once. SigV2 and aws-chunked auth will add readers, not verifiers; POST-form auth's
// reader is form_claim.hpp.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "auth/authorization.hpp"
#include "auth/errors.hpp"
#include "auth/payload.hpp"
#include "auth/request.hpp"
#include "core/clock.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

/// The normalised claim. Syntactically valid; nothing in it has been verified yet.
struct signed_claim {
    auth_kind kind = auth_kind::header;
    credential cred;
    std::string amz_date;              ///< YYYYMMDDTHHMMSSZ: X-Amz-Date, or the Date header's time
    core::time_point signed_at{};      ///< amz_date as a time
    std::int64_t expires_seconds = 0;  ///< query auth: X-Amz-Expires (1..604800); else 0
    std::vector<std::string> signed_headers;  ///< lower-case, ascending
    std::string signature;                    ///< as sent (not checked to be hex)
    std::optional<std::string> security_token;
    payload_mode payload = payload_mode::unsigned_payload;
    std::string payload_hash;  ///< the canonical request's last line
};

/// Reads the claim of `req`, whose query `query` was decoded once (decode_query).
///
/// Header auth (an Authorization header): the date is X-Amz-Date (ISO 8601 basic) or, without
/// it, Date (RFC 1123); x-amz-content-sha256 is required and selects the payload mode; the
/// token is the x-amz-security-token header.
/// Query auth (X-Amz-Algorithm, X-Amz-Credential or X-Amz-Signature in the query): all of
/// X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Signature exactly once;
/// the token is X-Amz-Security-Token; the payload hash is the X-Amz-Content-Sha256 query
/// parameter, else a *signed* x-amz-content-sha256 header, else UNSIGNED-PAYLOAD.
///
/// Errors: missing_authentication (no auth at all); invalid_argument (both kinds at once,
/// SigV2 or another scheme, a bad x-amz-content-sha256); authorization_header_malformed;
/// authorization_query_parameters_error (missing, repeated or malformed parameters, expiry
/// outside 1..604800); access_denied (header auth without a valid date); invalid_request
/// (header auth without x-amz-content-sha256); invalid_token (a repeated token header).
result<signed_claim> read_claim(const request_view& req, std::span<const sigv4::query_param> query);

}  // namespace presign::auth
