#pragma once
// SigV4 for S3: presigned URLs (query auth) and signed headers (Authorization header auth).
// Pure: the time comes in with the request; nothing here reads a clock or does I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "sigv4/canonical.hpp"
#include "sigv4/credentials.hpp"
#include "sigv4/endpoint.hpp"
#include "sigv4/errors.hpp"
#include "sigv4/signing_key.hpp"

namespace presign::sigv4 {

/// Expiry bounds of a presigned URL, in seconds (S3 allows at most seven days).
inline constexpr std::int64_t k_min_expires = 1;
inline constexpr std::int64_t k_max_expires = 604800;

/// One S3 request to sign.
struct request {
    std::string method = "GET";
    std::string bucket;              ///< empty for service-level calls (ListBuckets)
    std::string key;                 ///< raw object key, any UTF-8; encoded once, never normalised
    std::vector<query_param> query;  ///< operation parameters (uploadId, partNumber, ...), raw
    std::vector<header> headers;     ///< extra headers to sign (Content-Type, x-amz-meta-*, ...)
    core::time_point now;            ///< the signing time (X-Amz-Date)
};

/// Where and how to sign: region, service, endpoint and addressing style.
struct signer_options {
    std::string region = "us-east-1";
    std::string service = "s3";
    std::optional<endpoint> custom_endpoint;  ///< none: AWS's endpoint for the region
    addressing style = addressing::automatic;
};

/// A request signed with an Authorization header.
struct signed_request {
    std::string url;  ///< full URL, query included
    std::vector<header>
        headers;  ///< every header to send: the caller's, host, x-amz-*, authorization
};

/// Signs S3 requests for one set of credentials. Thread-safe; caches derived signing keys.
class signer {
  public:
    /// Fails with missing_credentials or invalid_region.
    static result<signer> create(credentials creds, signer_options options);

    /// Appends a presigned URL to `out` (query auth, UNSIGNED-PAYLOAD unless the caller signs an
    /// x-amz-content-sha256 header). Query parameters come out in botocore's order: operation
    /// parameters as given, then the X-Amz-* ones, then X-Amz-Signature.
    /// Fails on expiry outside 1..604800 s, a bad method, bucket, key or header.
    result<void> append_presigned_url(std::string& out, const request& req,
                                      std::int64_t expires_seconds) const;
    result<std::string> presign_url(const request& req, std::int64_t expires_seconds) const;

    /// Signs with the Authorization header. `payload_hash` is the hex SHA-256 of the body or
    /// UNSIGNED-PAYLOAD; it is also sent as x-amz-content-sha256.
    result<signed_request> sign_headers(const request& req, std::string_view payload_hash) const;

    /// hex(HMAC-SHA256(kSigning for the date of `when`, string_to_sign)): the signature of a
    /// POST policy (whose string to sign is the base64 policy itself).
    std::string sign_string(std::string_view string_to_sign, core::time_point when) const;

    /// `access_key_id/YYYYMMDD/region/service/aws4_request` for the date of `when`.
    std::string credential(core::time_point when) const;

    const signer_options& options() const noexcept { return options_; }
    const std::string& session_token() const noexcept { return session_token_; }
    const std::string& access_key_id() const noexcept { return access_key_id_; }

  private:
    signer(credentials creds, signer_options options);
    result<void> check(const request& req) const;
    /// Appends scheme://authority/path to `url`; returns the offset where the path starts, and
    /// writes the Host header value into `host`.
    result<std::size_t> append_base_url(std::string& url, const request& req,
                                        std::string& host) const;

    /// Appends the signature, hex(HMAC(kSigning, string_to_sign)), of the string to sign for
    /// `amz_date` and this canonical request hash (see signer.cpp for the per-thread memo that
    /// makes repeated signing within one second cheaper).
    void append_signature(std::string& out, std::string_view amz_date,
                          const core::sha256_digest& canonical_hash) const;
    /// append_presigned_url for the common case: a bucket, no query parameters, no headers
    /// besides Host, no session token. Fails only on a bucket name the addressing rejects.
    result<void> append_host_only_url(std::string& out, const request& req,
                                      std::int64_t expires_seconds) const;

    std::string access_key_id_;
    std::string session_token_;
    signer_options options_;
    // Derived once from the above:
    service_host service_;
    std::string scope_tail_;          // "/region/service/aws4_request"
    std::string encoded_credential_;  // UriEncode(access_key_id) + "%2F"
    std::string encoded_scope_tail_;  // UriEncode(scope_tail_)
    std::uint64_t id_;                // unique per credentials+options, for per-thread memos
    std::shared_ptr<signing_key_cache> keys_;
};

}  // namespace presign::sigv4
