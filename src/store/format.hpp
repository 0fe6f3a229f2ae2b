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
//   32      16    MD5 of the data (the ETag); for a multipart object (record 0x8001) the MD5
//                 of its concatenated binary part MD5s
//   48      32    SHA-256 of the data (all zero: not computed, as for every multipart object)
//   80      32    SHA-256 of bytes [0, H) with this field zeroed
//   112     ...   records up to H: u16 tag, u32 length, payload (see record_tag)
//   H       size  the object's bytes
//
// The same header, with its key record, also heads the files of a multipart upload (see
// layout.hpp): the upload record (no data; last-modified = initiation time) and each part file
// (the part's bytes; MD5 = the part's ETag).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/errors.hpp"
#include "store/metadata.hpp"

namespace presign::store::detail {

/// Version written into new object files and bucket records; readers refuse other versions.
inline constexpr std::uint16_t format_version = 1;
/// Size of the fixed part of an object header (the records start here).
inline constexpr std::size_t fixed_header_size = 112;
/// Upper bound on the key and header records of an object (errc::metadata_too_large above it).
inline constexpr std::size_t max_metadata_header_size = 64 * 1024;
/// Upper bound on a whole object header when reading: the metadata bound plus room for the
/// multipart record of 10,000 parts. Keeps a garbage length from driving an allocation.
inline constexpr std::size_t max_header_size = 192 * 1024;
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
    /// The canned ACL name (at most once; absent = private). Not critical: a reader that does
    /// not know it sees a private object, which refuses more, never less.
    acl = 10,
    /// Critical, at most once: the object was assembled from parts. Payload: u32 part count N
    /// (1..10000), N x u64 part sizes (summing to the data size), u8 upload id length, upload
    /// id (empty when not recorded). Its presence changes the meaning of the MD5 field (MD5 of
    /// the part MD5s) and the SHA-256 field (zero), which is why an older reader must refuse it.
    multipart = 0x8001,
};

/// What the multipart record holds.
struct multipart_record {
    std::vector<std::uint64_t> part_sizes;  ///< bytes of each part, in part order (1..10000)
    /// The upload the object was completed from (lets a retried Complete, and open() after a
    /// crash between publishing the object and removing the upload, recognise it). Copies do
    /// not carry it.
    std::string upload_id;
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

/// Appends the multipart record to a header from build_object_header (before sealing) and
/// updates its length field.
void append_multipart_record(std::string& header, const multipart_record& record);

/// Fills in the commit fields and the header digest of a header from build_object_header.
void seal_object_header(std::string& header, const commit_fields& fields);

/// A parsed object header.
struct parsed_header {
    object_metadata metadata;
    std::uint64_t data_offset = 0;  ///< header length: where the data starts in the file
    /// The MD5 field as stored: the data's MD5, or for a multipart object the MD5 of its part
    /// MD5s (metadata.md5 is zero then). The digest half of the ETag either way.
    core::md5_digest etag_md5{};
    /// Multipart objects only: the upload id of the multipart record (may be empty).
    std::string upload_id;
};

/// Parses and checks a complete header (magic, version, bounds, digest, records). Fails with
/// errc::corrupt_object, or errc::unsupported_format for another version or an unknown critical
/// record.
result<parsed_header> parse_object_header(std::span<const std::byte> bytes);

/// Bytes read_object_header reads at once when asked for the data too: the header and, for
/// objects of up to about 16 KiB (the ones an HTTP response carries in its first write), all of
/// their data, in one pread.
inline constexpr std::size_t first_read_with_data = 20 * 1024;

/// Reads and parses the header of the open object file `fd` and checks that the file holds
/// exactly header + data bytes (a truncated file is corrupt). At most max_header_size bytes are
/// read. With `leading_data`, the first read is up to first_read_with_data bytes instead of
/// 4 KiB, and `leading_data` receives the data bytes it brought in after the header (a prefix
/// of the object's data: all of it for a small object, possibly none); without it, the data
/// is not read.
result<parsed_header> read_object_header(int fd, std::string* leading_data = nullptr);

/// Encodes a bucket record for a bucket created at `created`.
std::string build_bucket_record(core::time_point created);

/// Decodes a bucket record, returning its creation time. Fails with errc::corrupt_object or
/// errc::unsupported_format.
result<core::time_point> parse_bucket_record(std::span<const std::byte> bytes);

}  // namespace presign::store::detail
