#pragma once
// What the store keeps about an object besides its bytes. Stored in the object file's header
// (object_format.hpp), so data and metadata are committed by one rename.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/digest.hpp"

namespace presign::store {

/// A name/value pair in the order the client sent it.
using header_pair = std::pair<std::string, std::string>;

/// The headers a client sets at upload and gets back on GET/HEAD. An empty string means "not
/// set". Values are stored byte for byte; normalising them (case, limits) is the S3 front's job.
struct object_headers {
    std::string content_type;
    std::string content_encoding;
    std::string content_disposition;
    std::string cache_control;
    std::string content_language;
    std::string expires;  ///< the Expires header text, as sent
    /// x-amz-meta-* pairs, names without the "x-amz-meta-" prefix.
    std::vector<header_pair> user_metadata;
    /// Additional checksums (x-amz-checksum-*), e.g. {"crc32c", "<base64>"}, stored as given.
    std::vector<header_pair> checksums;
    /// The object's canned ACL as the front names it (x-amz-acl, e.g. "public-read"); empty
    /// means the default, private. Not sent back on GET/HEAD: the front reads it to decide who
    /// besides the owner may read the object. Changed in place by store::set_object_acl().
    std::string acl;

    friend bool operator==(const object_headers&, const object_headers&) = default;
};

/// Everything the store knows about one committed object.
///
/// Objects come in two kinds. An object written in one piece (PUT, POST, CopyObject) has
/// etag = hex(md5) and md5 is the MD5 of its data. An object assembled by
/// CompleteMultipartUpload (is_multipart()) has etag = hex(MD5(MD5(part 1) || ... ||
/// MD5(part N))) + "-N", and its md5 and sha256 are all zero: the store never hashes the whole
/// object, so for such an object they mean "not applicable" and nothing may compare them with
/// the data. Use etag for conditional requests and part_sizes for `partNumber` reads.
struct object_metadata {
    std::string key;         ///< the S3 key, exactly as uploaded
    std::uint64_t size = 0;  ///< data bytes (64-bit: objects may exceed 4 GiB)
    /// S3 ETag without quotes: lower-case hex MD5 of the data, or for a multipart object the
    /// MD5 of its part MD5s followed by "-<part count>".
    std::string etag;
    /// MD5 of the data. All zero for a multipart object (not computed; see etag).
    core::md5_digest md5{};
    /// SHA-256 of the data. All zero when it was not computed: multipart objects, copies of
    /// multipart objects, and uploads whose writer skipped it.
    core::sha256_digest sha256{};
    core::time_point last_modified;  ///< commit time from the store's injected clock (seconds)
    object_headers headers;
    /// Multipart objects only: the size in bytes of each part, in part order (part n is
    /// part_sizes[n - 1]); see object_part_range() in multipart.hpp. Empty for an object
    /// written in one piece.
    std::vector<std::uint64_t> part_sizes;

    /// True for an object assembled by CompleteMultipartUpload.
    bool is_multipart() const noexcept { return !part_sizes.empty(); }

    friend bool operator==(const object_metadata&, const object_metadata&) = default;
};

}  // namespace presign::store
