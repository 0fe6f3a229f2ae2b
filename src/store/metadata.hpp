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

    friend bool operator==(const object_headers&, const object_headers&) = default;
};

/// Everything the store knows about one committed object.
struct object_metadata {
    std::string key;                 ///< the S3 key, exactly as uploaded
    std::uint64_t size = 0;          ///< data bytes (64-bit: objects may exceed 4 GiB)
    std::string etag;                ///< S3 ETag without quotes: lower-case hex MD5 of the data
    core::md5_digest md5{};          ///< MD5 of the data
    core::sha256_digest sha256{};    ///< SHA-256 of the data
    core::time_point last_modified;  ///< commit time from the store's injected clock (seconds)
    object_headers headers;

    friend bool operator==(const object_metadata&, const object_metadata&) = default;
};

}  // namespace presign::store
