#pragma once
// Whether the caller may do what a routed request asks: the S3 operation mapped to an
// auth::action on its bucket and key. Private to src/s3.

#include "auth/access.hpp"
#include "core/result.hpp"
#include "s3/error_table.hpp"
#include "s3/router.hpp"

namespace presign::s3::detail {

/// AccessDenied unless `access` admits `r`. DeleteObjects passes here when the caller may
/// delete anything in the bucket and is then checked key by key (delete_objects.cpp); a POST
/// form is checked once its key is known (post_object.cpp).
core::result<void, error> check_access(const route& r, const auth::access_policy& access);

}  // namespace presign::s3::detail
