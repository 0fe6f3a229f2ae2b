#pragma once
// S3's additional checksums computed over a body as it streams in: the value a client sends
// in an x-amz-checksum-* header or trailer is base64 of the big-endian digest. Private to
// src/s3.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/digest.hpp"

namespace presign::s3 {

/// The checksum algorithms S3 offers.
enum class checksum_algorithm { crc32, crc32c, crc64nvme, sha1, sha256 };

/// The algorithm of a header or trailer name ("x-amz-checksum-crc32", any case); nullopt for
/// any other name.
std::optional<checksum_algorithm> checksum_from_header_name(std::string_view name) noexcept;

/// "crc32", "crc32c", "crc64nvme", "sha1", "sha256" (lower-case, as in x-amz-checksum-NAME).
std::string_view checksum_name(checksum_algorithm a) noexcept;

/// "CRC32", ... as S3 spells the algorithm in messages and x-amz-sdk-checksum-algorithm.
std::string_view checksum_upper_name(checksum_algorithm a) noexcept;

/// Bytes of the algorithm's digest (4, 4, 8, 20, 32).
std::size_t checksum_digest_size(checksum_algorithm a) noexcept;

/// Characters of its base64 form (8, 8, 12, 28, 44).
std::size_t checksum_base64_size(checksum_algorithm a) noexcept;

/// One algorithm's state over a stream of bytes.
class running_checksum {
  public:
    explicit running_checksum(checksum_algorithm a);
    checksum_algorithm algorithm() const noexcept { return algorithm_; }
    void update(std::string_view bytes);
    /// Base64 of the big-endian digest of everything updated so far. Call once, at the end.
    std::string finish_base64();

  private:
    checksum_algorithm algorithm_;
    std::variant<std::uint32_t, std::uint64_t, core::sha1, core::sha256> state_;
};

}  // namespace presign::s3
