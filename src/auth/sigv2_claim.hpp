#pragma once
// What a request signed with AWS Signature Version 2 claims, and the string to sign rebuilt
// from the request as received. SigV2 is S3's legacy scheme, still spoken by older tools
// (boto3 with signature_version='s3', s3cmd, old SDKs):
//
//   header auth   Authorization: AWS AccessKeyId:Signature       (+ Date or x-amz-date)
//   query auth    ?AWSAccessKeyId=...&Expires=<epoch seconds>&Signature=...
//
//   StringToSign = Method \n Content-MD5 \n Content-Type \n Date-or-Expires \n
//                  CanonicalizedAmzHeaders CanonicalizedResource
//   Signature    = Base64(HMAC-SHA1(secret, StringToSign))
//
// The Date line is the Date header, empty when x-amz-date is sent (it is then one of the
// amz headers), or Expires for query auth. For query auth, Content-Type, Content-MD5 and
// x-amz-* may travel as query parameters (botocore moves them there) and then count as the
// headers. The resource is the path exactly as received (prefixed with the bucket when the
// Host named it) plus the sub-resources, decoded and sorted. The payload is not signed.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "auth/authorization.hpp"
#include "auth/errors.hpp"
#include "auth/request.hpp"
#include "core/clock.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

/// Whether `req` carries SigV2 auth: an `Authorization: AWS ...` header, or a `Signature` or
/// `AWSAccessKeyId` query parameter.
bool is_sigv2_request(const request_view& req, std::span<const sigv4::query_param> query);

/// A SigV2 claim, syntactically valid, nothing verified.
struct sigv2_claim {
    auth_kind kind = auth_kind::header;  ///< header or query
    std::string access_key_id;
    std::string signature;  ///< base64 as sent
    /// Header auth: the request's date (x-amz-date, else Date). Query auth: Expires.
    core::time_point at{};
    std::optional<std::string> security_token;
    std::string string_to_sign;
    /// For a bucket-level path ("/bucket"), the string to sign with "/bucket/": botocore signs
    /// that form, other clients the first.
    std::optional<std::string> alternate_string_to_sign;
};

/// Reads the SigV2 claim of `req` (raw path `raw_path`, query decoded once) and builds its
/// string to sign. Fails with: invalid_argument (an Authorization header that is not
/// `AWS id:signature`, both header and query auth, a repeated parameter), access_denied (header
/// auth without a valid Date or x-amz-date; query auth missing AWSAccessKeyId, Signature or
/// Expires, or an Expires that is not a number), invalid_token (a repeated token).
result<sigv2_claim> read_sigv2_claim(const request_view& req, std::string_view raw_path,
                                     std::span<const sigv4::query_param> query);

}  // namespace presign::auth
