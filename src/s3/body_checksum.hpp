#pragma once
// Integrity checks of small request bodies read whole (DeleteObjects): Content-MD5, or one of
// S3's additional checksums (x-amz-checksum-crc32 | crc32c | crc64nvme | sha1 | sha256: the
// base64 of the big-endian digest), which current SDKs send instead of Content-MD5.
// Private to src/s3.

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "http/message.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

/// CRC-32 (ISO-HDLC, the zlib one): reflected polynomial 0xEDB88320, init and xor-out ~0.
std::uint32_t crc32(std::string_view bytes) noexcept;

/// CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and xor-out ~0.
std::uint32_t crc32c(std::string_view bytes) noexcept;

/// CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, init and xor-out ~0.
std::uint64_t crc64nvme(std::string_view bytes) noexcept;

/// Checks `body` against the request's Content-MD5 and x-amz-checksum-* headers, of which
/// `required` demands at least one (S3 requires one for DeleteObjects). Fails with
/// InvalidRequest "Missing required header for this request: Content-MD5 OR x-amz-checksum-*"
/// (none, when required), InvalidDigest (a Content-MD5 that is not base64 of 16 bytes),
/// InvalidRequest (a malformed or repeated checksum header, or two algorithms at once) and
/// BadDigest (a digest that differs).
core::result<void, error> check_body_checksums(const http::request_head& head,
                                               std::string_view body, bool required);

}  // namespace presign::s3
