#pragma once
// The XML of multipart uploads and copies that does not depend on the store: the
// CompleteMultipartUpload request body and the small result documents. Private to src/s3.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

/// One <Part> of a CompleteMultipartUpload body.
struct part_spec {
    int part_number = 0;
    std::string etag;  ///< as sent (quotes included if the client sent them)
};

/// The largest part number S3 accepts.
inline constexpr int k_max_part_number = 10000;

/// Parses a CompleteMultipartUpload body: Part elements, each with PartNumber and ETag (the
/// Checksum* elements are accepted and ignored). Fails with malformed_xml (not that document,
/// no parts, more than 10000, a part without number or ETag, an unknown element) or
/// invalid_argument (a part number outside 1..10000).
core::result<std::vector<part_spec>, error> parse_complete_multipart(std::string_view body);

/// InitiateMultipartUploadResult.
std::string build_initiate_result(std::string_view bucket, std::string_view key,
                                  std::string_view upload_id);

/// CompleteMultipartUploadResult; `etag` without quotes.
std::string build_complete_result(std::string_view location, std::string_view bucket,
                                  std::string_view key, std::string_view etag);

/// CopyObjectResult (or, with `part`, CopyPartResult); `etag` without quotes.
std::string build_copy_result(std::string_view etag, core::time_point last_modified,
                              bool part = false);

}  // namespace presign::s3
