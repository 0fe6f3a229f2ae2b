#pragma once
// How a request's body is authenticated, as its x-amz-content-sha256 value says
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).

#include <optional>
#include <string_view>

namespace presign::auth {

/// The payload modes of SigV4 for S3. Only signed_hash and unsigned_payload finish at the
/// signature check; the streaming modes leave chunk (and trailer) verification to the body
/// reader, which gets the seed signature and signing key from verified_request.
enum class payload_mode {
    signed_hash,                 ///< a hex SHA-256 of the body: the store must compare it
    unsigned_payload,            ///< UNSIGNED-PAYLOAD: the body is not covered
    streaming_signed,            ///< STREAMING-AWS4-HMAC-SHA256-PAYLOAD (aws-chunked)
    streaming_signed_trailer,    ///< STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
    streaming_unsigned_trailer,  ///< STREAMING-UNSIGNED-PAYLOAD-TRAILER
};

/// The x-amz-content-sha256 values of the streaming modes, as clients send them.
inline constexpr std::string_view k_streaming_signed = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view k_streaming_signed_trailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view k_streaming_unsigned_trailer =
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The mode an x-amz-content-sha256 value selects: 64 hex digits (either case), or one of the
/// constants above, or UNSIGNED-PAYLOAD. Nullopt for anything else, SigV4a's
/// STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER] included (no ECDSA verification here).
std::optional<payload_mode> classify_payload_hash(std::string_view value) noexcept;

/// Stable lower-case name of a mode (for logs and test output).
std::string_view to_string(payload_mode mode) noexcept;

}  // namespace presign::auth
