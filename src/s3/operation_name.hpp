#pragma once
// S3 operations by their names in the S3 API reference ("PutObject"), for metrics and logs.

#include <string_view>

#include "s3/router.hpp"

namespace presign::s3 {

/// The S3 API name of `op` ("GetObject", "CompleteMultipartUpload", ...); "Preflight" for a
/// CORS preflight and "NotImplemented" for a sub-resource presign does not serve. Static
/// storage.
std::string_view operation_name(operation op) noexcept;

}  // namespace presign::s3
