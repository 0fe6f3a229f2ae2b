#pragma once
// ETags in requests and responses: the lists of conditional requests (If-Match, If-None-Match, and
// CopyObject's x-amz-copy-source-if-match / -if-none-match). Private to src/s3.

#include <string>
#include <string_view>

namespace presign::s3::detail {

/// Whether a comma-separated list of entity tags names `etag` (unquoted): "*" names any; quotes
/// and a weak "W/" prefix on list items are ignored, as S3 does.
bool etag_listed(std::string_view list, std::string_view etag);

/// `"etag"`: an ETag as S3 sends it in headers and XML.
std::string quoted_etag(std::string_view etag);

}  // namespace presign::s3::detail
