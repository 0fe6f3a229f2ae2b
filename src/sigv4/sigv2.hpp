#pragma once
// AWS Signature Version 2 for S3 (legacy; opt-in). Still spoken by older stores and tools.
//
//   StringToSign = Method \n Content-MD5 \n Content-Type \n Expires \n
//                  CanonicalizedAmzHeaders CanonicalizedResource
//   Signature    = Base64(HMAC-SHA1(secret, StringToSign))
//
// CanonicalizedResource is /bucket/key (the bucket even with virtual-hosted URLs) plus the
// sub-resources S3 lists (uploadId, partNumber, response-*, acl, ...), sorted, values raw.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sigv4/signer.hpp"

namespace presign::sigv4 {

/// The canonicalized resource of `req`, as SigV2 signs it.
std::string build_sigv2_resource(const request& req);

/// Whether S3 includes query parameter `name` in a SigV2 CanonicalizedResource (acl, uploadId,
/// partNumber, response-content-type, ...). Case-sensitive, as S3 compares them.
bool is_sigv2_sub_resource(std::string_view name) noexcept;

/// Appends the sub-resources among `query` (decoded names and values) to a resource path:
/// sorted by name, "?name=value&name" (no '=' for an empty value), values not encoded.
void append_sigv2_sub_resources(std::string& resource, std::span<const query_param> query);

/// What a SigV2 string to sign is made of, whoever gathers it (the signer from a request it
/// builds, the verifier from a request it received).
struct sigv2_parts {
    std::string_view method;
    std::string_view content_md5;      ///< trimmed, "" when absent
    std::string_view content_type;     ///< trimmed, "" when absent
    std::string_view date_or_expires;  ///< Date (header auth), "" with x-amz-date, or Expires
    /// x-amz-* headers: lower-case names, trimmed values, in any order (sorted here, repeated
    /// names folded into one line with values joined by ',').
    std::vector<std::pair<std::string, std::string>> amz_headers;
    std::string_view resource;  ///< the CanonicalizedResource
};

/// The SigV2 string to sign of `parts`.
std::string build_sigv2_string_to_sign(sigv2_parts parts);

/// The SigV2 string to sign. `date_or_expires` is the Date header (header auth) or the Expires
/// epoch seconds (query auth). Headers are taken from `req.headers` (+ x-amz-security-token).
std::string build_sigv2_string_to_sign(const request& req, std::string_view date_or_expires,
                                       std::string_view session_token = {});

/// Base64(HMAC-SHA1(secret, string_to_sign)).
std::string sigv2_signature(std::string_view secret, std::string_view string_to_sign);

/// Signs S3 requests with SigV2 for one set of credentials.
class sigv2_signer {
  public:
    static result<sigv2_signer> create(credentials creds, signer_options options);

    /// A presigned URL: operation parameters, then AWSAccessKeyId, Signature, Expires and the
    /// signed Content-Type / Content-MD5 / x-amz-* headers (botocore moves them into the query).
    /// Expires = now + expires_seconds (1..604800).
    result<std::string> presign_url(const request& req, std::int64_t expires_seconds) const;

    /// Base64(HMAC-SHA1(secret, string_to_sign)), e.g. of a base64 POST policy.
    std::string sign_string(std::string_view string_to_sign) const {
        return sigv2_signature(creds_.secret_access_key.reveal(), string_to_sign);
    }
    const std::string& access_key_id() const noexcept { return creds_.access_key_id; }
    const std::string& session_token() const noexcept { return creds_.session_token; }
    const signer_options& options() const noexcept { return options_; }

  private:
    sigv2_signer(credentials creds, signer_options options)
        : creds_(std::move(creds)), options_(std::move(options)) {}
    credentials creds_;
    signer_options options_;
};

}  // namespace presign::sigv4
