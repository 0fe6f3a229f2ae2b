#pragma once
// Multipart uploads as the store answers them: the values store::create_multipart_upload(),
// part uploads, store::complete_multipart_upload() and the two listings take and return, and
// object_part_range() for GetObject/HeadObject with `partNumber`. The operations themselves are
// members of store (store.hpp); the part writer is part_writer.hpp. No HTTP or XML here: the
// S3 front turns these into responses.
//
// An upload is identified by its upload id (48 lower-case hex digits: the initiation time, then
// 128 bits from OpenSSL's RAND_bytes) together with its bucket and key: an id used with another
// bucket or key is errc::no_such_upload, as is any id that does not have exactly that shape.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/digest.hpp"
#include "store/errors.hpp"
#include "store/metadata.hpp"

namespace presign::store {

/// Part numbers S3 accepts: 1..10000.
inline constexpr int min_part_number = 1;
inline constexpr int max_part_number = 10000;
/// S3's minimum size of every part but the last: 5 MiB. store_options::min_part_size.
inline constexpr std::uint64_t default_min_part_size = 5ull * 1024 * 1024;
/// Most parts (ListParts) or uploads (ListMultipartUploads) in one page; larger requests clamp.
inline constexpr std::size_t max_list_parts = 1000;
inline constexpr std::size_t max_list_uploads = 1000;

/// An upload in progress.
struct upload_info {
    std::string key;             ///< the object key the upload will create
    std::string upload_id;       ///< the id create_multipart_upload() returned
    core::time_point initiated;  ///< creation time from the store's clock (seconds)
    object_headers headers;      ///< the headers given at creation; the object will carry them
};

/// One uploaded part.
struct part_info {
    int part_number = 0;             ///< 1..10000
    std::string etag;                ///< lower-case hex MD5 of the part's bytes, without quotes
    core::md5_digest md5{};          ///< the same MD5, binary
    std::uint64_t size = 0;          ///< bytes
    core::time_point last_modified;  ///< when this version of the part was committed (seconds)
};

/// One entry of a CompleteMultipartUpload request, as the client sent it.
struct completed_part {
    int part_number = 0;
    /// The part's ETag: 32 hex digits, either case, with or without surrounding double quotes.
    std::string etag;
};

/// Options of store::complete_multipart_upload().
struct complete_options {
    /// "If-None-Match: *": fail with errc::precondition_failed if the key exists (checked early
    /// and again at the final rename). The upload stays, so it can be retried or aborted.
    bool if_none_match = false;
};

/// A ListParts request.
struct list_parts_request {
    int part_number_marker = 0;  ///< list parts with numbers above this (0: from the first)
    /// Parts per page; over 1000 counts as 1000; 0 yields an empty, untruncated page.
    std::size_t max_parts = max_list_parts;
};

/// One page of ListParts, in part-number order.
struct list_parts_page {
    upload_info upload;  ///< the upload the parts belong to
    std::vector<part_info> parts;
    bool is_truncated = false;
    int next_part_number_marker = 0;  ///< when truncated: the last part number returned
};

/// A ListMultipartUploads request. Uploads are ordered by key (UTF-8 bytes, as object keys),
/// then by upload id, which orders uploads of one key by initiation time.
struct list_uploads_request {
    std::string prefix;     ///< only uploads whose key starts with this
    std::string delimiter;  ///< roll keys up into common prefixes, as in ListObjects
    /// Start after this key: uploads of keys greater than it; with upload_id_marker, also the
    /// uploads of this very key whose ids are greater than the marker. A common prefix that
    /// equals the marker or is a prefix of it is not returned again.
    std::string key_marker;
    std::string upload_id_marker;  ///< see key_marker; ignored when key_marker is empty
    /// Uploads plus common prefixes per page; over 1000 counts as 1000; 0 yields an empty page.
    std::size_t max_uploads = max_list_uploads;
};

/// One page of ListMultipartUploads. Each list is in order; together at most max_uploads.
struct list_uploads_page {
    std::vector<upload_info> uploads;  ///< headers are left empty in listings
    std::vector<std::string> common_prefixes;
    bool is_truncated = false;
    /// When truncated: the last entry returned (a key or a common prefix) and, if it was an
    /// upload, its id (else empty). Pass them back as key_marker / upload_id_marker.
    std::string next_key_marker;
    std::string next_upload_id_marker;
};

/// Where part `part_number` of an object lies in its data.
struct part_range {
    std::uint64_t offset = 0;       ///< first byte, relative to the object's data
    std::uint64_t length = 0;       ///< bytes (0 for an empty part)
    std::uint32_t parts_count = 0;  ///< the object's parts (1 for an object written in one piece)
};

/// The byte range of part `part_number` of an object, for GetObject / HeadObject with
/// `partNumber` (S3 answers with that range and x-amz-mp-parts-count, the latter only for
/// multipart objects: see object_metadata::is_multipart()). An object written in one piece has
/// one part, the whole object. Fails with errc::invalid_argument for a number outside 1..10000
/// and errc::invalid_part_number above the object's part count.
result<part_range> object_part_range(const object_metadata& object, int part_number);

/// The ETag of a multipart object made of parts with these MD5s, in order:
/// hex(MD5(md5[0] || md5[1] || ...)) + "-" + count, without quotes.
std::string multipart_etag(const std::vector<core::md5_digest>& part_md5s);

}  // namespace presign::store
