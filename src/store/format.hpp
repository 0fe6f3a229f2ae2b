#pragma once
// The two on-disk records: the object file header (followed by the object's bytes) and the
// bucket record. Byte-level layout is drawn in docs/storage.md; both are little-endian, start
// with an 8-byte magic number and a format version, and carry a SHA-256 over themselves so a
// torn or garbage file is recognised instead of served. Internal to the store.
//
// Object file, format version 1:
//
//   offset  size  field
//   0       8     magic  89 'P' 'S' 'O' 0D 0A 1A 0A
//   8       2     format version (1)
//   10      2     flags (0)
//   12      4     header length H = offset of the first data byte
//   16      8     data size in bytes
//   24      8     last-modified, seconds since the Unix epoch (signed)
//   32      16    MD5 of the data (the ETag)
//   48      32    SHA-256 of the data
//   80      32    SHA-256 of bytes [0, H) with this field zeroed
//   112     ...   records up to H: u16 tag, u32 length, payload (see record_tag)
//   H       size  the object's bytes

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "store/errors.hpp"
#include "store/metadata.hpp"

namespace presign::store::detail {

/// Version written into new object files and bucket records; readers refuse other versions.
inline constexpr std::uint16_t format_version = 1;
/// Size of the fixed part of an object header (the records start here).
inline constexpr std::size_t fixed_header_size = 112;
/// Upper bound on a whole object header: keeps a garbage length from driving an allocation.
inline constexpr std::size_t max_header_size = 64 * 1024;
/// Size of a bucket record.
inline constexpr std::size_t bucket_record_size = 56;

/// Record tags of the object header. Tags with bit 15 set are critical: a reader that does not
/// know one must refuse the file; other unknown tags are skipped (room to grow within a version).
enum class record_tag : std::uint16_t {
    key = 1,           ///< the S3 key (required, once)
    content_type = 2,  ///< the header's value (at most once; absent = not set)
    content_encoding = 3,
    content_disposition = 4,
    cache_control = 5,
    content_language = 6,
    expires = 7,
    user_metadata = 8,  ///< u16 name length, name, value (repeatable, order kept)
    checksum = 9,       ///< u16 algorithm length, algorithm, value (repeatable)
};

/// The fields of an object header known only once all data has been written.
struct commit_fields {
    std::uint64_t size = 0;
    core::time_point last_modified;
    core::md5_digest md5{};
    core::sha256_digest sha256{};
};

/// Builds the header for `key` and `headers` with the commit fields and the header digest
/// zeroed; the writer writes it first to reserve its place. Fails with
/// errc::metadata_too_large when it would exceed max_header_size.
result<std::string> build_object_header(std::string_view key, const object_headers& headers);

/// Fills in the commit fields and the header digest of a header from build_object_header.
void seal_object_header(std::string& header, const commit_fields& fields);

/// A parsed object header.
struct parsed_header {
    object_metadata metadata;
    std::uint64_t data_offset = 0;  ///< header length: where the data starts in the file
};

/// Parses and checks a complete header (magic, version, bounds, digest, records). Fails with
/// errc::corrupt_object, or errc::unsupported_format for another version or an unknown critical
/// record.
result<parsed_header> parse_object_header(std::span<const std::byte> bytes);

/// Reads and parses the header of the open object file `fd` and checks that the file holds
/// exactly header + data bytes (a truncated file is corrupt). At most max_header_size bytes are
/// read.
result<parsed_header> read_object_header(int fd);

/// Encodes a bucket record for a bucket created at `created`.
std::string build_bucket_record(core::time_point created);

/// Decodes a bucket record, returning its creation time. Fails with errc::corrupt_object or
/// errc::unsupported_format.
result<core::time_point> parse_bucket_record(std::span<const std::byte> bytes);

}  // namespace presign::store::detail
