#pragma once
// The authentication domain's errors. Every code is named after the S3 error it becomes; the
// S3 layer's one error table maps them (code -> S3 Code, HTTP status) without judgement:
//
//   errc                                  S3 Code                            HTTP
//   missing_authentication                AccessDenied                       403
//   access_denied                         AccessDenied                       403
//   expired                               AccessDenied                       403  (1)
//   not_yet_valid                         AccessDenied                       403  (2)
//   signature_does_not_match              SignatureDoesNotMatch              403
//   invalid_access_key_id                 InvalidAccessKeyId                 403
//   request_time_too_skewed               RequestTimeTooSkewed               403
//   authorization_header_malformed        AuthorizationHeaderMalformed       400
//   authorization_query_parameters_error  AuthorizationQueryParametersError  400
//   invalid_request                       InvalidRequest                     400
//   invalid_argument                      InvalidArgument                    400
//   invalid_token                         InvalidToken                       400
//   invalid_uri                           InvalidURI                         400
//   invalid_policy_document               InvalidPolicyDocument              400
//
//   (1) message exactly "Request has expired"  (2) message "Request is not valid yet"
//
// The message is S3's own text (clients match on some of it, "Request has expired" above
// all). The details are the extra elements S3 puts in its error body (<Region>,
// <HeadersNotSigned>, <ServerTime>, <StringToSign>, ...), in the order S3 writes them. No
// message or detail ever holds a secret or a derived key; StringToSign, CanonicalRequest and
// SignatureProvided are what S3 itself returns, and must not be logged.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace presign::auth {

/// Why a request was not authenticated. See the table above for the S3 code and status.
enum class errc {
    /// No Authorization header and no query signature: an anonymous request. The S3 layer may
    /// still serve it when a bucket policy allows anonymous access.
    missing_authentication,
    /// Authenticated structure refused: x-amz-* or host headers left unsigned, no valid date.
    access_denied,
    /// A presigned URL past X-Amz-Date + X-Amz-Expires. Message exactly "Request has expired".
    expired,
    /// A presigned URL dated further in the future than the allowed clock skew.
    not_yet_valid,
    /// The signature differs from the one computed from the request as received.
    signature_does_not_match,
    /// The access key id is unknown, or belongs to temporary credentials sent without a token.
    invalid_access_key_id,
    /// Header auth dated more than the allowed skew (15 minutes) away from the server's clock.
    request_time_too_skewed,
    /// The Authorization header does not parse, or its credential scope is wrong (region,
    /// service, terminator, or a date differing from X-Amz-Date's).
    authorization_header_malformed,
    /// The X-Amz-* query parameters of a presigned URL are missing, repeated or malformed, or
    /// their credential scope is wrong, or X-Amz-Expires is outside 1..604800.
    authorization_query_parameters_error,
    /// Header auth without the x-amz-content-sha256 header S3 requires.
    invalid_request,
    /// An unsupported Authorization type, two auth mechanisms at once, or an
    /// x-amz-content-sha256 value that is neither a SHA-256 nor a known mode.
    invalid_argument,
    /// A security token the principal does not accept.
    invalid_token,
    /// A request target that is not an origin-form path, or has a malformed %-escape.
    invalid_uri,
    /// A POST form whose (authentic) policy is not base64 of a valid policy document.
    invalid_policy_document,
};

/// S3's messages that clients or several call sites depend on, verbatim.
inline constexpr std::string_view k_message_expired = "Request has expired";
inline constexpr std::string_view k_message_not_yet_valid = "Request is not valid yet";
inline constexpr std::string_view k_message_signature_mismatch =
    "The request signature we calculated does not match the signature you provided. Check "
    "your key and signing method.";

/// Stable lower-case name of an error code (for logs and test output).
std::string_view to_string(errc code) noexcept;

/// One extra element of S3's error body, e.g. {"Region", "eu-west-1"}.
struct error_detail {
    std::string name;
    std::string value;
};

/// An authentication failure: the code, S3's message, and S3's extra error elements.
/// (Richer than core::error<errc>: the details are part of S3's contract with clients, e.g.
/// botocore reads <Region> to redirect and <ServerTime> to correct its clock.)
struct error {
    errc code;
    std::string message;
    std::vector<error_detail> details;

    /// The value of detail `name`, or empty when absent.
    std::string_view detail(std::string_view name) const noexcept;
};

/// A value, or the reason the request was not authenticated.
template <class T>
using result = core::result<T, error>;

/// Shorthand for `core::fail(error{code, message, details})`.
inline core::failure<error> fail(errc code, std::string message,
                                 std::vector<error_detail> details = {}) {
    return {error{code, std::move(message), std::move(details)}};
}

}  // namespace presign::auth
