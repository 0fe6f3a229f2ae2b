#pragma once
// Integrity checks of small request bodies read whole (DeleteObjects): Content-MD5, or one of
// S3's additional checksums (x-amz-checksum-crc32 | crc32c | crc64nvme | sha1 | sha256: the
// base64 of the big-endian digest), which current SDKs send instead of Content-MD5. Streamed
// bodies (PutObject) only take the decoded SHA-256 header from here; the store checks it.
// Private to src/s3.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/digest.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

/// Checks `body` against the request's Content-MD5 and x-amz-checksum-* headers, of which
/// `required` demands at least one (S3 requires one for DeleteObjects). Fails with
/// InvalidRequest "Missing required header for this request: Content-MD5 OR x-amz-checksum-*"
/// (none, when required), InvalidDigest (a Content-MD5 that is not base64 of 16 bytes),
/// InvalidRequest (a malformed or repeated checksum header, or two algorithms at once) and
/// BadDigest (a digest that differs).
core::result<void, error> check_body_checksums(const http::request_head& head,
                                               std::string_view body, bool required);

/// The request's x-amz-checksum-sha256 header, decoded; nullopt when it is absent. Fails with
/// InvalidRequest when it is repeated or is not the base64 of 32 bytes (S3's message).
core::result<std::optional<core::sha256_digest>, error> sent_sha256_checksum(
    const http::request_head& head);

}  // namespace presign::s3
