#pragma once
// The syntax of SigV4's auth fields, shared by header and query auth:
//
//   Authorization: AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/region/s3/aws4_request,
//                  SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=<64 hex>
//   ?X-Amz-Credential=AKID%2FYYYYMMDD%2Fregion%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host...
//
// The parsers check syntax only; check_scope then holds the credential scope against this
// server's region and service and against the request's X-Amz-Date.

#include <string>
#include <string_view>
#include <vector>

#include "auth/errors.hpp"

namespace presign::auth {

/// Where a request's signature travels. SigV2 and aws-chunked auth will add kinds.
enum class auth_kind {
    header,     ///< Authorization: AWS4-HMAC-SHA256 ...
    query,      ///< a presigned URL (X-Amz-Algorithm, X-Amz-Signature, ...)
    post_form,  ///< a browser POST form: the signature covers its policy (form_claim.hpp)
};

/// Stable lower-case name of a kind.
std::string_view to_string(auth_kind kind) noexcept;

/// `AKID/YYYYMMDD/region/service/aws4_request`, split.
struct credential {
    std::string access_key_id;
    std::string date;        ///< YYYYMMDD, a valid calendar date
    std::string region;      ///< non-empty
    std::string service;     ///< non-empty
    std::string terminator;  ///< should be "aws4_request" (checked with the scope)
};

/// The three components of an Authorization header, as views into its value.
struct authorization_fields {
    std::string_view credential;
    std::string_view signed_headers;
    std::string_view signature;  ///< non-empty
};

/// Parses an Authorization header value. The scheme must be exactly AWS4-HMAC-SHA256, then
/// whitespace, then the components Credential=, SignedHeaders= and Signature= in any order,
/// separated by ',' with optional spaces or tabs around it (clients send ", " and ",").
/// Fails with invalid_argument "Unsupported Authorization Type" for another scheme (SigV2's
/// "AWS AKID:sig" and SigV4a included), and with authorization_header_malformed for a
/// missing, repeated, empty-named or unknown component, or an empty signature.
result<authorization_fields> parse_authorization(std::string_view value);

/// Parses a credential: exactly five '/'-separated parts, a non-empty access key id, an
/// 8-digit valid date, non-empty region, service and terminator. Fails with
/// authorization_header_malformed (`kind` header) or authorization_query_parameters_error
/// (`kind` query or post_form: S3 reads form fields like query parameters) and S3's "the
/// Credential is mal-formed" message.
result<credential> parse_credential(std::string_view text, auth_kind kind);

/// Parses a SignedHeaders list `a;b;c`. Each name must be a lower-case HTTP token and the
/// list strictly ascending (sorted, no repeats), as every SigV4 signer writes it. An empty
/// list parses (the missing `host` is reported later, as S3 does). Fails like
/// parse_credential otherwise.
result<std::vector<std::string>> parse_signed_headers(std::string_view text, auth_kind kind);

/// Checks the credential scope: region equal to `region` (S3's message and a Region detail
/// that lets clients redirect), service equal to `service`, terminator "aws4_request", and a
/// date equal to the date part of `amz_date` (YYYYMMDDTHHMMSSZ). S3 reports all four as a
/// malformed credential: authorization_header_malformed for header auth,
/// authorization_query_parameters_error for query auth.
result<void> check_scope(const credential& cred, std::string_view amz_date, auth_kind kind,
                         std::string_view region, std::string_view service);

}  // namespace presign::auth
