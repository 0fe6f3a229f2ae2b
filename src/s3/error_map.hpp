#pragma once
// Every lower layer's error becomes an S3 error here, and only here.

#include "auth/errors.hpp"
#include "s3/error_table.hpp"
#include "store/errors.hpp"

namespace presign::s3 {

/// The S3 error for an authentication failure (its message and body details kept).
error from_auth(const auth::error& e);

/// The S3 error for a storage failure. I/O errors become InternalError with a generic
/// message (the cause is logged, not sent).
error from_store(const store::error& e);

}  // namespace presign::s3
